"""Storage: journeys and drafts - what a resident's answers go through between pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assist.moments import ManualClock
from assist.storage import JourneyClosed, JourneyNotFound, Store

START = datetime(2026, 11, 24, 17, 30, 2, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def store(tmp_path, clock):
    store = Store(tmp_path / "data" / "assist.db", clock=clock)
    store.migrate()
    yield store
    store.close()


def test_a_new_journey_has_no_answers_and_an_unguessable_id(store):
    first = store.start_journey("blue-badge", "2026.1", "en")
    second = store.start_journey("blue-badge", "2026.1", "en")
    assert first != second
    assert len(first) >= 32 and first.replace("-", "").replace("_", "").isalnum()
    journey = store.get_journey(first)
    assert journey["answers"] == {}
    assert journey["status"] == "in_progress"
    assert journey["form_id"] == "blue-badge" and journey["form_version"] == "2026.1"
    assert journey["mode"] == "online" and journey["language"] == "en"
    assert journey["last_page"] is None and journey["submission_reference"] is None


def test_unknown_journey_is_none(store):
    assert store.get_journey("no-such-journey") is None


def test_answers_round_trip_with_unicode(store):
    answers = {
        "full-name": "Siân Ó Dónaill-Łukasiewicz",
        "address": {"line1": "١٢ شارع", "line2": "", "town": "Caerdydd", "county": "", "postcode": "CF10 1AA"},
        "languages": ["cy", "pl", "ur"],
        "people": 3,
        "household": [{"person-name": "বাংলা নাম"}, {"person-name": "Soomaali 😊"}],
        "declaration": True,
    }
    journey_id = store.start_journey("blue-badge", "2026.1", "cy", mode="assisted", venue_id="library", helper_id="h1")
    store.save_answers(journey_id, answers, last_page="household")
    journey = store.get_journey(journey_id)
    assert journey["answers"] == answers
    assert journey["last_page"] == "household"
    assert (journey["venue_id"], journey["helper_id"], journey["mode"]) == ("library", "h1", "assisted")


def test_save_replaces_the_answers(store):
    journey_id = store.start_journey("f", "1", "en")
    store.save_answers(journey_id, {"a": "1", "b": "2"}, last_page="b")
    store.save_answers(journey_id, {"a": "changed"}, last_page="a")
    assert store.get_journey(journey_id)["answers"] == {"a": "changed"}


def test_journey_statistics_row_never_holds_answers(store):
    journey_id = store.start_journey("f", "1", "en")
    store.save_answers(journey_id, {"ni": "QQ123456C"}, last_page="ni")
    row = store.db["journeys"].get(journey_id)
    assert "QQ123456C" not in repr(row)


def test_unknown_mode_is_refused(store):
    with pytest.raises(ValueError, match="mode"):
        store.start_journey("f", "1", "en", mode="telepathy")


def test_saving_to_an_unknown_journey_fails(store):
    with pytest.raises(JourneyNotFound):
        store.save_answers("nope", {"a": "1"}, last_page="a")


def test_timestamps_follow_the_injected_clock(store, clock):
    journey_id = store.start_journey("f", "1", "en")
    clock.advance(minutes=3)
    store.save_answers(journey_id, {"a": "1"}, last_page="a")
    journey = store.get_journey(journey_id)
    assert journey["started_at"] == "2026-11-24T17:30:02Z"
    assert journey["last_activity_at"] == "2026-11-24T17:33:02Z"
    clock.advance(seconds=30)
    assert store.touch(journey_id) is True
    assert store.get_journey(journey_id)["last_activity_at"] == "2026-11-24T17:33:32Z"


def test_clock_in_another_time_zone_is_stored_as_utc(tmp_path):
    bst = timezone(timedelta(hours=1))
    store = Store(tmp_path / "a.db", clock=lambda: datetime(2026, 7, 1, 9, 0, 0, 900000, tzinfo=bst))
    store.migrate()
    journey = store.get_journey(store.start_journey("f", "1", "en"))
    assert journey["started_at"] == "2026-07-01T08:00:00Z"


def test_naive_clock_is_refused(tmp_path):
    store = Store(tmp_path / "a.db", clock=lambda: datetime(2026, 7, 1, 9, 0))
    with pytest.raises(ValueError, match="time zone"):
        store.migrate()


def test_set_language(store):
    journey_id = store.start_journey("f", "1", "en")
    assert store.set_language(journey_id, "cy") is True
    assert store.get_journey(journey_id)["language"] == "cy"
    assert store.set_language("unknown", "cy") is False


def test_exit_keeps_answers_so_the_resident_can_go_back(store):
    journey_id = store.start_journey("f", "1", "en")
    store.save_answers(journey_id, {"eligible": "no"}, last_page="eligible")
    assert store.mark_exited(journey_id, "not-eligible") is True
    journey = store.get_journey(journey_id)
    assert journey["exit_id"] == "not-eligible"
    assert journey["status"] == "in_progress"
    assert journey["answers"] == {"eligible": "no"}
    store.save_answers(journey_id, {"eligible": "yes"}, last_page="eligible")
    assert store.get_journey(journey_id)["exit_id"] is None


def test_discard_removes_answers_and_keeps_statistics(store):
    journey_id = store.start_journey("f", "1", "en", mode="kiosk", venue_id="central-library")
    store.save_answers(journey_id, {"name": "Previous Resident"}, last_page="name")
    assert store.discard_journey(journey_id) is True
    journey = store.get_journey(journey_id)
    assert journey["status"] == "cleared"
    assert journey["answers"] == {}
    assert (journey["form_id"], journey["mode"], journey["venue_id"], journey["last_page"]) == (
        "f",
        "kiosk",
        "central-library",
        "name",
    )
    assert store.db["drafts"].count == 0
    assert store.discard_journey("unknown") is False


def test_a_cleared_journey_cannot_take_answers_again(store):
    journey_id = store.start_journey("f", "1", "en")
    store.discard_journey(journey_id)
    with pytest.raises(JourneyClosed):
        store.save_answers(journey_id, {"name": "Next Resident"}, last_page="name")
    assert store.touch(journey_id) is False
    assert store.mark_exited(journey_id, "x") is False
    assert store.get_journey(journey_id)["answers"] == {}


def test_discarded_answers_are_not_left_in_the_database_file(store):
    journey_id = store.start_journey("f", "1", "en")
    secret = "Zebedee-Quartermaine-4471"
    store.save_answers(journey_id, {"name": secret}, last_page="name")
    store.discard_journey(journey_id)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert secret.encode() not in store.path.read_bytes()


def test_expire_removes_idle_answers_and_keeps_statistics(store, clock):
    idle = store.start_journey("f", "1", "en")
    store.save_answers(idle, {"name": "Idle"}, last_page="name")
    submitted = store.start_journey("f", "1", "en")
    store.submit(submitted, lambda: "AB-0001", {"name": "Done"})
    clock.advance(days=30)
    recent = store.start_journey("f", "1", "en")
    store.save_answers(recent, {"name": "Recent"}, last_page="name")

    assert store.expire_journeys(older_than=clock.now - timedelta(days=7)) == 1

    expired = store.get_journey(idle)
    assert expired["status"] == "abandoned"
    assert expired["answers"] == {}
    assert expired["last_page"] == "name" and expired["started_at"] == "2026-11-24T17:30:02Z"
    assert store.get_journey(recent)["answers"] == {"name": "Recent"}
    assert store.get_journey(submitted)["status"] == "submitted"
    assert store.get_submission("AB-0001")["answers"] == {"name": "Done"}
    assert [row["journey_id"] for row in store.db["drafts"].rows] == [recent]
    assert store.expire_journeys(older_than=clock.now - timedelta(days=7)) == 0


def test_expire_needs_an_aware_datetime(store):
    with pytest.raises(ValueError):
        store.expire_journeys(older_than=datetime(2026, 1, 1))
