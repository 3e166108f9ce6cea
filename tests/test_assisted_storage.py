"""Storage for assisted mode: PIN hashes and lockout, helper sessions, resume codes, audit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assist.moments import ManualClock
from assist.storage import Store
from assist.storage.helpers import PinLimits, name_key


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def store(tmp_path, clock):
    store = Store(tmp_path / "assist.db", clock=clock)
    store.migrate()
    store.add_venue("central-library", "Central Library")
    yield store
    store.close()


def test_pins_are_4_to_8_digits_and_stored_as_salted_scrypt(store):
    for bad in ("123", "123456789", "12a4", ""):
        with pytest.raises(ValueError):
            store.add_helper("Sam Helper", bad, ["central-library"])
    first = store.add_helper("Sam Helper", "1234", ["central-library"])
    second = store.add_helper("Sam Helper", "1234", ["central-library"])
    assert (first, second) == ("sam-helper", "sam-helper-2")
    hashes = [row[0] for row in store.db.execute("select pin_hash from helpers")]
    assert all(h.startswith("scrypt$") for h in hashes) and hashes[0] != hashes[1]
    assert "pin_hash" not in store.get_helper(first)


def test_after_max_attempts_each_try_waits_and_the_wait_doubles(store, clock):
    helper = store.add_helper("Sam Helper", "1234", ["central-library"])
    for left in (4, 3, 2, 1):
        assert store.sign_in_helper("central-library", "Sam Helper", "9999").attempts_left == left
    waiting = store.sign_in_helper("central-library", "Sam Helper", "9999")
    assert waiting.outcome == "wait" and waiting.wait_started and waiting.helper_id == helper
    assert waiting.wait_until == clock.now + timedelta(minutes=1)
    assert store.sign_in_helper("central-library", "Sam Helper", "1234").outcome == "wait"
    clock.now += timedelta(minutes=1)
    assert store.sign_in_helper("central-library", "Sam Helper", "9999").wait_until == clock.now + timedelta(minutes=2)
    clock.now += timedelta(minutes=2)
    assert store.sign_in_helper("central-library", "Sam Helper", "1234").ok


def test_the_wait_settings_are_honoured_and_the_wait_is_capped(store, clock):
    helper = store.add_helper("Sam Helper", "1234", ["central-library"])
    limits = PinLimits(attempts=3, delay_minutes=2, max_delay_minutes=5)
    waits = []
    for _ in range(6):
        outcome = store.check_pin(helper, "central-library", "0000", limits)
        waits.append(outcome.wait_until - clock.now if outcome.wait_until else None)
        clock.now += timedelta(minutes=5)
    assert waits == [None, None] + [timedelta(minutes=m) for m in (2, 4, 5, 5)]
    assert store.check_pin(helper, "central-library", "1234", limits).ok


def test_a_right_pin_resets_the_count(store):
    helper = store.add_helper("Sam Helper", "1234", ["central-library"])
    for _ in range(4):
        store.check_pin(helper, "central-library", "0000")
    assert store.check_pin(helper, "central-library", "1234").ok
    assert store.check_pin(helper, "central-library", "0000").attempts_left == 4


def test_a_streak_of_wrong_pins_is_forgotten_a_day_after_its_wait(store, clock):
    store.add_helper("Sam Helper", "1234", ["central-library"])
    for _ in range(5):
        store.sign_in_helper("central-library", "Sam Helper", "0000")
    clock.now += timedelta(minutes=1, hours=24)
    assert store.sign_in_helper("central-library", "Sam Helper", "0000").attempts_left == 4
    assert store.db.execute("select count(*) from sign_in_attempts").fetchone()[0] == 1


def test_a_new_pin_or_an_admin_ends_the_wait_at_the_helpers_venues_only(store):
    store.add_venue("north-library", "North Library")
    helper = store.add_helper("Sam Helper", "1234", ["central-library"])
    for venue in ("central-library", "north-library"):
        for _ in range(5):
            store.sign_in_helper(venue, "Sam Helper", "0000")
    assert list(store.pin_waits()) == [helper]
    assert store.clear_pin_wait(helper) and store.pin_waits() == {}
    assert store.sign_in_helper("north-library", "Sam Helper", "1234").outcome == "wait"  # not Sam's venue
    for _ in range(5):
        store.sign_in_helper("central-library", "Sam Helper", "0000")
    assert store.set_pin(helper, "5678") and store.pin_waits() == {}
    assert store.sign_in_helper("central-library", "Sam Helper", "5678").ok
    assert not store.clear_pin_wait("nobody")


def test_names_match_ignoring_case_and_spaces(store):
    store.add_helper("Siân  O'Brien", "1234", ["central-library"])
    assert name_key(" SIÂN o'brien ") == name_key("Siân O'Brien")
    assert store.find_helpers_by_name("Sian O Brien") == []  # a different name is not a match
    assert [h["display_name"] for h in store.find_helpers_by_name("SIÂN  o'brien")] == ["Siân O'Brien"]


def test_audit_refuses_unknown_events_and_long_details(store):
    with pytest.raises(ValueError):
        store.audit("answer_typed")
    with pytest.raises(ValueError):
        store.audit("save", detail="x" * 201)
    store.audit("sign_in", helper_id="h", venue_id="v")
    assert store.audit_log()[0]["event"] == "sign_in"


def test_saved_drafts_outlive_idle_expiry_until_their_code_expires(store, clock):
    kept = store.start_journey("missed-bin", "1", "en")
    idle = store.start_journey("missed-bin", "1", "en")
    store.save_answers(kept, {"bin-type": "black"}, last_page="bin-type")
    store.save_for_later(kept, "7K4M-2QXT", "date_of_birth", "1948-11-03", clock.now + timedelta(days=30))
    clock.now += timedelta(days=2)
    assert store.expire_journeys(clock.now - timedelta(hours=1)) == 1
    assert store.get_journey(idle)["status"] == "abandoned"
    assert store.get_journey(kept)["answers"] == {"bin-type": "black"}
    clock.now += timedelta(days=29)
    assert store.expire_journeys(clock.now - timedelta(hours=1)) == 1
    assert store.get_journey(kept)["status"] == "abandoned"


def test_typed_by_is_kept_only_for_submitted_answers(store):
    journey = store.start_journey("missed-bin", "1", "en", mode="assisted", venue_id="central-library", helper_id="h")
    answers = {"a": "1", "b": "2", "people": [{"c": "3"}]}
    store.save_answers(journey, answers, last_page="a", typed_by={"a": "helper"})
    store.save_answers(journey, answers, last_page="b", typed_by={"b": "resident", "c": "resident"})
    assert store.typed_by(journey) == {"a": "helper", "b": "resident", "c": "resident"}
    store.save_answers(journey, answers, last_page="a", typed_by={"a": "resident"})
    with pytest.raises(ValueError):
        store.save_answers(journey, {"a": "changed"}, last_page="a", typed_by={"a": "council"})
    assert store.get_journey(journey)["answers"] == answers  # a refused save changes nothing
    reference = store.submit(journey, lambda: "MB-7K4M-2QXT", {"a": "1", "people": [{"c": "3"}]})
    assert store.get_submission(reference)["typed_by"] == {"a": "resident", "c": "resident"}
