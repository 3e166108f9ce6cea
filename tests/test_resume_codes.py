"""Save and carry on later (assist/storage/resume.py): the resume code, its second check, the count of
wrong tries that locks it and deletes the draft, and expiry, as a resident or an operator sees them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assist.moments import ManualClock
from assist.storage import JourneyClosed, JourneyNotFound, Store
from assist.storage.resume import ResumeAttempt, normalise_check

START = datetime(2026, 11, 24, 17, 30, 2, tzinfo=timezone.utc)
CODE = "7K4M-2QXT"
BIRTH = "1948-11-03"


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def store(tmp_path, clock):
    store = Store(tmp_path / "assist.db", clock=clock)
    store.migrate()
    yield store
    store.close()


def saved(store, clock, code=CODE, kind="date_of_birth", value=BIRTH, days=30):
    journey = store.start_journey("missed-bin", "1", "en")
    store.save_answers(journey, {"name": "Ada"}, "name")
    store.save_for_later(journey, code, kind, value, clock.now + timedelta(days=days))
    return journey


def test_the_second_check_is_compared_as_written_down():
    assert normalise_check("postcode", " sw1a  1aa\t") == "SW1A1AA"
    assert normalise_check("postcode", None) == ""
    assert normalise_check("date_of_birth", " 1948-11-03 ") == "1948-11-03"
    assert normalise_check("date_of_birth", None) == ""
    with pytest.raises(ValueError, match="unknown second check 'pin'"):
        normalise_check("pin", "1234")


def test_the_right_code_and_check_carry_on_the_draft(store, clock):
    journey = saved(store, clock)
    info = store.resume_code_info(CODE)
    assert info == {"journey_id": journey, "check_kind": "date_of_birth",
                    "expires_at": store._iso(clock.now + timedelta(days=30)), "locked": False, "expired": False,
                    "form_id": "missed-bin", "failed_attempts": 0}
    assert store.try_resume(CODE, BIRTH) == ResumeAttempt("ok", journey_id=journey)
    assert store.get_journey(journey)["answers"] == {"name": "Ada"}
    assert store.resume_code_info("ZZZZ-ZZZZ") is None
    assert store.try_resume("ZZZZ-ZZZZ", BIRTH) == ResumeAttempt("unknown")


def test_a_postcode_check_ignores_case_and_spaces(store, clock):
    journey = saved(store, clock, kind="postcode", value="SW1A 1AA")
    assert store.try_resume(CODE, "sw1a1aa").outcome == "ok"
    assert store.try_resume(CODE, " s w1a 1aa ") == ResumeAttempt("ok", journey_id=journey)


def test_the_fifth_wrong_check_locks_the_code_and_deletes_the_draft(store, clock):
    journey = saved(store, clock)
    left = [store.try_resume(CODE, "1948-11-04") for _ in range(4)]
    assert left == [ResumeAttempt("wrong", attempts_left=n) for n in (4, 3, 2, 1)]
    assert store.resume_code_info(CODE)["failed_attempts"] == 4
    assert store.get_journey(journey)["answers"] == {"name": "Ada"}
    assert store.try_resume(CODE, "1948-11-04") == ResumeAttempt("locked", attempts_left=0, just_locked=True)
    assert store.get_journey(journey)["status"] == "cleared"
    assert store.get_journey(journey)["answers"] == {}
    assert store.resume_code_info(CODE)["locked"] is True
    assert store.try_resume(CODE, BIRTH) == ResumeAttempt("locked")
    assert not store.has_live_resume_code(journey)
    assert store.resume_expiry(journey) is None


def test_a_right_check_sets_the_count_of_wrong_ones_back_to_zero(store, clock):
    journey = saved(store, clock)
    for _ in range(4):
        store.try_resume(CODE, "wrong")
    assert store.try_resume(CODE, BIRTH).outcome == "ok"
    assert store.resume_code_info(CODE)["failed_attempts"] == 0
    assert store.try_resume(CODE, "wrong") == ResumeAttempt("wrong", attempts_left=4)
    assert store.get_journey(journey)["status"] == "in_progress"


def test_the_limit_of_tries_can_be_set(store, clock):
    saved(store, clock)
    assert store.try_resume(CODE, "wrong", max_attempts=2) == ResumeAttempt("wrong", attempts_left=1)
    assert store.try_resume(CODE, "wrong", max_attempts=2).just_locked
    other = saved(store, clock, code="AAAA-BBBB")
    assert store.try_resume("AAAA-BBBB", "wrong", max_attempts=3).attempts_left == 2
    assert store.try_resume("AAAA-BBBB", "wrong", max_attempts=1) == ResumeAttempt("locked")
    assert store.get_journey(other)["status"] == "in_progress"


def test_a_code_expires_at_its_moment_and_its_draft_goes(store, clock):
    journey = saved(store, clock, days=2)
    assert store.has_live_resume_code(journey)
    assert store.resume_expiry(journey) == store._iso(START + timedelta(days=2))
    clock.advance(days=2, seconds=-1)
    assert store.resume_code_info(CODE)["expired"] is False
    assert store.has_live_resume_code(journey)
    clock.advance(seconds=1)
    assert store.resume_code_info(CODE)["expired"] is True
    assert not store.has_live_resume_code(journey)
    assert store.try_resume(CODE, BIRTH) == ResumeAttempt("expired")
    assert store.resume_code_info(CODE) is None
    assert store.get_journey(journey)["status"] == "abandoned"
    assert store.get_journey(journey)["answers"] == {}


def test_expiring_codes_deletes_only_those_past_their_moment(store, clock):
    short = saved(store, clock, code="AAAA-AAAA", days=1)
    long = saved(store, clock, code="BBBB-BBBB", days=10)
    clock.advance(days=1)
    assert store.expire_resume_codes() == 1
    assert store.get_journey(short)["status"] == "abandoned" and store.get_journey(short)["answers"] == {}
    assert store.get_journey(long)["answers"] == {"name": "Ada"}
    assert store.try_resume("BBBB-BBBB", BIRTH).outcome == "ok"
    assert store.expire_resume_codes() == 0


def test_idle_expiry_keeps_drafts_with_a_live_code(store, clock):
    kept = saved(store, clock, days=30)
    idle = store.start_journey("missed-bin", "1", "en")
    store.save_answers(idle, {"name": "Bo"}, "name")
    locked = saved(store, clock, code="LOCK-LOCK")
    store.try_resume("LOCK-LOCK", "wrong", max_attempts=1)
    store.try_resume("LOCK-LOCK", "wrong", max_attempts=1)
    clock.advance(days=3)
    assert store.expire_journeys(clock.now - timedelta(days=1)) == 1
    assert store.get_journey(idle)["status"] == "abandoned" and store.get_journey(idle)["answers"] == {}
    assert store.get_journey(kept)["answers"] == {"name": "Ada"}
    assert store.get_journey(locked)["answers"] == {}
    clock.advance(days=30)
    assert store.expire_journeys(clock.now - timedelta(days=1)) == 2  # the codes of kept and locked
    assert store.get_journey(kept)["status"] == "abandoned"
    assert store.get_journey(locked)["status"] == "cleared"


def test_a_new_code_replaces_the_old_one_and_a_closed_journey_gets_none(store, clock):
    journey = saved(store, clock)
    store.save_for_later(journey, "NEWC-ODE1", "postcode", "N1 9GU", clock.now + timedelta(days=5))
    assert store.resume_code_info(CODE) is None
    assert store.resume_code_info("NEWC-ODE1")["check_kind"] == "postcode"
    clock.advance(minutes=5)
    store.save_for_later(journey, "NEWC-ODE2", "postcode", "N1 9GU", clock.now + timedelta(days=5))
    assert store.get_journey(journey)["last_activity_at"] == store._now()
    store.forget_resume_code(journey)
    assert store.resume_code_info("NEWC-ODE2") is None
    with pytest.raises(JourneyNotFound):
        store.save_for_later("no-such-journey", CODE, "postcode", "N1 9GU", clock.now + timedelta(days=5))
    store.discard_journey(journey)
    with pytest.raises(JourneyClosed, match="journey is"):
        store.save_for_later(journey, CODE, "postcode", "N1 9GU", clock.now + timedelta(days=5))


def test_a_code_whose_journey_was_closed_counts_as_expired(store, clock):
    journey = saved(store, clock)
    with store.transaction() as db:  # closed another way that left its code behind
        db.execute("update journeys set status = 'submitted' where id = ?", [journey])
    assert store.resume_code_info(CODE)["expired"] is True
    assert store.try_resume(CODE, BIRTH) == ResumeAttempt("expired")
    assert store.resume_code_info(CODE) is None
    assert store.get_journey(journey)["status"] == "submitted"


def test_an_unknown_journey_is_named_when_saving_fails(store, clock):
    with pytest.raises(JourneyNotFound) as caught:
        store.save_for_later("no-such-journey", CODE, "postcode", "N1 9GU", clock.now + timedelta(days=5))
    assert "no-such-journey" in str(caught.value)


@pytest.mark.parametrize("meanwhile, outcome", [("update resume_codes set locked = 1", "locked"),
                                                 ("delete from resume_codes", "expired")])
def test_a_code_locked_or_deleted_while_its_check_runs_is_refused(store, clock, monkeypatch, meanwhile, outcome):
    """Another try, or the form being sent, can change the code between the count and the slow check."""
    journey = saved(store, clock)
    from assist.storage import resume

    def right_but_too_late(secret, stored):
        with store.transaction() as db:
            db.execute(meanwhile + " where journey_id = ?", [journey])
        return True

    monkeypatch.setattr(resume, "verify_secret", right_but_too_late)
    assert store.try_resume(CODE, BIRTH) == ResumeAttempt(outcome)
