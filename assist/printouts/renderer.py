"""One long-lived WeasyPrint renderer: Jinja templates and print CSS parsed once, fonts configured once."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .assets import BASE_URL, PRINTOUTS_DIR, AssetFetcher

log = logging.getLogger(__name__)

#: Scripts written right to left, by language code (kept in step with the web's list).
RTL_LANGUAGES = {"ar", "ur", "fa", "he", "ps", "ku", "yi", "sd", "ckb"}
#: The print stylesheets, in order, from ``printouts/``.
STYLESHEETS = ("print.css",)
#: PDF variants: accessible for everyone; archival and accessible for the council's records.
ACCESSIBLE = "pdf/ua-1"
ARCHIVAL = "pdf/a-3a"


def _tag_languages() -> None:
    """Give each tagged PDF element made from an element with its own ``lang`` (the Welsh and English
    spans of a bilingual printout) that language as ``/Lang``, as PDF/UA asks for changes of language.

    WeasyPrint writes ``/Lang`` for the document only; this wraps its (private) tag-tree builder.
    If a WeasyPrint release changes it, printouts still work, with the document's language only.
    """
    try:
        import pydyf
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover
        return
    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, "assist_lang", False):
        return

    def build_box_tree(box, *args, **kwargs):
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and getattr(box, "element_tag", None) not in (
            "html", "body") else None
        for child in original(box, *args, **kwargs):
            if lang and isinstance(child, pydyf.Dictionary) and "Lang" not in child:
                child["Lang"] = pydyf.String(lang)
            yield child

    build_box_tree.assist_lang = True
    tags._build_box_tree = build_box_tree


_tag_languages()


def text_direction(language: str) -> str:
    """``"rtl"`` for right-to-left languages, else ``"ltr"``."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def _identity(text: str) -> str:
    return text


