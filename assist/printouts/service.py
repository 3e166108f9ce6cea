"""The printouts the rest of assist asks for: completed copies, blank forms, carry-on slips, checklists."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .bilingual import BILINGUAL, PAIR, bilingual_gettext, merge
from .context import Council, blank_context, checklist_context, copy_context, slip_context
from .i18n import TRANSLATIONS_DIR
from .renderer import ACCESSIBLE, ARCHIVAL, Renderer

if TYPE_CHECKING:
    from ..storage.evidence import EvidenceFile

log = logging.getLogger(__name__)
Gettext = Callable[[str], str]


def _identity(text: str) -> str:
    return text


class BlankFormCache:
    """Blank paper forms rendered once per form, version and language, kept in memory and on disk.

    The file name carries the renderer's fingerprint (a hash of the templates and stylesheet) and
    of the council's contact details printed on the form, so a changed template, address or form
    version never serves an old PDF. Files are written atomically (temporary file, then rename),
    so two processes rendering the same form at once both end with a whole file.
    """

    def __init__(self, directory: Path | None):
        self.directory = Path(directory) if directory else None
        self._memory: dict[tuple, bytes] = {}
        self._lock = threading.Lock()

    def _path(self, key: tuple) -> Path | None:
        if self.directory is None:
            return None
        safe = "-".join(str(part).replace("/", "_").replace("\\", "_") for part in key)
        return self.directory / f"{safe}.pdf"

    def get(self, key: tuple) -> bytes | None:
        """The cached PDF for ``key``, from memory or else from disk; ``None`` if not cached."""
        pdf = self._memory.get(key)
        if pdf is not None:
            return pdf
        path = self._path(key)
        if path is not None and path.is_file():
            pdf = path.read_bytes()
            if pdf.startswith(b"%PDF"):
                with self._lock:
                    self._memory[key] = pdf
                return pdf
        return None

    def put(self, key: tuple, pdf: bytes) -> None:
        """Keep ``pdf`` for ``key`` in memory and (when there is a directory) on disk."""
        with self._lock:
            self._memory[key] = pdf
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle, "wb") as file:
                file.write(pdf)
            os.replace(temporary, path)
        except OSError as error:  # a read-only data folder: memory still works
            log.warning("could not cache blank form at %s: %s", path, error)

    def clear(self) -> None:
        """Forget the in-memory copies (files stay; they are checked by name)."""
        with self._lock:
            self._memory.clear()


class Printouts:
    """Makes every printout from the engine's model with one long-lived :class:`Renderer`.

    ``config`` is the loaded :class:`assist.config.Config` (council contact details, venues,
    data folder); ``cache_dir`` defaults to ``<data_dir>/printouts``. ``gettext`` callables are
    passed in per call: the web passes Flask-Babel's, the CLI a Babel catalogue's.
    """

    def __init__(self, config=None, *, renderer: Renderer | None = None, cache_dir: Path | None = None):
        self.config = config
        self.renderer = renderer or Renderer()
        self.council = Council.from_config(config)
        if cache_dir is None and config is not None and getattr(config, "data_dir", None):
            cache_dir = Path(config.data_dir) / "printouts"
        self.cache = BlankFormCache(cache_dir)
        self.venues = {getattr(v, "id", None): getattr(v, "name", "") for v in getattr(config, "venues", None) or []}

    # -- completed copy -----------------------------------------------------------------------
    def completed_copy(self, form, submission: dict, *, language: str = "en", gettext: Gettext = _identity,
                       for_council: bool = False, archival: bool = False,
                       evidence: Sequence[EvidenceFile] | None = None) -> bytes:
        """The completed copy of ``submission``: the resident's (default) or the council's.

        ``archival`` makes it PDF/A-3a (archival and tagged) instead of PDF/UA-1; use it for the
        council's records. ``evidence`` (:meth:`Store.submission_evidence`) puts the photos and the
        list of PDFs on the council's copy, after the questions they answer; the resident's copy
        only ever names the files.
        """
        context = copy_context(form, submission, self.council, gettext=gettext, language=language,
                               for_council=for_council, venues=self.venues, evidence=evidence)
        return self.renderer.render("copy.html", context, language=language, gettext=gettext,
                                    variant=ARCHIVAL if archival else ACCESSIBLE)

    def completed_copy_html(self, form, submission: dict, *, language: str = "en",
                            gettext: Gettext = _identity, for_council: bool = False,
                            evidence: Sequence[EvidenceFile] | None = None) -> str:
        """The completed copy's HTML (for the benchmark and for tests)."""
        context = copy_context(form, submission, self.council, gettext=gettext, language=language,
                               for_council=for_council, venues=self.venues, evidence=evidence)
        return self.renderer.html("copy.html", context, language=language, gettext=gettext)

    # -- blank paper form ---------------------------------------------------------------------
    def blank_key(self, form, language: str) -> tuple:
        """What a cached blank form depends on: form, version, language, templates, contact details
        and the language's translation catalogue."""
        council = self.council
        digest = hashlib.sha256(repr((council.name, council.phone, council.email, tuple(council.address),
                                      council.website)).encode())
        catalogues = [c for code in language.split("+") for c in TRANSLATIONS_DIR.glob(f"{code}/LC_MESSAGES/*.mo")]
        for catalogue in sorted(catalogues):
            stat = catalogue.stat()
            digest.update(f"{catalogue.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        return (form.id, form.version, language, self.renderer.fingerprint, digest.hexdigest()[:8])

    def blank_form(self, form, *, language: str = "en", gettext: Gettext = _identity) -> bytes:
        """The blank paper form of ``form`` in ``language``: rendered once, then served from the cache."""
        key = self.blank_key(form, language)
        pdf = self.cache.get(key)
        if pdf is None:
            context = blank_context(form, self.council, gettext=gettext, language=language)
            pdf = self.renderer.render("blank.html", context, language=language, gettext=gettext)
            self.cache.put(key, pdf)
        return pdf

    def blank_form_html(self, form, *, language: str = "en", gettext: Gettext = _identity) -> str:
        """The blank form's HTML, not cached (for tests)."""
        context = blank_context(form, self.council, gettext=gettext, language=language)
        return self.renderer.html("blank.html", context, language=language, gettext=gettext)

    # -- bilingual (Welsh and English) -------------------------------------------------------------
    def blank_form_bilingual(self, form, *, gettexts: tuple[Gettext, Gettext]) -> bytes:
        """The blank paper form in Welsh and English (``gettexts``: Welsh's, then English's), cached
        under the language ``"cy+en"``."""
        key = self.blank_key(form, BILINGUAL)
        pdf = self.cache.get(key)
        if pdf is None:
            pdf = self.renderer.pdf(self.blank_form_bilingual_html(form, gettexts=gettexts))
            self.cache.put(key, pdf)
        return pdf

    def blank_form_bilingual_html(self, form, *, gettexts: tuple[Gettext, Gettext]) -> str:
        """The bilingual blank form's HTML. Its paper reference is the Welsh form's (same questions)."""
        first, second = (blank_context(form, self.council, gettext=g, language=PAIR[0]) for g in gettexts)
        return self.renderer.html("blank.html", merge(first, second), language=PAIR[0],
                                  gettext=bilingual_gettext(*gettexts))

    def completed_copy_bilingual(self, form, submission: dict, *, gettexts: tuple[Gettext, Gettext],
                                 for_council: bool = False, archival: bool = False,
                                 evidence: Sequence[EvidenceFile] | None = None) -> bytes:
        """The completed copy in Welsh and English; answers once, in the language the form was filled in
        (Welsh unless it was English)."""
        return self.renderer.pdf(self.completed_copy_bilingual_html(form, submission, gettexts=gettexts,
                                                                    for_council=for_council, evidence=evidence),
                                 variant=ARCHIVAL if archival else ACCESSIBLE)

    def completed_copy_bilingual_html(self, form, submission: dict, *, gettexts: tuple[Gettext, Gettext],
                                      for_council: bool = False,
                                      evidence: Sequence[EvidenceFile] | None = None) -> str:
        first, second = (copy_context(form, submission, self.council, gettext=g, language=code,
                                      for_council=for_council, venues=self.venues, evidence=evidence)
                         for g, code in zip(gettexts, PAIR))
        answers_from = 1 if submission.get("language") == PAIR[1] else 0
        return self.renderer.html("copy.html", merge(first, second, answers_from=answers_from), language=PAIR[0],
                                  gettext=bilingual_gettext(*gettexts))

    # -- carry-on slip and checklist ----------------------------------------------------------
    def carry_on_slip(self, form, *, code: str, expires, answered: int, total: int, reached: str | None = None,
                      resume_url: str | None = None, carry_on_address: str | None = None, check: str | None = None,
                      language: str = "en", gettext: Gettext = _identity) -> bytes:
        """A carry-on slip for a saved journey (no answers on it); see :func:`slip_context`."""
        context = slip_context(form, self.council, code=code, expires=expires, answered=answered, total=total,
                               reached=reached, resume_url=resume_url, carry_on_address=carry_on_address,
                               check=check, gettext=gettext, language=language)
        return self.renderer.render("slip.html", context, language=language, gettext=gettext)

    def checklist(self, form, *, language: str = "en", gettext: Gettext = _identity) -> bytes:
        """The what-to-bring checklist for ``form``."""
        context = checklist_context(form, self.council, gettext=gettext, language=language)
        return self.renderer.render("checklist.html", context, language=language, gettext=gettext)
