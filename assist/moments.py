"""Moments as assist stores them: ISO 8601 text in UTC to the second, ``2026-11-24T17:30:02Z``.

Every module that writes a moment uses :func:`iso_utc`, every one that reads one back uses
:func:`parse_moment` (``tests/test_moments.py`` checks that no module parses them its own way).
What tells the time is a :data:`Clock`: :func:`utc_now` in service, a :class:`ManualClock` in the
tests and the benchmark, which move it instead of sleeping. Standard library only, so storage,
delivery, printouts and the web layer can all use it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

#: What the store, the delivery worker and the pages take the time from: the time now, time zone aware.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(timezone.utc)


class ManualClock:
    """A :data:`Clock` that stands still until moved: ``clock.advance(minutes=5)``, or ``clock.now = moment``.

    Starts at ``start`` (time zone aware), or at the real time to the second.
    """

    def __init__(self, start: datetime | None = None):
        if start is not None and (start.tzinfo is None or start.utcoffset() is None):
            raise ValueError(f"a time zone aware datetime is required, not {start!r}")
        self.now = start if start is not None else utc_now().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        """Move on by ``timedelta(**delta)``; returns the new time."""
        self.now += timedelta(**delta)
        return self.now

    def __repr__(self) -> str:
        return f"<ManualClock {iso_utc(self.now)}>"


def iso_utc(moment: datetime) -> str:
    """``moment`` as an ISO 8601 UTC string to the second: ``2026-11-24T17:30:02Z``.

    Naive datetimes are refused: their time zone is a guess.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a time zone aware datetime is required, not {moment!r}")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_moment(text: str) -> datetime:
    """A stored moment (``...Z``, or with an offset such as ``+00:00`` or ``+01:00``) as an aware
    datetime. Text without a time zone is refused (``ValueError``), as :func:`iso_utc` refuses a
    naive datetime: compared with the clock it would raise later, further from the cause."""
    if not isinstance(text, str):
        raise TypeError(f"a moment is ISO 8601 text, not {type(text).__name__}")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a moment needs a time zone: {text!r}")
    return moment
