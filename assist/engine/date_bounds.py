"""Date bounds a form can set relative to today: "today or earlier", "within the next 10 months",
"not before the start of this financial year", or fixed dates."""

from __future__ import annotations

import datetime as dt

#: Words a form can use for ``not_before`` / ``not_after`` besides an ISO date.
RELATIVE = ("today", "start_of_financial_year", "start_of_tax_year")


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def year_start(today: dt.date, month: int, day: int) -> dt.date:
    """The start of the year (council financial year: 1 April; tax year: 6 April) that ``today`` is in."""
    start = dt.date(today.year, month, day)
    return start if today >= start else dt.date(today.year - 1, month, day)


def resolve(word: str, today: dt.date) -> dt.date:
    """The date ``word`` stands for on ``today``: an ISO date, "today", "start_of_financial_year"
    (1 April, as councils count it) or "start_of_tax_year" (6 April)."""
    if word == "today":
        return today
    if word == "start_of_financial_year":
        return year_start(today, 4, 1)
    if word == "start_of_tax_year":
        return year_start(today, 4, 6)
    return dt.date.fromisoformat(word)


def is_bound(value) -> bool:
    """Whether ``value`` can be a ``not_before`` / ``not_after`` setting."""
    if value in RELATIVE:
        return True
    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def bounds(options: dict, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest dates ``options`` allow on ``today`` (``None``: no bound that way),
    from ``today_or_earlier``, ``within_months``, ``not_before`` and ``not_after``."""
    earliest = resolve(options["not_before"], today) if options.get("not_before") else None
    latest = resolve(options["not_after"], today) if options.get("not_after") else None
    if options.get("today_or_earlier"):
        latest = today if latest is None else min(latest, today)
    if options.get("within_months"):
        ahead = months_after(today, options["within_months"])
        earliest = today if earliest is None else max(earliest, today)
        latest = ahead if latest is None else min(latest, ahead)
    return earliest, latest
