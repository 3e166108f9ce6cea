"""Storage: the only place that talks SQL. See :class:`Store`."""

from .errors import JourneyClosed, JourneyNotFound, StorageError
from .journeys import ABANDONED, CLEARED, IN_PROGRESS, MODES, STATUSES, SUBMITTED
from .store import Store

__all__ = [
    "Store",
    "StorageError",
    "JourneyNotFound",
    "JourneyClosed",
    "IN_PROGRESS",
    "SUBMITTED",
    "CLEARED",
    "ABANDONED",
    "STATUSES",
    "MODES",
]
