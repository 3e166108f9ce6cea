"""Storage: submitting - exactly one submission per journey, with a unique reference."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest

from assist.storage import JourneyClosed, JourneyNotFound, Store


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "assist.db", clock=lambda: datetime(2026, 11, 24, 17, 30, 2, tzinfo=timezone.utc))
    store.migrate()
    yield store
    store.close()


def references(*values):
    it = iter(values)
    return lambda: next(it)


def test_submit_stores_answers_and_closes_the_journey(store):
    journey_id = store.start_journey("blue-badge", "2026.1", "pl", mode="assisted", venue_id="v1", helper_id="h1")
    store.save_answers(journey_id, {"name": "Zofia Wąsowska", "skipped": "x"}, last_page="check-answers")
    reference = store.submit(journey_id, references("BB-7K4M-2QXT"), {"name": "Zofia Wąsowska"})
    assert reference == "BB-7K4M-2QXT"

    submission = store.get_submission(reference)
    assert submission == {
        "reference": "BB-7K4M-2QXT",
        "journey_id": journey_id,
        "form_id": "blue-badge",
        "form_version": "2026.1",
        "language": "pl",
        "mode": "assisted",
        "venue_id": "v1",
        "helper_id": "h1",
        "submitted_at": "2026-11-24T17:30:02Z",
        "answers": {"name": "Zofia Wąsowska"},
        "typed_by": {},  # who typed each answer (assisted mode); nobody recorded any here
        "answers_deleted_at": None,  # set when the retention rules delete the answers (docs/admin.md)
        "answers_outside_route": {},  # paper only: answers kept although the paper said to skip them
    }
    journey = store.get_journey(journey_id)
    assert journey["status"] == "submitted"
    assert journey["submission_reference"] == reference
    assert journey["completed_at"] == "2026-11-24T17:30:02Z"
    assert journey["answers"] == {}
    assert store.db["drafts"].count == 0


def test_unknown_reference_is_none(store):
    assert store.get_submission("BB-NONE-NONE") is None


def test_submitting_twice_gives_the_same_reference_and_one_submission(store):
    journey_id = store.start_journey("f", "1", "en")
    first = store.submit(journey_id, references("AA-1"), {"a": "1"})
    second = store.submit(journey_id, references("AA-2"), {"a": "changed"})
    assert first == second == "AA-1"
    assert store.db["submissions"].count == 1
    assert store.get_submission("AA-1")["answers"] == {"a": "1"}


class ArrivalsAtTheWriteLock:
    """The store's write lock, counting the threads that have come to it (before they wait on it)."""

    def __init__(self, lock):
        self.lock = lock
        self.arrived = 0
        self.changed = threading.Condition()

    def __enter__(self):
        with self.changed:
            self.arrived += 1
            self.changed.notify_all()
        return self.lock.__enter__()

    def __exit__(self, *exc):
        return self.lock.__exit__(*exc)

    def wait_for(self, count: int, timeout: float = 10) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.arrived >= count, timeout)


def test_concurrent_double_submit_makes_one_submission(store):
    """The second tap reaches the store while the first is inside its transaction: the first does
    not finish (its reference is not made) until the second is waiting for the write lock."""
    journey_id = store.start_journey("f", "1", "en")
    lock = ArrivalsAtTheWriteLock(store._connections._write_lock)
    store._connections._write_lock = lock
    made = []

    def reference_once_both_taps_are_in():
        assert lock.wait_for(2), "the second tap never reached the store"
        made.append(f"AA-{len(made) + 1}")
        return made[-1]

    barrier = threading.Barrier(2)
    results, errors = [], []

    def tap():
        try:
            barrier.wait(10)
            results.append(store.submit(journey_id, reference_once_both_taps_are_in, {"a": "1"}))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=tap, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads), "a tap is still waiting"
    assert errors == []
    assert made == ["AA-1"]  # the second tap saw the journey submitted and made no reference
    assert results == ["AA-1", "AA-1"]
    assert store.db["submissions"].count == 1
    assert store.get_journey(journey_id)["submission_reference"] == "AA-1"


def test_reference_collision_is_retried_with_a_new_reference(store):
    first = store.start_journey("f", "1", "en")
    second = store.start_journey("f", "1", "en")
    assert store.submit(first, references("AA-1"), {"who": "first"}) == "AA-1"
    assert store.submit(second, references("AA-1", "AA-1", "AA-2"), {"who": "second"}) == "AA-2"
    assert store.get_submission("AA-1")["answers"] == {"who": "first"}
    assert store.get_submission("AA-2")["answers"] == {"who": "second"}
    assert store.get_journey(second)["submission_reference"] == "AA-2"


def test_failed_submit_leaves_the_draft_untouched(store):
    journey_id = store.start_journey("f", "1", "en")
    store.save_answers(journey_id, {"a": "1"}, last_page="a")

    def broken():
        raise RuntimeError("no reference today")

    with pytest.raises(RuntimeError):
        store.submit(journey_id, broken, {"a": "1"})
    journey = store.get_journey(journey_id)
    assert journey["status"] == "in_progress"
    assert journey["answers"] == {"a": "1"}
    assert store.db["submissions"].count == 0


def test_cleared_or_unknown_journey_cannot_be_submitted(store):
    journey_id = store.start_journey("f", "1", "en")
    store.discard_journey(journey_id)
    with pytest.raises(JourneyClosed):
        store.submit(journey_id, references("AA-1"), {"a": "1"})
    with pytest.raises(JourneyNotFound):
        store.submit("unknown", references("AA-1"), {"a": "1"})
    assert store.db["submissions"].count == 0


def test_discarding_a_submitted_journey_keeps_the_submission(store):
    journey_id = store.start_journey("f", "1", "en")
    store.submit(journey_id, references("AA-1"), {"a": "1"})
    store.discard_journey(journey_id)
    assert store.get_journey(journey_id)["status"] == "submitted"
    assert store.get_submission("AA-1")["answers"] == {"a": "1"}
