"""Schema migrations: ordered, named functions, each applied once.

Every migration runs in its own ``BEGIN IMMEDIATE`` transaction together with the row
that records it in ``_migrations(name, applied_at)``. If it fails, nothing of it stays
and it is tried again next time. Two processes migrating at once are safe: the second
waits for the write lock, then sees the migration recorded and skips it.

To change the schema, append a new function decorated with ``@migration``. Never rename,
reorder or edit a migration that has been released: databases in libraries already have it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from .errors import StorageError

Migration = Callable[[Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration, under its function name."""
    if any(existing.__name__ == fn.__name__ for existing in MIGRATIONS):
        raise ValueError(f"duplicate migration name {fn.__name__!r}")
    MIGRATIONS.append(fn)
    return fn


def apply_migrations(connections, now: Callable[[], str], migrations: list[Migration] | None = None) -> list[str]:
    """Apply the pending ``migrations`` (default: all registered); return the names applied."""
    migrations = MIGRATIONS if migrations is None else migrations
    with connections.transaction() as db:
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name", not_null={"applied_at"}, if_not_exists=True)
    applied = []
    for fn in migrations:
        with connections.transaction() as db:
            if db.execute("select 1 from _migrations where name = ?", [fn.__name__]).fetchone():
                continue
            try:
                fn(db)
            except Exception as error:
                raise StorageError(f"migration {fn.__name__} failed: {error}") from error
            db["_migrations"].insert({"name": fn.__name__, "applied_at": now()})
        applied.append(fn.__name__)
    return applied


def applied_migrations(db: Database) -> list[str]:
    """Names of the migrations recorded in ``db``, oldest first."""
    if not db["_migrations"].exists():
        return []
    return [row[0] for row in db.execute("select name from _migrations order by rowid")]


# --- the migrations -------------------------------------------------------------------


@migration
def create_journeys(db: Database) -> None:
    """Journeys: one per resident's session on a form. Statistics only, never answers."""
    db["journeys"].create(
        {
            "id": str,
            "form_id": str,
            "form_version": str,
            "language": str,
            "mode": str,
            "venue_id": str,
            "helper_id": str,
            "status": str,
            "started_at": str,
            "last_activity_at": str,
            "completed_at": str,
            "last_page": str,
            "exit_id": str,
            "submission_reference": str,
        },
        pk="id",
        not_null={"form_id", "form_version", "language", "mode", "status", "started_at", "last_activity_at"},
        defaults={"status": "in_progress"},
    )
    db["journeys"].create_index(["form_id", "started_at"], index_name="journeys_form_started")
    # Leading column is status, so it also serves lookups by status alone.
    db["journeys"].create_index(["status", "last_activity_at"], index_name="journeys_status")


@migration
def create_drafts(db: Database) -> None:
    """Drafts: the answers of a journey in progress, as JSON. Deleted when the journey ends."""
    db["drafts"].create(
        {"journey_id": str, "answers": str},
        pk="journey_id",
        not_null={"answers"},
        foreign_keys=[("journey_id", "journeys", "id")],
    )


@migration
def create_submissions(db: Database) -> None:
    """Submissions: what was sent, with its reference. One per journey at most."""
    db["submissions"].create(
        {
            "reference": str,
            "journey_id": str,
            "form_id": str,
            "form_version": str,
            "language": str,
            "mode": str,
            "venue_id": str,
            "helper_id": str,
            "submitted_at": str,
            "answers": str,
        },
        pk="reference",
        not_null={"journey_id", "form_id", "form_version", "language", "mode", "submitted_at", "answers"},
        foreign_keys=[("journey_id", "journeys", "id")],
    )
    db["submissions"].create_index(["journey_id"], index_name="submissions_journey", unique=True)
    db["submissions"].create_index(["submitted_at"], index_name="submissions_submitted")
