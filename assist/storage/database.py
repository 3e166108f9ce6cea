"""Connections: one SQLite connection per thread, transactions, timestamps.

waitress serves requests from several threads. A ``sqlite3`` connection must not be
shared between threads while one of them is inside a transaction, so each thread gets
its own connection (``threading.local``) with the same settings:

* ``journal_mode=WAL`` - readers never block the writer, the writer never blocks readers
* ``synchronous=FULL`` - a submission that was acknowledged survives a power cut
* ``foreign_keys=ON``
* ``busy_timeout=5000`` - a writer waits up to 5 s for another writer instead of failing
* ``secure_delete=ON`` - deleted answers are overwritten with zeros, not left in free pages

Connections are opened with ``isolation_level=None`` so the ``sqlite3`` driver never starts
transactions behind our back: every write transaction is an explicit ``BEGIN IMMEDIATE``
(see :meth:`Connections.transaction`), which takes the write lock up front so a
read-then-write transaction cannot fail half way with "database is locked". The threads of one
process take turns at that through an in-process lock, so none sleeps while polling for it.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from ..moments import Clock, iso_utc, parse_moment, utc_now  # noqa: F401 - the storage layer's names for them
from .errors import StorageError, StorageUnwritable

BUSY_TIMEOUT_MS = 5000
log = logging.getLogger(__name__)

# What SQLite says when the database cannot be written, and what the council should do about it.
_UNWRITABLE = (
    ("database or disk is full", "full",
     "the disk holding {folder} is full: free space on it (or move the data folder to a larger disk); "
     "assist carries on by itself once it can write again"),
    ("readonly database", "read-only",
     "the database in {folder} is read-only: give the user running assist write access to the folder and "
     "its files (database, -wal and -shm), or remount the disk read-write"),
    ("disk i/o error", "failing",
     "the disk holding {folder} gave an input/output error: check the disk; if it is failing, stop assist "
     "and restore the database onto a healthy disk"),
)
_reported: set[Path] = set()  # databases whose write failure is already in the log
_reported_guard = threading.Lock()


def unwritable_reason(error: BaseException) -> str | None:
    """``"full"``, ``"read-only"`` or ``"failing"`` when ``error`` says the database cannot be
    written, else ``None``."""
    if not isinstance(error, sqlite3.OperationalError):
        return None
    text = str(error).lower()
    return next((reason for needle, reason, _ in _UNWRITABLE if needle in text), None)


def _report_unwritable(path: Path, error: sqlite3.OperationalError) -> StorageUnwritable:
    """Log once per database (until it can be written again) that it cannot be written, with what
    to do; the :class:`StorageUnwritable` to raise."""
    text = str(error).lower()
    reason, advice = next((r, a) for needle, r, a in _UNWRITABLE if needle in text)
    with _reported_guard:
        first = path not in _reported
        _reported.add(path)
    if first:
        log.critical("THE DATABASE CANNOT BE WRITTEN (%s): nothing residents send is being saved. What to do: %s.",
                     error, advice.format(folder=path.parent))
    return StorageUnwritable(reason)


def _report_writable(path: Path) -> None:
    """After a write succeeds: log once that a database reported unwritable can be written again."""
    if path in _reported:
        with _reported_guard:
            if path not in _reported:
                return
            _reported.discard(path)
        log.warning("The database in %s can be written again: answers are being saved.", path.parent)


def connect(path: Path) -> Database:
    """Open ``path`` with the settings above and wrap it in a sqlite-utils ``Database``."""
    conn = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=True,
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StorageError(f"{path}: could not switch to WAL journal mode (got {mode!r})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        return Database(conn, execute_plugins=False)
    except BaseException:
        conn.close()
        raise


_write_locks: dict[Path, threading.RLock] = {}
_write_locks_guard = threading.Lock()


def _write_lock(path: Path) -> threading.RLock:
    """The lock this process's write transactions on ``path`` take in turn.

    SQLite lets one writer in at a time; a thread that finds the database locked polls it with
    growing sleeps (``busy_timeout``). Threads of one process queue on this lock instead, and the
    next starts as soon as the last commits. Other processes still wait through ``busy_timeout``.
    """
    key = path.resolve()
    with _write_locks_guard:
        return _write_locks.setdefault(key, threading.RLock())


class Connections:
    """Hands each thread its own ``Database`` on the same file."""

    def __init__(self, path: str | Path):
        if str(path) == ":memory:" or str(path).startswith("file:"):
            raise ValueError(
                "Store needs a database file: each thread opens its own connection, "
                "so an in-memory database would be different in every thread"
            )
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = _write_lock(self.path)

    @property
    def db(self) -> Database:
        """This thread's database, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
        return db

    def close(self) -> None:
        """Close this thread's connection (other threads' close when their thread ends)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            self._local.db = None
            db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error.

        Nested blocks become savepoints, so a helper that opens a transaction can be
        called from inside another one.
        """
        try:
            with self._transaction() as db:
                yield db
        except sqlite3.OperationalError as error:
            if unwritable_reason(error) is None:
                raise
            raise _report_unwritable(self.path, error) from error

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Database]:
        db = self.db
        conn = db.conn
        if conn.in_transaction:
            name = f"assist_{secrets.token_hex(8)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield db
            except BaseException:
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                _report_writable(self.path)
