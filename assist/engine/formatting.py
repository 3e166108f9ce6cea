"""Dates, numbers and amounts of money written the way a language writes them (Babel; plain Python).

Digits stay Latin (0-9) in every language, as on the letters and bills residents bring with them;
money is always in pounds with the ``£`` sign, placed and punctuated as the language does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, get_currency_symbol

#: Babel locales for the languages we ship, where the bare code would mean another country's customs.
_LOCALES = {"en": "en_GB", "cy": "cy_GB", "pa": "pa_Guru_IN", "ur": "ur_PK", "bn": "bn_BD", "ar": "ar"}
#: Languages whose Babel locale groups digits in lakhs ("1,23,456") or writes the pound sign after
#: the amount: their numbers and money are written as on the British letters and bills residents
#: bring ("£123,456.50"), the text around them stays in the language.
_BRITISH_NUMBERS = {"bn", "pa"}


def babel_locale(language: str | None) -> Locale:
    """The Babel :class:`Locale` for a language code ("cy", "pt-BR"); English (UK) if unknown."""
    code = (language or "en").replace("-", "_")
    try:
        return Locale.parse(_LOCALES.get(code, code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def format_date(day: dt.date | str, language: str | None = "en") -> str:
    """A day as people write it in ``language``: "5 March 1990", "5 Mawrth 1990", "5 مارس 1990"."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if not isinstance(day, dt.date):
        raise ValueError(f"not a date: {day!r}")
    return _babel_date(day, "d MMMM y", locale=babel_locale(language))


def format_number(value, language: str | None = "en") -> str:
    """A number with the language's separators ("1,234.5"; "1 234,5" in Polish)."""
    number = _decimal(value)
    if number is None:
        return str(value)
    return format_decimal(number, locale=_number_locale(language), decimal_quantization=False)


def format_money(value, language: str | None = "en") -> str:
    """An amount in pounds: "£1,234.50" in English, "1234,50 £" in Polish; Latin digits everywhere."""
    amount = _decimal(value)
    if amount is None:
        return str(value)
    locale = _number_locale(language)
    text = format_currency(amount, "GBP", locale=locale)
    symbol = get_currency_symbol("GBP", locale=locale)
    if symbol != "£":  # e.g. "UK£" in Arabic: residents know the pound sign
        text = text.replace(symbol, "£")
    return text.replace("\u200f", "").replace("\u200e", "").replace("\u061c", "")


def _number_locale(language: str | None) -> Locale:
    code = (language or "en").replace("-", "_").split("_")[0]
    return babel_locale("en" if code in _BRITISH_NUMBERS else language)


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
