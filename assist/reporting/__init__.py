"""Council reporting: dashboard figures and charts, CSV and PDF exports, and retention.

Plain Python over :mod:`assist.storage`'s aggregate queries (no Flask here); the admin pages
are in :mod:`assist.web.admin`.
"""

from .charts import Chart
from .dashboard import Dashboard, Filters, build
from .retention import DailyPurge, PurgeResult, purge

__all__ = ["Chart", "DailyPurge", "Dashboard", "Filters", "PurgeResult", "build", "purge"]
