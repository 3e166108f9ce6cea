"""Errors raised by :mod:`assist.storage`."""

from __future__ import annotations


class StorageError(Exception):
    """Something went wrong in the storage layer."""


class JourneyNotFound(StorageError, LookupError):
    """No journey has this id."""


class JourneyClosed(StorageError):
    """The journey was submitted, cleared or abandoned: its answers can no longer change."""