class Renderer:
    """Renders printouts from ``printouts/`` templates to PDF, in-process.

    Made once per process (the web app keeps one; the CLI makes one): the stylesheets are
    parsed into :class:`weasyprint.CSS` objects and a :class:`FontConfiguration` is set up
    here, and both are reused by every render. Rendering holds a lock, because WeasyPrint's
    font machinery (Pango, fontconfig) is not safe to share between threads at once.
    """

    def __init__(self, directory: Path = PRINTOUTS_DIR):
        self.directory = Path(directory)
        self.fetcher = AssetFetcher(self.directory)
        self.font_config = FontConfiguration()
        self.stylesheets = [
            CSS(url=BASE_URL + name, url_fetcher=self.fetcher, font_config=self.font_config)
            for name in STYLESHEETS
        ]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.directory)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.env.filters["paragraphs"] = paragraphs
        self.env.filters["ltr"] = ltr
        self.env.filters["bidi"] = bidi
        self.env.filters["css_string"] = css_string
        self.env.filters["css_url"] = css_url
        self.env.filters["page_counter"] = page_counter
        self._lock = threading.Lock()
        self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> str:
        """A hash of the templates, stylesheet and the code that builds printouts (this package and
        the form engine): cached PDFs made by any other version are not used."""
        code = Path(__file__).resolve().parents[1]  # the assist package
        files = [p for p in self.directory.rglob("*") if p.suffix in (".html", ".css")]
        files += list((code / "printouts").glob("*.py")) + list((code / "engine").glob("*.py"))
        digest = hashlib.sha256()
        for path in sorted(files):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()[:12]

    def html(self, template: str, context: dict, *, language: str = "en",
             gettext: Callable[[str], str] = _identity) -> str:
        """The printout's HTML: ``template`` rendered with ``context``, ``_`` = ``gettext``."""
        return self.env.get_template(template).render(
            **context, _=gettext, lang=language, dir=text_direction(language))

    def pdf(self, html: str, *, variant: str = ACCESSIBLE) -> bytes:
        """``html`` (made by :meth:`html`) as a tagged PDF of ``variant``."""
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=self.fetcher)
        with self._lock:
            return document.write_pdf(
                stylesheets=self.stylesheets,
                font_config=self.font_config,
                pdf_variant=variant,
                pdf_tags=True,
                uncompressed_pdf=False,
            )

    def render(self, template: str, context: dict, *, language: str = "en",
               gettext: Callable[[str], str] = _identity, variant: str = ACCESSIBLE) -> bytes:
        """``template`` with ``context`` as PDF bytes."""
        return self.pdf(self.html(template, context, language=language, gettext=gettext), variant=variant)


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of form text: split on blank lines, empty ones dropped."""
    if not text:
        return []
    from .bilingual import Bilingual, paragraphs_of

    if isinstance(text, Bilingual):
        return paragraphs_of(text, paragraphs)
    return [p.strip() for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]


def direction_of(text) -> str:
    """``"rtl"`` if the first letter of ``text`` is from a right-to-left script, else ``"ltr"``
    (the HTML ``dir="auto"`` rule, worked out here because WeasyPrint does not support it).
    Letters inside an isolate (FSI/LRI/RLI ... PDI, such as a file name) are skipped, as Unicode's
    rule P2 says."""
    depth = 0
    for ch in str(text):
        kind = unicodedata.bidirectional(ch)
        if kind in ("FSI", "LRI", "RLI"):
            depth += 1
        elif kind == "PDI":
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif kind == "L":
            return "ltr"
        elif kind in ("R", "AL"):
            return "rtl"
    return "ltr"


def bidi(text) -> Markup:
    """``text`` (typed by a person, or form text) isolated in its own direction, so an English
    answer or an address keeps its order inside an Arabic printout, and an Arabic answer inside
    an English one."""
    direction = direction_of(text)
    if direction == "rtl":
        pieces, last = [], 0
        for match in _LTR_RUNS.finditer(str(text)):
            pieces.append(Markup.escape(str(text)[last:match.start()]))
            pieces.append(ltr(match.group(0)))
            last = match.end()
        pieces.append(Markup.escape(str(text)[last:]))
        return Markup('<bdi dir="rtl">{}</bdi>').format(Markup("").join(pieces))
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


#: Runs kept left to right inside right-to-left text: phone numbers and other digit groups with
#: spaces or hyphens ("01632 960 001", "+44 7700 900982"), and references ("BB-7K4M-2QXT").
_LTR_RUNS = re.compile(r"\+?\(?\d[\d()]*(?:[ \-.][\d()]+)+|\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b")


def ltr(text) -> Markup:
    """``text`` kept left to right inside right-to-left writing (numbers, references, phone numbers)."""
    return Markup('<bdi dir="ltr" class="ltr">{}</bdi>').format(text)


#: Unicode "first strong isolate" and "pop directional isolate": keep a run in its own direction (a
#: reference left to right, an Arabic footer right to left) where no HTML element can (the page
#: margin boxes, which take text from CSS ``content``).
FSI, PDI = "\u2068", "\u2069"


def _css_escape(text: str) -> str:
    out = []
    for ch in str(text):
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return "".join(out)


def css_string(text, isolate: bool = False) -> Markup:
    """``text`` as a quoted CSS string for ``content:``; ``isolate`` keeps it in its own direction."""
    text = f"{FSI}{text}{PDI}" if isolate else str(text)
    return Markup(f'"{_css_escape(text)}"')  # nosec B704 # _css_escape escapes quotes, backslashes, <, >, &


def css_url(url: str) -> Markup:
    """``url`` (a ``data:`` URI) as a CSS ``url()``."""
    return Markup(f'url("{_css_escape(url)}")')  # nosec B704 # _css_escape escapes quotes, backslashes, <, >, &


def page_counter(template: str) -> Markup:
    """A translated "Page {page} of {pages}" as CSS ``content`` with the page counters in place."""
    parts = []
    rest = str(template)
    while rest:
        positions = [(rest.find(key), key) for key in ("{page}", "{pages}") if key in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        index, key = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append(f"counter({key[1:-1]})")
        rest = rest[index + len(key):]
    return Markup(" ".join(parts))  # nosec B704 # css_string parts (escaped) and fixed counter() calls
