"""Time on the server's clock, shown in the council's time zone (``[council] timezone``).

Times are stored in UTC; pages show them in the council's zone, dates in words in the page's
language ("3 December 2026, 14:05", "3 Rhagfyr 2026 14:05").
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo

from babel.dates import format_time
from flask_babel import get_locale

from ...moments import parse_moment  # noqa: F401 - pages read stored moments with it
from ...i18n.formatting import babel_locale, format_date
from .app import config, store


def now() -> datetime:
    """The time, from the store's clock (tests inject their own)."""
    return store().now()


def council_zone() -> tzinfo:
    """The council's time zone (checked when the configuration is loaded), or UTC when the machine
    has no time zone database."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(config().council.timezone)
    except Exception:  # noqa: BLE001 - no time zone database: show UTC
        return timezone.utc


def _local(moment: str | datetime) -> datetime:
    if isinstance(moment, str):
        moment = parse_moment(moment)
    return moment.astimezone(council_zone())


def _language() -> str:
    return str(get_locale() or "en")


def local_time(moment: str | datetime | None) -> str:
    """A stored time as the council's local ``HH:MM``."""
    if not moment:
        return ""
    return _local(moment).strftime("%H:%M")


def local_day(moment: str | datetime | None) -> str:
    """The council's local day of a stored time, in words in the page's language: "3 December 2026"."""
    if not moment:
        return ""
    return format_date(_local(moment).date(), _language())


def local_datetime(moment: str | datetime | None) -> str:
    """A stored time in the council's zone, in words in the page's language, joined the way the
    language joins a date and a time: "3 December 2026, 14:05", "3 ديسمبر 2026، 14:05"."""
    if not moment:
        return ""
    local = _local(moment)
    locale = babel_locale(_language())
    time_text = format_time(local, "HH:mm", locale=locale)
    return locale.datetime_formats["medium"].format(time_text, format_date(local.date(), _language()))


def start_of_today() -> datetime:
    """Midnight today in the council's time zone, as an aware datetime."""
    local = now().astimezone(council_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
