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


# --- assisted mode: venues, helpers, helper sessions, audit, resume codes ---------------


@migration
def create_venues(db: Database) -> None:
    """Venues: libraries, post offices, pubs where helpers work or kiosks stand."""
    db["venues"].create(
        {"id": str, "name": str, "address": str, "mode": str, "active": int, "created_at": str},
        pk="id",
        not_null={"name", "mode", "active", "created_at"},
        defaults={"mode": "assisted", "active": 1},
    )


@migration
def create_helpers(db: Database) -> None:
    """Helpers: display name, role, PIN hash (scrypt), lockout state. Never the PIN itself."""
    db["helpers"].create(
        {
            "id": str,
            "display_name": str,
            "name_key": str,
            "role": str,
            "pin_hash": str,
            "active": int,
            "failed_attempts": int,
            "locked_until": str,
            "created_at": str,
            "pin_changed_at": str,
        },
        pk="id",
        not_null={"display_name", "name_key", "role", "pin_hash", "active", "failed_attempts", "created_at"},
        defaults={"role": "helper", "active": 1, "failed_attempts": 0},
    )
    db["helpers"].create_index(["name_key"], index_name="helpers_name_key")
    db["helper_venues"].create(
        {"helper_id": str, "venue_id": str},
        pk=("helper_id", "venue_id"),
        foreign_keys=[("helper_id", "helpers", "id"), ("venue_id", "venues", "id")],
    )


@migration
def create_helper_sessions(db: Database) -> None:
    """A helper signed in on a tablet, and the resident session they are running there (if any)."""
    db["helper_sessions"].create(
        {
            "id": str,
            "helper_id": str,
            "venue_id": str,
            "started_at": str,
            "last_activity_at": str,
            "ended_at": str,
            "end_reason": str,
            "journey_id": str,
            "holder": str,
        },
        pk="id",
        not_null={"helper_id", "venue_id", "started_at", "last_activity_at"},
        foreign_keys=[("helper_id", "helpers", "id")],
    )
    db["helper_sessions"].create_index(["helper_id", "started_at"], index_name="helper_sessions_helper")


@migration
def create_audit(db: Database) -> None:
    """The audit log: who did what, when, where, on which session. Never answer values."""
    db["audit"].create(
        {
            "id": int,
            "at": str,
            "event": str,
            "helper_id": str,
            "venue_id": str,
            "journey_id": str,
            "detail": str,
        },
        pk="id",
        not_null={"at", "event"},
    )
    db["audit"].create_index(["at"], index_name="audit_at")
    db["audit"].create_index(["journey_id"], index_name="audit_journey")


@migration
def add_assisted_journey_columns(db: Database) -> None:
    """Consent (version and time) on journeys; who typed each answer on drafts and submissions."""
    db["journeys"].add_column("consent_version", str)
    db["journeys"].add_column("consent_at", str)
    db["drafts"].add_column("typed_by", str)
    db["submissions"].add_column("typed_by", str)
    db["journeys"].create_index(["helper_id", "started_at"], index_name="journeys_helper_started")


@migration
def create_resume_codes(db: Database) -> None:
    """Save and carry on later: a code (stored as a hash) and a second check (scrypt hash) per draft."""
    db["resume_codes"].create(
        {
            "code_hash": str,
            "journey_id": str,
            "check_kind": str,
            "check_hash": str,
            "failed_attempts": int,
            "created_at": str,
            "expires_at": str,
            "locked": int,
        },
        pk="code_hash",
        not_null={"journey_id", "check_kind", "check_hash", "failed_attempts", "created_at", "expires_at", "locked"},
        defaults={"failed_attempts": 0, "locked": 0},
        foreign_keys=[("journey_id", "journeys", "id")],
    )
    db["resume_codes"].create_index(["journey_id"], index_name="resume_codes_journey", unique=True)
    db["resume_codes"].create_index(["expires_at"], index_name="resume_codes_expires")


@migration
def create_help_requests(db: Database) -> None:
    """Kiosk "Ask for help" requests: venue, time, form and language, status. Never personal data."""
    db["help_requests"].create(
        {
            "id": int,
            "venue_id": str,
            "form_id": str,
            "language": str,
            "status": str,
            "created_at": str,
            "acknowledged_at": str,
            "acknowledged_by": str,
        },
        pk="id",
        not_null={"venue_id", "status", "created_at"},
        defaults={"status": "open"},
    )
    db["help_requests"].create_index(["venue_id", "created_at"], index_name="help_requests_venue")
    db["journeys"].create_index(["mode", "status", "last_activity_at"], index_name="journeys_mode_idle",
                                if_not_exists=True)


# --- delivery: the outbox, and paper copies keyed in -----------------------------------------


@migration
def create_outbox(db: Database) -> None:
    """The outbox: one row per submission and destination, written with the submission; never
    deleted before delivery. ``claimed_by``/``claimed_until`` are a delivery worker's lease."""
    db["outbox"].create(
        {
            "id": int,
            "submission_reference": str,
            "destination": str,
            "idempotency_key": str,
            "status": str,
            "attempts": int,
            "created_at": str,
            "next_attempt_at": str,
            "last_attempt_at": str,
            "delivered_at": str,
            "last_error": str,
            "detail": str,
            "claimed_by": str,
            "claimed_until": str,
        },
        pk="id",
        not_null={"submission_reference", "destination", "idempotency_key", "status", "attempts", "created_at",
                  "next_attempt_at"},
        defaults={"status": "pending", "attempts": 0},
        foreign_keys=[("submission_reference", "submissions", "reference")],
    )
    db["outbox"].create_index(["submission_reference", "destination"], index_name="outbox_submission", unique=True)
    db["outbox"].create_index(["idempotency_key"], index_name="outbox_idempotency_key", unique=True)
    db["outbox"].create_index(["status", "next_attempt_at"], index_name="outbox_due")


@migration
def create_paper_copies(db: Database) -> None:
    """Paper copies keyed in: paper reference + the copy's paper number, once each."""
    db["paper_copies"].create(
        {
            "paper_reference": str,
            "paper_number": str,
            "answers_digest": str,
            "submission_reference": str,
            "form_id": str,
            "form_version": str,
            "language": str,
            "helper_id": str,
            "venue_id": str,
            "keyed_at": str,
        },
        pk=("paper_reference", "paper_number"),
        not_null={"answers_digest", "submission_reference", "form_id", "form_version", "language", "keyed_at"},
        foreign_keys=[("submission_reference", "submissions", "reference")],
    )
    db["paper_copies"].create_index(["paper_reference", "answers_digest"], index_name="paper_copies_answers")
    db["paper_copies"].create_index(["submission_reference"], index_name="paper_copies_submission", unique=True)
