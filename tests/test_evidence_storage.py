"""Evidence files at rest: sealed with the data key, bound to their journey, and gone with it."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from assist.moments import ManualClock
from assist.storage import Store, TamperedData

#: Bytes distinctive enough to search for in the raw database files.
PHOTO = b"\xff\xd8\xff\xe0" + b"AWARD-LETTER-OF-ZEPHYRINE-QUILLFEATHER " * 2000 + b"\xff\xd9"
THUMB = b"\xff\xd8THUMBNAIL-OF-ZEPHYRINE\xff\xd9"


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def store(tmp_path, clock):
    store = Store(tmp_path / "assist.db", clock=clock)
    store.migrate()
    yield store
    store.close()


def _journey_with_file(store):
    journey = store.start_journey("blue-badge", "1", "en")
    file_id = store.add_evidence(journey, "proof-of-benefit", "image/jpeg", PHOTO, THUMB)
    return journey, file_id


def _database_bytes(store) -> bytes:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    found = b""
    for suffix in ("", "-wal", "-shm"):
        path = f"{store.path}{suffix}"
        if os.path.exists(path):
            with open(path, "rb") as handle:
                found += handle.read()
    return found


def test_a_file_opens_for_its_journey_and_is_not_readable_in_the_database_file(store):
    journey, file_id = _journey_with_file(store)
    kept = store.open_evidence(journey, file_id)
    assert kept.data == PHOTO and kept.media_type == "image/jpeg" and kept.question_id == "proof-of-benefit"
    assert store.open_evidence(journey, file_id, thumbnail=True).data == THUMB
    assert store.evidence_size(journey) == len(PHOTO)
    raw = _database_bytes(store)
    assert b"ZEPHYRINE" not in raw and b"AWARD-LETTER" not in raw


def test_another_journey_cannot_open_the_file_and_a_moved_row_is_refused(store):
    journey, file_id = _journey_with_file(store)
    other = store.start_journey("blue-badge", "1", "en")
    assert store.open_evidence(other, file_id) is None
    with store.transaction() as db:
        db.execute("update evidence set journey_id = ? where id = ?", [other, file_id])
    with pytest.raises(TamperedData):
        store.open_evidence(other, file_id)
    second = store.add_evidence(other, "photo", "image/jpeg", b"\xff\xd8other\xff\xd9")
    with store.transaction() as db:  # another file's sealed bytes copied over this one's
        sealed = db.execute("select data from evidence where id = ?", [second]).fetchone()[0]
        db.execute("update evidence set data = ? where id = ?", [sealed, file_id])
    with pytest.raises(TamperedData):
        store.open_evidence(other, file_id)


def test_finish_and_clear_deletes_the_files(store):
    journey, file_id = _journey_with_file(store)
    store.discard_journey(journey)
    assert store.open_evidence(journey, file_id) is None
    assert store.db.execute("select count(*) from evidence").fetchone()[0] == 0


def test_an_expired_draft_takes_its_files_with_it(store, clock):
    journey, _ = _journey_with_file(store)
    clock.now += timedelta(hours=5)
    assert store.expire_journeys(clock.now - timedelta(hours=1)) == 1
    assert store.db.execute("select count(*) from evidence").fetchone()[0] == 0


def test_a_submission_keeps_its_files_until_its_answers_are_deleted(store):
    journey, file_id = _journey_with_file(store)
    reference = store.submit(journey, lambda: "BB-ABCD-EFGH", {"proof-of-benefit": []})
    assert [f.data for f in store.submission_evidence(reference)] == [PHOTO]
    with store.transaction() as db:  # every destination has it: the retention purge may delete it
        db.execute("update outbox set status = 'delivered' where submission_reference = ?", [reference])
    assert store.delete_submission_answers([reference]) == 1
    assert store.submission_evidence(reference) == []
    assert store.db.execute("select count(*) from evidence").fetchone()[0] == 0


def test_no_file_can_be_added_to_a_closed_journey(store):
    from assist.storage import JourneyClosed
    journey, _ = _journey_with_file(store)
    store.discard_journey(journey)
    with pytest.raises(JourneyClosed):
        store.add_evidence(journey, "photo", "image/jpeg", PHOTO)


def test_removing_a_file_and_keeping_only_those_the_answers_name(store):
    journey, first = _journey_with_file(store)
    second = store.add_evidence(journey, "proof-of-benefit", "application/pdf", b"%PDF-1.7 ...")
    assert store.remove_evidence(journey, first) is True
    assert store.remove_evidence(journey, first) is False
    third = store.add_evidence(journey, "photo", "image/jpeg", PHOTO)
    assert store.keep_only_evidence(journey, [third]) == 1
    assert [f.id for f in store.journey_evidence(journey)] == [third]
    assert second not in {f.id for f in store.journey_evidence(journey)}


def test_a_key_change_re_encrypts_the_files(store):
    journey, file_id = _journey_with_file(store)
    before = store.stored_key_ids()
    rotation = store.rotate_data_key()
    assert rotation.values >= 2  # the file and its thumbnail
    assert set(store.stored_key_ids()) == {rotation.new_id} != set(before)
    assert store.open_evidence(journey, file_id).data == PHOTO


def test_the_retention_purge_of_idle_drafts_deletes_their_files(store, clock):
    journey, _ = _journey_with_file(store)
    clock.now += timedelta(days=1)
    counts = store.delete_expired_drafts({"online": clock.now - timedelta(hours=1)})
    assert counts["idle"] == 1
    assert store.db.execute("select count(*) from evidence").fetchone()[0] == 0
