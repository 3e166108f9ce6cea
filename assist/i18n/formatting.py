"""Locale-aware dates, numbers and money for templates, printouts and the engine.

The functions live in :mod:`assist.engine.formatting` (the engine writes answers for check answers
and printouts, and may import nothing else from assist); this is the module the rest of assist uses.
"""

from __future__ import annotations

from ..engine.formatting import babel_locale, format_date, format_money, format_number

__all__ = ["babel_locale", "format_date", "format_money", "format_number"]
