"""Errors raised by :mod:`assist.storage`."""

from __future__ import annotations


class StorageError(Exception):
    """Something went wrong in the storage layer."""


class JourneyNotFound(StorageError, LookupError):
    """No journey has this id."""


class JourneyClosed(StorageError):
    """The journey was submitted, cleared or abandoned: its answers can no longer change."""


class StorageUnwritable(StorageError):
    """The database cannot be written (disk full, read-only, failing disk): nothing was saved.

    ``reason`` is ``"full"``, ``"read-only"`` or ``"failing"``; the log says what to do.
    """

    def __init__(self, reason: str):
        super().__init__(f"the database cannot be written ({reason})")
        self.reason = reason
