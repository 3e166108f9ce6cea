"""The :class:`Store`: everything assist keeps in SQLite."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from .database import Clock, Connections, iso_utc, utc_now
from .admin import AdminMixin
from .assisted import AssistedMixin
from .audit import AuditMixin
from .help_requests import HelpRequestsMixin
from .helpers import HelpersMixin
from .journeys import JourneysMixin
from .migrations import apply_migrations
from .outbox import OutboxMixin
from .paper import PaperMixin
from .reporting import ReportingMixin
from .resume import ResumeMixin
from .retention import RetentionMixin
from .submissions import SubmissionsMixin
from .venues import VenuesMixin


class Store(AssistedMixin, ResumeMixin, JourneysMixin, SubmissionsMixin, HelpersMixin, VenuesMixin, AuditMixin,
            HelpRequestsMixin, OutboxMixin, PaperMixin, ReportingMixin, RetentionMixin, AdminMixin):
    """Journeys, drafts and submissions in one SQLite file.

    Safe to share between threads: each thread uses its own connection.
    ``clock`` returns the current time as an aware datetime (tests pass their own).
    """

    def __init__(self, path: str | Path, clock: Clock = utc_now):
        self._connections = Connections(path)
        self._clock = clock

    @property
    def path(self) -> Path:
        return self._connections.path

    @property
    def db(self) -> Database:
        """This thread's sqlite-utils ``Database``."""
        return self._connections.db

    def transaction(self) -> contextlib.AbstractContextManager[Database]:
        """``with store.transaction() as db:`` - one ``BEGIN IMMEDIATE`` transaction (nests)."""
        return self._connections.transaction()

    def migrate(self) -> list[str]:
        """Bring the schema up to date; returns the names of migrations applied now."""
        return apply_migrations(self._connections, self._now)

    def ping(self) -> bool:
        """True if the database answers ``select 1``."""
        try:
            return self.db.execute("select 1").fetchone()[0] == 1
        except Exception:
            return False

    def close(self) -> None:
        """Close this thread's connection."""
        self._connections.close()

    def _now(self) -> str:
        return iso_utc(self._clock())

    @staticmethod
    def _iso(moment: datetime) -> str:
        return iso_utc(moment)

    def __repr__(self) -> str:
        return f"<Store {self.path}>"


__all__ = ["Store"]
