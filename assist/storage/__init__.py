"""Storage: the only place that talks SQL. See :class:`Store`."""

from .crypto import DataKeyError, TamperedData
from .data_keys import DATA_KEY_FILE, DEFAULT_DATA_KEY_ENV, DataKeys
from .errors import JourneyClosed, JourneyNotFound, StorageError, StorageUnwritable
from .journeys import ABANDONED, CLEARED, IN_PROGRESS, MODES, STATUSES, SUBMITTED
from .store import Store

__all__ = [
    "Store",
    "StorageError",
    "StorageUnwritable",
    "JourneyNotFound",
    "JourneyClosed",
    "DataKeyError",
    "TamperedData",
    "DataKeys",
    "DATA_KEY_FILE",
    "DEFAULT_DATA_KEY_ENV",
    "IN_PROGRESS",
    "SUBMITTED",
    "CLEARED",
    "ABANDONED",
    "STATUSES",
    "MODES",
]
