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


# --- reporting and retention (council administration) ------------------------------------
#
# The dashboard reads weekly summary tables kept up to date by triggers on ``journeys``, so its
# cost grows with weeks x venues x forms (or languages, modes), not with the number of sessions.
# Each journey adds itself to the summaries when inserted; when a column that matters changes
# (status, language, venue …) the old row's contribution is taken away and the new one's added.
# Page views (``last_page`` while in progress) do not fire the triggers. Counts only: never
# answers, never who. Days at the edges of a period that are not whole weeks are counted from
# ``journeys`` itself (index ``journeys_started``); see :mod:`assist.storage.reporting`.

#: SQL expressions over a journeys row ``{r}``.
SUMMARY_EXPRESSIONS = {
    "week": "date(substr({r}.started_at, 1, 10), '-6 days', 'weekday 1')",
    "venue_id": "coalesce({r}.venue_id, '')",
    "ended": "{r}.status in ('cleared', 'abandoned')",
    "stop": "coalesce('exit:' || {r}.exit_id, {r}.last_page, '')",
    "minutes": "max(0, cast(round((julianday({r}.completed_at) - julianday({r}.started_at)) * 1440) as integer))",
}
_ENDED = SUMMARY_EXPRESSIONS["ended"]
#: table -> (key columns after week and venue_id: expressions, counters: expressions, row filter or None)
SUMMARY_TABLES = {
    "stats_forms": (
        {"form_id": "{r}.form_id", "form_version": "{r}.form_version"},
        {"started": "1", "submitted": "{r}.status = 'submitted'", "unfinished": _ENDED,
         "in_progress": "{r}.status = 'in_progress'", "exited": f"{_ENDED} and {{r}}.exit_id is not null"},
        None,
    ),
    "stats_languages": ({"language": "{r}.language"}, {"started": "1", "submitted": "{r}.status = 'submitted'"}, None),
    "stats_modes": ({"mode": "{r}.mode"}, {"started": "1", "submitted": "{r}.status = 'submitted'"}, None),
    "stats_stops": ({"form_id": "{r}.form_id", "stop": SUMMARY_EXPRESSIONS["stop"]}, {"sessions": "1"}, _ENDED),
    "stats_durations": (
        {"form_id": "{r}.form_id", "minutes": SUMMARY_EXPRESSIONS["minutes"]}, {"sessions": "1"},
        "{r}.status = 'submitted' and {r}.completed_at is not null",
    ),
}


def summary_select(table: str, r: str, sign: str = "") -> tuple[list[str], list[str], str]:
    """Columns, value expressions and filter of ``table``'s contribution of journeys row ``r``."""
    keys, counters, condition = SUMMARY_TABLES[table]
    columns = ["week", "venue_id", *keys, *counters]
    values = [SUMMARY_EXPRESSIONS["week"].format(r=r), SUMMARY_EXPRESSIONS["venue_id"].format(r=r)]
    values += [expression.format(r=r) for expression in keys.values()]
    values += [f"{sign}({expression.format(r=r)})" for expression in counters.values()]
    return columns, values, condition.format(r=r) if condition else "true"


def _summary_add(r: str, sign: str) -> str:
    """SQL statements adding (``sign`` "+") or taking away ("-") row ``r``'s contribution."""
    statements = []
    for table, (keys, counters, _condition) in SUMMARY_TABLES.items():
        columns, values, condition = summary_select(table, r, sign)
        key = ", ".join(["week", "venue_id", *keys])
        updates = ", ".join(f"{c} = {c} + excluded.{c}" for c in counters)
        statements.append(f"insert into {table} ({', '.join(columns)}) select {', '.join(values)} where {condition} "
                          f"on conflict ({key}) do update set {updates};")
    return "\n".join(statements)


@migration
def create_reporting_summaries(db: Database) -> None:
    """Weekly summary tables for the council dashboard (sessions per venue and form, language or mode;
    where unfinished sessions stopped; minutes to complete), filled from the journeys so far and
    kept up to date by triggers."""
    for table, (keys, counters, _condition) in SUMMARY_TABLES.items():
        key_columns = ["week", "venue_id", *keys]
        columns = [f"{c} {'integer' if c == 'minutes' else 'text'} not null" for c in key_columns]
        columns += [f"{c} integer not null default 0" for c in counters]
        db.execute(f"create table {table} ({', '.join(columns)}, primary key ({', '.join(key_columns)}))")
    db["journeys"].create_index(["started_at"], index_name="journeys_started", if_not_exists=True)
    # The dashboard groups stops and durations by form: these indexes cover those queries, in order.
    db.execute("create index stats_stops_form on stats_stops (form_id, stop, week, venue_id, sessions)")
    db.execute("create index stats_durations_form on stats_durations (form_id, minutes, week, venue_id, sessions)")
    watched = "status, language, venue_id, mode, form_id, form_version, started_at, exit_id, last_page, completed_at"
    changed = " or ".join(f"old.{c} is not new.{c}" for c in
                          ("status", "language", "venue_id", "mode", "form_id", "form_version", "started_at",
                           "completed_at"))
    changed += (" or (new.status in ('cleared', 'abandoned') and "
                "(old.exit_id is not new.exit_id or old.last_page is not new.last_page))")
    db.execute(f"create trigger journeys_stats_insert after insert on journeys begin\n{_summary_add('new', '+')}\nend")
    db.execute(f"create trigger journeys_stats_delete after delete on journeys begin\n{_summary_add('old', '-')}\nend")
    db.execute(
        f"create trigger journeys_stats_update after update of {watched} on journeys when {changed} begin\n"
        f"{_summary_add('old', '-')}\n{_summary_add('new', '+')}\nend"
    )
    rebuild_summaries(db)


