"""Translations for printouts made outside a web request (the command line, the benchmark)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..paths import translations_dir

#: Flask-Babel's catalogues: ``translations/<lang>/LC_MESSAGES/messages.mo``.
TRANSLATIONS_DIR = translations_dir()


def gettext_for(language: str, directory: Path = TRANSLATIONS_DIR) -> Callable[[str], str]:
    """A ``gettext`` callable for ``language`` from the compiled catalogues in ``directory``.

    Falls back to the English source strings (Babel's ``NullTranslations``) when there is no
    catalogue for the language yet.
    """
    from babel.support import NullTranslations, Translations

    translations = Translations.load(str(directory), [language.replace("-", "_")], domain="messages")
    if not isinstance(translations, (Translations, NullTranslations)):  # pragma: no cover - defensive
        translations = NullTranslations()
    return translations.gettext
