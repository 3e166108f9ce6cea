"""Time on the server's clock, shown in UK local time."""

from __future__ import annotations

from datetime import datetime, timezone

from .app import store


def now() -> datetime:
    """The time, from the store's clock (tests inject their own)."""
    return store().now()


def parse_moment(moment: str) -> datetime:
    """A stored ISO time (``...Z`` or with an offset) as an aware datetime."""
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def london():
    """UK time, or UTC when the machine has no time zone database."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/London")
    except Exception:  # noqa: BLE001 - no time zone database: show UTC
        return timezone.utc


def local_time(moment: str | datetime | None) -> str:
    """A stored time as UK local ``HH:MM``."""
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = parse_moment(moment)
    return moment.astimezone(london()).strftime("%H:%M")


def start_of_today() -> datetime:
    """Midnight today in UK time, as an aware datetime."""
    local = now().astimezone(london())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)
