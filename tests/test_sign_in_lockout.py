"""Wrong PINs at sign-in (assist/storage/helpers.py): the N-th wrong PIN starts a wait of the stated
length, doubling up to the cap, counted per venue and typed name, and ended by an admin or a new PIN."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assist.moments import ManualClock
from assist.storage import Store
from assist.storage.helpers import PinCheck, PinLimits

START = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
LIBRARY = "central-library"


@pytest.fixture
def clock():
    return ManualClock(START)


@pytest.fixture
def store(tmp_path, clock):
    store = Store(tmp_path / "assist.db", clock=clock)
    store.migrate()
    store.add_venue(LIBRARY, "Central Library")
    store.add_venue("north-library", "North Library")
    yield store
    store.close()


def test_the_stated_waits_double_from_the_nth_wrong_pin_up_to_the_cap():
    limits = PinLimits()
    assert (limits.attempts, limits.delay_minutes, limits.max_delay_minutes) == (5, 1, 60)
    assert [limits.wait(n) for n in range(1, 5)] == [None] * 4
    assert [limits.wait(n) for n in range(5, 13)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert limits.wait(10_000) == timedelta(minutes=60)
    assert PinLimits(attempts=2, delay_minutes=3, max_delay_minutes=10**12).wait(40) == timedelta(minutes=3 * 2**32)
    assert PinCheck("ok").ok and not PinCheck("wrong").ok and not PinCheck("wait").ok


def test_the_fifth_wrong_pin_locks_for_exactly_one_minute(store, clock):
    helper = store.add_helper("Sam Helper", "1234", [LIBRARY])
    results = [store.sign_in_helper(LIBRARY, "Sam Helper", "9999") for _ in range(4)]
    assert results == [PinCheck("wrong", helper_id=helper, attempts_left=n) for n in (4, 3, 2, 1)]
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "9999") == PinCheck(
        "wait", helper_id=helper, wait_until=START + timedelta(minutes=1), attempts_left=0, wait_started=True)
    assert store.pin_waits() == {helper: START + timedelta(minutes=1)}
    clock.advance(seconds=59)
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "1234") == PinCheck(
        "wait", helper_id=helper, wait_until=START + timedelta(minutes=1))
    clock.advance(seconds=1)
    assert store.pin_waits() == {}
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "1234") == PinCheck("ok", helper_id=helper)
    assert store.db.execute("select count(*) from sign_in_attempts").fetchone()[0] == 0


def test_a_streak_is_kept_until_exactly_a_day_after_the_last_wrong_pin(store, clock):
    store.add_helper("Sam Helper", "1234", [LIBRARY])
    for _ in range(3):
        store.sign_in_helper(LIBRARY, "Sam Helper", "0000")
    clock.advance(hours=24, seconds=-1)
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "0000").attempts_left == 1
    clock.advance(hours=24)
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "0000").attempts_left == 4


def test_attempts_count_per_venue_and_typed_name_even_for_unknown_names(store):
    store.add_helper("Sam Helper", "1234", [LIBRARY, "north-library"])
    for _ in range(5):
        store.sign_in_helper(LIBRARY, "  sam   HELPER ", "0000")
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "1234").outcome == "wait"
    assert store.sign_in_helper("north-library", "Sam Helper", "1234").ok
    assert store.sign_in_helper(LIBRARY, "Nobody Here", "1234") == PinCheck("wrong", attempts_left=4)
    assert store.pin_waits() != {} and all(until > START for until in store.pin_waits().values())


def test_two_helpers_of_one_name_are_nobodys_sign_in_and_admins_sign_in_anywhere(store):
    store.add_helper("Sam Helper", "1234", [LIBRARY])
    store.add_helper("Sam Helper", "1234", [LIBRARY])
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "1234") == PinCheck("wrong", attempts_left=4)
    admin = store.add_helper("Ada Admin", "4321", [], role="council_admin")
    assert store.sign_in_helper("north-library", "Ada Admin", "4321") == PinCheck("ok", helper_id=admin)
    outsider = store.add_helper("Bo Helper", "1111", ["north-library"])
    assert store.sign_in_helper(LIBRARY, "Bo Helper", "1111") == PinCheck("wrong", attempts_left=4)
    assert store.sign_in_helper("north-library", "Bo Helper", "1111") == PinCheck("ok", helper_id=outsider)


def test_unlocking_counts_with_sign_ins_and_a_deactivated_helper_is_never_right(store):
    helper = store.add_helper("Sam Helper", "1234", [LIBRARY])
    for _ in range(3):
        store.sign_in_helper(LIBRARY, "Sam Helper", "0000")
    assert store.check_pin(helper, LIBRARY, "0000") == PinCheck("wrong", helper_id=helper, attempts_left=1)
    assert store.check_pin(helper, LIBRARY, "1234") == PinCheck("ok", helper_id=helper)
    assert store.check_pin("nobody", LIBRARY, "1234") == PinCheck("wrong")
    store.deactivate_helper(helper)
    assert store.check_pin(helper, LIBRARY, "1234") == PinCheck("wrong")
    assert store.sign_in_helper(LIBRARY, "Sam Helper", "1234").outcome == "wrong"


def test_waits_are_listed_and_cleared_per_venue(store, clock):
    sam = store.add_helper("Sam Helper", "1234", [LIBRARY, "north-library"])
    bo = store.add_helper("Bo Helper", "1111", ["north-library"])
    for _ in range(5):
        store.sign_in_helper(LIBRARY, "Sam Helper", "0000")
    clock.advance(seconds=10)
    for _ in range(6):
        clock.advance(minutes=2)
        store.sign_in_helper("north-library", "Sam Helper", "0000")
    for _ in range(5):
        store.sign_in_helper("north-library", "Bo Helper", "0000")
    sam_north = START + timedelta(seconds=10, minutes=12 + 2)  # the sixth wrong PIN: 2 minutes
    assert store.pin_waits() == {sam: sam_north, bo: clock.now + timedelta(minutes=1)}
    assert store.pin_waits([LIBRARY]) == {}  # Sam's wait there ended
    assert store.pin_waits(["north-library"]) == {sam: sam_north, bo: clock.now + timedelta(minutes=1)}
    assert store.pin_waits([]) == {}
    assert store.pin_waits([LIBRARY, "north-library"]) == {sam: sam_north, bo: clock.now + timedelta(minutes=1)}
    assert store.clear_pin_wait(sam, [LIBRARY])
    assert store.pin_waits() == {sam: sam_north, bo: clock.now + timedelta(minutes=1)}
    assert store.clear_pin_wait(sam, ["north-library", LIBRARY])
    assert store.pin_waits() == {bo: clock.now + timedelta(minutes=1)}
    assert store.sign_in_helper("north-library", "Sam Helper", "0000").attempts_left == 4
    assert store.clear_pin_wait(bo)
    assert store.pin_waits() == {}
    assert not store.clear_pin_wait("nobody")


def test_a_name_that_is_nobodys_never_signs_in_whatever_the_pin(store):
    store.add_helper("Odd Id", "1234", [LIBRARY], helper_id="XXXX")
    assert store.sign_in_helper(LIBRARY, "Nobody Here", "1234") == PinCheck("wrong", attempts_left=4)
    assert store.sign_in_helper(LIBRARY, "Odd Id", "1234") == PinCheck("ok", helper_id="XXXX")
