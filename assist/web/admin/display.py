"""What the admin area's templates use to write stored codes and times for people: times in the
council's zone and the page's language, audit events and delivery errors in words."""

from __future__ import annotations

from flask_babel import gettext

from ...reporting.events import event_words
from ...reporting.retention import purge_counts
from ..core.times import local_datetime, local_day
from .delivery_errors import delivery_problem


def _event(event: str, detail: str | None = None) -> str:
    return event_words(event, detail, gettext)


def template_helpers() -> dict:
    """``when`` (a stored time: "3 December 2026, 14:05"), ``on_day`` ("3 December 2026"),
    ``event_words`` (an audit event, "Tablet handed to the resident"), ``delivery_problem`` and
    ``purge_counts`` (a retention run's counts)."""
    return {"when": local_datetime, "on_day": local_day, "event_words": _event, "delivery_problem": delivery_problem,
            "purge_counts": purge_counts}