def rebuild_summaries(db: Database) -> None:
    """Empty the summary tables and count every journey into them again."""
    for table, (keys, counters, _condition) in SUMMARY_TABLES.items():
        db.execute(f"delete from {table}")
        columns, values, condition = summary_select(table, "journeys")
        width = 2 + len(keys)
        values = values[:width] + [f"sum{v}" for v in values[width:]]
        db.execute(f"insert into {table} ({', '.join(columns)}) select {', '.join(values)} from journeys "
                   f"where {condition} group by {', '.join(str(n) for n in range(1, width + 1))}")


@migration
def add_retention_columns(db: Database) -> None:
    """When a submission's answers were deleted under the retention rules (the row and its
    statistics stay); indexes for the admin's submission list and the purge."""
    db["submissions"].add_column("answers_deleted_at", str)
    db["submissions"].create_index(["venue_id", "submitted_at"], index_name="submissions_venue_submitted")
    db["submissions"].create_index(["form_id", "submitted_at"], index_name="submissions_form_submitted")


@migration
def create_browser_sessions(db: Database) -> None:
    """Browser sessions on the server: the cookie holds a random id, found here by its hash."""
    db["browser_sessions"].create(
        {"id": str, "data": str, "created_at": str, "last_seen_at": str},
        pk="id",
        not_null={"data", "created_at", "last_seen_at"},
    )
    db["browser_sessions"].create_index(["last_seen_at"], index_name="browser_sessions_seen")


@migration
def create_sign_in_attempts(db: Database) -> None:
    """Wrong PINs counted per venue and typed name (``helpers.name_key`` form), whether or not a helper
    has that name, with the wait they impose; they replace the helpers' own lockout columns."""
    db["sign_in_attempts"].create(
        {"venue_id": str, "name_key": str, "failures": int, "wait_until": str, "forget_at": str},
        pk=("venue_id", "name_key"),
        not_null={"failures", "forget_at"},
    )
    db["sign_in_attempts"].create_index(["forget_at"], index_name="sign_in_attempts_forget")
    db.execute("alter table helpers drop column failed_attempts")
    db.execute("alter table helpers drop column locked_until")


@migration
def key_paper_digests(db: Database) -> None:
    """Paper copies' answer digests become keyed: HMAC-SHA-256 under a random key kept in ``digest_keys``,
    sealed with the data key. The unkeyed SHA-256 digests kept until now cannot be keyed without the
    answers, which only the data key opens: they are dropped here, and at start-up the store digests
    again each copy whose answers are still kept (``Store.key_paper_digests``). A copy whose answers
    were deleted under the retention rules keeps no digest; its paper number still refuses it again."""
    db["digest_keys"].create({"name": str, "key": str, "created_at": str}, pk="name",
                             not_null={"key", "created_at"})
    db.execute("drop index paper_copies_answers")
    db.execute("alter table paper_copies drop column answers_digest")
    db["paper_copies"].add_column("answers_digest", str)
    db["paper_copies"].create_index(["paper_reference", "answers_digest"], index_name="paper_copies_answers")


@migration
def create_evidence(db: Database) -> None:
    """Files a resident gave as evidence (photos of documents, PDFs), sealed with the data key and
    bound to their journey; they go when the journey is cleared or abandoned, and when its
    submission's answers are deleted under the retention rules (triggers, so no path forgets)."""
    db["evidence"].create(
        {"id": str, "journey_id": str, "question_id": str, "media_type": str, "size": int,
         "created_at": str, "data": bytes, "thumbnail": bytes},
        pk="id",
        not_null={"journey_id", "question_id", "media_type", "size", "created_at", "data"},
        foreign_keys=[("journey_id", "journeys", "id")],
    )
    db["evidence"].create_index(["journey_id"], index_name="evidence_journey")
    db.execute(
        "create trigger evidence_ends_with_its_journey after update of status on journeys "
        "when new.status in ('cleared', 'abandoned') "
        "begin delete from evidence where journey_id = new.id; end")
    db.execute(
        "create trigger evidence_ends_with_its_answers after update of answers_deleted_at on submissions "
        "when new.answers_deleted_at is not null "
        "begin delete from evidence where journey_id = new.journey_id; end")


@migration
def create_health(db: Database) -> None:
    """One row the health check rewrites, proving the database can still be written."""
    db["health"].create({"name": str, "checked_at": str}, pk="name", not_null={"checked_at"})
