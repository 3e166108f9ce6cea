"""The :class:`Store`: everything assist keeps in SQLite."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from .data_keys import DATA_KEY_FILE, DataKeys
from .database import Clock, Connections, iso_utc, utc_now
from .admin import AdminMixin
from .assisted import AssistedMixin
from .audit import AuditMixin
from .browser_sessions import BrowserSessionsMixin
from .encryption import EncryptionMixin
from .errors import StorageUnwritable
from .evidence import EvidenceMixin
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
            HelpRequestsMixin, OutboxMixin, PaperMixin, ReportingMixin, RetentionMixin, AdminMixin, EncryptionMixin,
            BrowserSessionsMixin, EvidenceMixin):
    """Journeys, drafts and submissions in one SQLite file, residents' answers encrypted.

    Safe to share between threads: each thread uses its own connection.
    ``clock`` returns the current time as an aware datetime (tests pass their own).
    ``keys``: where the data key comes from (default: the key file ``data_key`` beside the database).
    """

    def __init__(self, path: str | Path, clock: Clock = utc_now, keys: DataKeys | None = None):
        self._connections = Connections(path)
        self._clock = clock
        self._keys = keys if keys is not None else DataKeys(self._connections.path.parent / DATA_KEY_FILE)

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
        """Bring the schema up to date, check the data key opens what is stored (making the key file
        on a new database), encrypt any answers stored before encryption and key the paper digests left
        without one; returns the names of migrations applied now. Raises :class:`DataKeyError` when
        the key is missing or wrong."""
        applied = apply_migrations(self._connections, self._now)
        self.check_data_key()
        self.encrypt_plaintext()
        self.key_paper_digests()
        return applied

    @property
    def data_keys(self) -> DataKeys:
        """Where this store's data key comes from."""
        return self._keys

    def ping(self) -> bool:
        """True if the database answers ``select 1``."""
        try:
            return self.db.execute("select 1").fetchone()[0] == 1
        except Exception:
            return False

    def check_writable(self) -> str | None:
        """Write the health row: ``None`` when the write was committed, else why it was not
        (``"full"``, ``"read-only"``, ``"failing"``, or ``"unreachable"`` for any other failure)."""
        try:
            with self.transaction() as db:
                db.execute("insert into health (name, checked_at) values ('write', ?) on conflict (name) "
                           "do update set checked_at = excluded.checked_at", [self._now()])
        except StorageUnwritable as error:
            return error.reason
        except Exception:  # noqa: BLE001 - any other failure: the database is not usable
            return "unreachable"
        return None

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
