"""Where assist's non-Python resources live: forms, printouts, translations, the demo config.

In a checkout (or an editable install) they are the top-level folders next to the
``assist`` package. An installed wheel puts them under ``<prefix>/share/assist``
(``[options.data_files]`` in setup.cfg). Use these functions rather than building
paths from ``__file__``, so both cases work.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

#: The folder that holds the ``assist`` package: the repository root in a checkout.
ROOT = Path(__file__).resolve().parents[1]


def _installed_prefixes() -> list[Path]:
    prefixes = [Path(sys.prefix), Path(sysconfig.get_path("data"))]
    user_base = getattr(site, "USER_BASE", None)
    if user_base:
        prefixes.append(Path(user_base))
    seen: list[Path] = []
    for prefix in prefixes:
        if prefix not in seen:
            seen.append(prefix)
    return seen


def resource(name: str) -> Path:
    """The checkout's ``<name>`` if it exists, else the installed ``share/assist/<name>``.

    When neither exists the checkout path is returned, so error messages name a
    sensible place.
    """
    checkout = ROOT / name
    if checkout.exists():
        return checkout
    for prefix in _installed_prefixes():
        installed = prefix / "share" / "assist" / name
        if installed.exists():
            return installed
    return checkout


def forms_dir() -> Path:
    """The folder of form definitions (``forms/``)."""
    return resource("forms")


def printouts_dir() -> Path:
    """The folder of printout templates and print CSS (``printouts/``)."""
    return resource("printouts")


def translations_dir() -> Path:
    """The folder of Flask-Babel catalogues (``translations/<lang>/LC_MESSAGES``)."""
    return resource("translations")


def default_config_file() -> Path:
    """The demo ``config.toml`` shipped with assist."""
    return resource("config.toml")


def static_dist_dir() -> Path:
    """Built CSS, JavaScript and images (``make assets``), served under ``/assets``."""
    return Path(__file__).resolve().parent / "static" / "dist"
