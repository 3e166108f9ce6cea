"""The translation catalogues in ``translations/``: what every language needs, and what it misses.

Used by the tests (a language marked complete in ``config.toml`` must have no missing message)
and by ``make translations``, which prints a summary::

    python -m assist.i18n.catalogues --summary
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from ..paths import ROOT, translations_dir

#: Keywords as ``make translations`` passes them to ``pybabel extract`` (on top of Babel's defaults).
KEYWORDS = {"_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
#: The extraction method name for form definitions, registered in setup.cfg.
FORMS_METHOD = "assist_forms"


@dataclass(frozen=True)
class Source:
    """A message the interface or a form uses, and where."""

    id: str
    locations: tuple[str, ...]

    @property
    def from_forms(self) -> bool:
        return all(location.startswith("forms/") for location in self.locations)

    @property
    def staff_only(self) -> bool:
        """Only council staff see it (admin pages, figures, the monthly report), not residents or helpers."""
        return all(location.startswith(STAFF_ONLY) for location in self.locations)


#: Where the council staff's pages live: a language can serve residents and helpers completely
#: before these are translated (see docs/translating.md).
STAFF_ONLY = ("assist/templates/admin/", "assist/reporting/", "assist/web/admin", "printouts/report")


def extract_messages(root: Path = ROOT) -> dict[str, Source]:
    """Every message in the code, templates, printouts and form definitions now, as ``pybabel extract``
    with ``babel.cfg`` finds them (the form extractor is called directly, so this works uninstalled)."""
    from babel.messages.extract import DEFAULT_KEYWORDS

    with open(root / "babel.cfg", encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, filename=str(root / "babel.cfg"))
    method_map = [(pattern, "assist.i18n.extract:extract_forms" if method == FORMS_METHOD else method)
                  for pattern, method in method_map]
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords=keywords,
        directory_filter=lambda path: Path(path).name not in {"node_modules", "data", "test-output", "build", "dist"}
        and not Path(path).name.startswith((".", "_")),
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return {msgid: Source(msgid, tuple(locations)) for msgid, locations in found.items()}


def template_ids(directory: Path | None = None) -> set[str]:
    """The message ids in ``messages.pot``."""
    with open((directory or translations_dir()) / "messages.pot", "rb") as fileobj:
        return {_singular(message.id) for message in read_po(fileobj) if message.id}


def _singular(msgid) -> str:
    """A message's id: the singular of a plural message."""
    return msgid if isinstance(msgid, str) else msgid[0]


def catalogue(language: str, directory: Path | None = None) -> Catalog:
    """The ``.po`` catalogue of ``language``."""
    path = (directory or translations_dir()) / language / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as fileobj:
        return read_po(fileobj, locale=language.replace("-", "_"))


def languages(directory: Path | None = None) -> list[str]:
    """The languages that have a catalogue."""
    base = directory or translations_dir()
    return sorted(p.parent.parent.name for p in base.glob("*/LC_MESSAGES/messages.po"))


def translated(language: str, directory: Path | None = None) -> dict[str, str]:
    """Translations of ``language`` by message id: fuzzy (unchecked) and empty ones left out."""
    result = {}
    for message in catalogue(language, directory):
        if not message.id or message.fuzzy:
            continue
        string = message.string[0] if isinstance(message.string, (tuple, list)) else message.string
        if string:
            result[_singular(message.id)] = string
    return result


def missing_messages(language: str, needed, directory: Path | None = None) -> list[str]:
    """The ids in ``needed`` that ``language`` does not translate (English needs nothing)."""
    if language.split("-")[0] == "en":
        return []
    have = translated(language, directory)
    return sorted(msgid for msgid in needed if msgid not in have)


def summary(directory: Path | None = None, root: Path = ROOT) -> str:
    """A line per language: interface and form messages translated, of those in use now."""
    sources = extract_messages(root)
    groups = {
        "residents and helpers": [s.id for s in sources.values() if not s.from_forms and not s.staff_only],
        "council staff": [s.id for s in sources.values() if s.staff_only],
        "forms": [s.id for s in sources.values() if s.from_forms],
    }
    lines = ["messages: " + ", ".join(f"{name} {len(ids)}" for name, ids in groups.items())]
    for language in languages(directory):
        counts = [f"{name} {len(ids) - len(missing_messages(language, ids, directory))}/{len(ids)}"
                  for name, ids in groups.items()]
        lines.append(f"{language:4} " + "  ".join(counts))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--summary", action="store_true", help="print messages translated per language")
    parser.add_argument("--missing", metavar="LANG", help="list the messages LANG does not translate yet")
    args = parser.parse_args(argv)
    if args.missing:
        sources = extract_messages()
        for msgid in missing_messages(args.missing, sources):
            print(f"{', '.join(sources[msgid].locations[:2])}: {msgid!r}")
        return 0
    print(summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
