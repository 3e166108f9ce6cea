"""Printouts: completed copies, blank paper forms, carry-on slips and what-to-bring checklists.

Rendered in-process by WeasyPrint from the Jinja templates and print CSS in the top-level
``printouts/`` folder, with one long-lived :class:`Renderer` (stylesheets and fonts parsed once)
and a URL fetcher that serves only those files. No Flask here: the web layer and the command
line pass in a ``gettext`` callable for the language wanted.

Names are imported on first use, so ``assist --help`` does not wait for WeasyPrint to load.
"""

from importlib import import_module

_NAMES = {
    "PRINTOUTS_DIR": "assets", "AssetFetcher": "assets", "RefusedURL": "assets",
    "Council": "context", "answer_lines": "context", "asked_pages": "context", "blank_context": "context",
    "checklist_context": "context", "copy_context": "context", "slip_context": "context",
    "gettext_for": "i18n", "qr_data_uri": "qr",
    "form_prefix": "references", "paper_reference": "references", "parse_paper_reference": "references",
    "ACCESSIBLE": "renderer", "ARCHIVAL": "renderer", "RTL_LANGUAGES": "renderer", "Renderer": "renderer",
    "text_direction": "renderer",
    "BILINGUAL": "bilingual", "is_bilingual": "bilingual",
    "BlankFormCache": "service", "Printouts": "service",
}
__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name in _NAMES:
        return getattr(import_module(f".{_NAMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
