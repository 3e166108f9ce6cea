"""Retention: exactly what is due is deleted, nothing else; statistics survive; dry runs delete nothing."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from admin_support import SECRET, people, session  # noqa: F401
from assisted_support import app, client, clock, store  # noqa: F401
from assist.reporting.retention import purge, retention_days


def _deliver(store, reference, clock, days_ago):
    """Mark every outbox row of ``reference`` delivered ``days_ago`` days ago."""
    saved = clock.now
    clock.now = saved - timedelta(days=days_ago)
    for row in store.list_deliveries(reference=reference):
        store.mark_delivered(row["id"], "test")
    clock.now = saved


def _submitted(store, clock, form_id, days_ago_sent, **kwargs):
    saved = clock.now
    clock.now = saved - timedelta(days=days_ago_sent)
    journey = session(store, clock, form_id, outcome="submitted", pages=["p1"], **kwargs)
    clock.now = saved
    return store.get_journey(journey)["submission_reference"]


@pytest.fixture
def scenario(app, people, clock):
    """Submissions around each form's limit (missed-bin keeps 90 days, blue-badge 1095; a form that is no
    longer loaded takes the council default, 90), undelivered ones, and drafts saved, idle and active."""
    store = people
    s = SimpleNamespace(store=store)
    s.bin_due = _submitted(store, clock, "missed-bin", 100)
    _deliver(store, s.bin_due, clock, 91)
    s.bin_not_yet = _submitted(store, clock, "missed-bin", 100)
    _deliver(store, s.bin_not_yet, clock, 89)
    s.bin_failed = _submitted(store, clock, "missed-bin", 200)
    for row in store.list_deliveries(reference=s.bin_failed):
        store.mark_attempt_failed(row["id"], "test", "back office down", None)
    s.bin_pending = _submitted(store, clock, "missed-bin", 200)
    s.badge_kept = _submitted(store, clock, "blue-badge", 400)
    _deliver(store, s.badge_kept, clock, 365)
    s.badge_due = _submitted(store, clock, "blue-badge", 1200)
    _deliver(store, s.badge_due, clock, 1100)
    s.old_form_due = _submitted(store, clock, "retired-form", 120)
    store.db.execute("delete from outbox where submission_reference = ?", [s.old_form_due])  # never queued
    # Drafts: saved with a code that expired / is live; idle online (timed out) / active online.
    s.saved_expired = session(store, clock, "blue-badge", outcome="in_progress", pages=["p1"])
    store.save_for_later(s.saved_expired, "CODEA", "date_of_birth", "1950-01-01", clock.now - timedelta(days=1))
    s.saved_live = session(store, clock, "blue-badge", outcome="in_progress", pages=["p1"])
    store.save_for_later(s.saved_live, "CODEB", "date_of_birth", "1950-01-01", clock.now + timedelta(days=5))
    s.idle = session(store, clock, "blue-badge", outcome="in_progress", pages=["p1"], mode="online", venue_id=None,
                     helper_id=None, at=clock.now - timedelta(hours=2))
    s.active = session(store, clock, "blue-badge", outcome="in_progress", pages=["p1"], mode="online",
                       venue_id=None, helper_id=None)
    return s


def _answers(store, reference):
    return store.get_submission(reference)["answers"]


def test_purge_deletes_exactly_what_is_due(app, scenario):
    store = scenario.store
    stats_before = (store.form_counts(), store.stop_counts(), store.duration_counts())
    result = purge(store, app.extensions["assist.forms"], app.extensions["assist.config"])
    assert result.submissions == {"missed-bin": 1, "blue-badge": 1, "retired-form": 1}
    assert (result.saved_drafts, result.idle_drafts) == (1, 1)
    for gone in (scenario.bin_due, scenario.badge_due, scenario.old_form_due):
        assert _answers(store, gone) == {}
        assert store.get_submission(gone)["answers_deleted_at"]
        assert store.get_submission(gone)["form_id"]  # the record and its reference stay
    for kept in (scenario.bin_not_yet, scenario.bin_failed, scenario.bin_pending, scenario.badge_kept):
        assert _answers(store, kept) == {"p1": SECRET}
    assert store.get_journey(scenario.saved_expired)["status"] == "abandoned"
    assert store.get_journey(scenario.idle)["status"] == "abandoned"
    assert store.get_journey(scenario.saved_live)["answers"] == {"p1": SECRET}
    assert store.get_journey(scenario.active)["answers"] == {"p1": SECRET}
    assert store.db.execute("select count(*) from drafts where journey_id in (?, ?)",
                            [scenario.saved_expired, scenario.idle]).fetchone()[0] == 0
    # Statistics survive: the same sessions, sent and durations; the two expired drafts now count as unfinished.
    sessions_after = store.form_counts()
    assert sum(r["started"] for r in sessions_after) == sum(r["started"] for r in stats_before[0])
    assert sum(r["submitted"] for r in sessions_after) == sum(r["submitted"] for r in stats_before[0])
    assert store.duration_counts() == stats_before[2]
    assert sum(r["unfinished"] for r in sessions_after) == sum(r["unfinished"] for r in stats_before[0]) + 2
    # Audited with counts only, and a second run finds nothing more.
    entry = store.audit_log(event="purge")[-1]
    assert entry["detail"] == "submissions=3 saved_drafts=1 idle_drafts=1" and entry["journey_id"] is None
    again = purge(store, app.extensions["assist.forms"], app.extensions["assist.config"])
    assert again.submissions_total == 0 and again.drafts_total == 0


def test_dry_run_counts_the_same_and_deletes_nothing(app, scenario):
    store = scenario.store
    snapshot = store.db.execute("select reference, answers from submissions order by reference").fetchall()
    drafts = store.db.execute("select journey_id, answers from drafts order by journey_id").fetchall()
    result = purge(store, app.extensions["assist.forms"], app.extensions["assist.config"], dry_run=True)
    assert result.submissions == {"missed-bin": 1, "blue-badge": 1, "retired-form": 1}
    assert (result.saved_drafts, result.idle_drafts) == (1, 1)
    assert store.db.execute("select reference, answers from submissions order by reference").fetchall() == snapshot
    assert store.db.execute("select journey_id, answers from drafts order by journey_id").fetchall() == drafts
    assert store.audit_log(event="purge") == []


def test_purge_command(app, scenario):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete the answers of 3 delivered submissions." in dry.output
    assert "Would delete 1 expired saved draft and 1 timed-out draft." in dry.output  # not "draft(s)"
    assert _answers(scenario.store, scenario.bin_due) == {"p1": SECRET}
    real = runner.invoke(args=["purge"])
    assert "Deleted the answers of 3 delivered submissions." in real.output
    assert "Statistics are kept." in real.output
    assert SECRET not in real.output
    assert _answers(scenario.store, scenario.bin_due) == {}


def test_retention_days_from_form_or_config(config):
    assert retention_days(SimpleNamespace(retention_days=30), config) == 30
    assert retention_days(SimpleNamespace(retention_days=None), config) == config.retention.days_after_delivery
    assert retention_days(None, config) == config.retention.days_after_delivery


def test_daily_purge_runs_in_the_background(app, scenario):
    from assist.reporting.retention import DailyPurge

    scheduler = DailyPurge(scenario.store, app.extensions["assist.forms"], app.extensions["assist.config"],
                           interval=timedelta(seconds=30), first_after=timedelta(seconds=0.01))
    scheduler.start()
    try:
        import time

        deadline = time.monotonic() + 10
        while scheduler.last_result is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        scheduler.stop()
    assert scheduler.last_result is not None and scheduler.last_result.submissions_total == 3


def test_retention_page_shows_what_is_due(client, scenario):
    from admin_support import ADMIN_ID, sign_in_at

    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/retention").get_data(as_text=True)
    assert "1 saved form whose code has expired" in page and "1 unfinished form whose session timed out" in page
    assert SECRET not in page


def test_retention_page_writes_counts_and_times_in_words(client, scenario, clock):
    """A purge run reads "3 December 2026, 14:05: the answers of 1 submission, ..." in the council's
    time, not "2026-12-03 14:05 UTC: submissions=1 saved_drafts=0 ..."; a rule of one day is "1 day"."""
    from admin_support import ADMIN_ID, sign_in_at

    store = scenario.store
    clock.now = clock.now.replace(month=7, day=1, hour=13, minute=5)  # summer: London is an hour ahead of UTC
    store.audit("purge", detail="submissions=1 saved_drafts=0 idle_drafts=2")
    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/retention").get_data(as_text=True)
    runs = page.split("Recent deletions")[1]
    assert f"1 July {clock.now.year}, 14:05: the answers of 1 submission, 0 saved forms, 2 timed-out forms" in runs
    assert "submissions=1" not in runs and "UTC" not in runs
