"""Storage: the database file - settings, migrations, transactions, threads."""

from __future__ import annotations

import threading

import pytest

from assist.storage import StorageError, Store
from assist.storage.migrations import MIGRATIONS, applied_migrations, apply_migrations


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "assist.db")
    yield store
    store.close()


def test_connection_settings(store):
    db = store.db
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1  # off by default in some builds


def test_migrate_creates_the_schema_once(store):
    assert store.migrate() == [m.__name__ for m in MIGRATIONS]
    assert store.migrate() == []
    assert Store(store.path).migrate() == []
    assert applied_migrations(store.db) == [m.__name__ for m in MIGRATIONS]
    assert {"journeys", "drafts", "submissions", "_migrations"} <= set(store.db.table_names())
    rows = list(store.db["_migrations"].rows)
    assert all(row["applied_at"].endswith("Z") for row in rows)
    indexes = {tuple(index.columns) for table in ("journeys", "submissions") for index in store.db[table].indexes}
    assert {("form_id", "started_at"), ("status", "last_activity_at"), ("submitted_at",), ("journey_id",)} <= indexes


def test_a_new_migration_is_applied_once_and_a_failing_one_leaves_no_trace(store):
    store.migrate()

    def add_notes(db):
        db["journeys"].add_column("notes", str)

    def broken(db):
        db["drafts"].add_column("half_done", str)
        raise RuntimeError("boom")

    with pytest.raises(StorageError, match="broken"):
        apply_migrations(store._connections, store._now, [*MIGRATIONS, add_notes, broken])
    assert "notes" in store.db["journeys"].columns_dict
    assert "half_done" not in store.db["drafts"].columns_dict
    assert applied_migrations(store.db)[-1] == "add_notes"
    assert apply_migrations(store._connections, store._now, [*MIGRATIONS, add_notes]) == []


def test_ping(store):
    assert store.ping() is True


def test_ping_is_false_when_the_database_is_unusable(store):
    store.close()
    store.path.unlink(missing_ok=True)
    store.path.mkdir()  # a directory where the database file should be
    assert store.ping() is False


def test_transaction_rolls_back_on_error_and_nests(store):
    store.migrate()
    journey_id = store.start_journey("f", "1", "en")
    with pytest.raises(RuntimeError):
        with store.transaction() as db:
            db.execute("update journeys set language = 'cy' where id = ?", [journey_id])
            raise RuntimeError
    assert store.get_journey(journey_id)["language"] == "en"

    with store.transaction():
        store.set_language(journey_id, "ur")  # opens a nested transaction (savepoint)
        with pytest.raises(RuntimeError):
            with store.transaction() as db:
                db.execute("update journeys set language = 'pl' where id = ?", [journey_id])
                raise RuntimeError
    assert store.get_journey(journey_id)["language"] == "ur"


def test_each_thread_has_its_own_connection(store):
    store.migrate()
    seen = []

    def work():
        journey_id = store.start_journey("f", "1", "en")
        store.save_answers(journey_id, {"thread": threading.current_thread().name}, last_page="a")
        seen.append(id(store.db.conn))
        store.close()

    threads = [threading.Thread(target=work, name=f"t{i}") for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(seen) == 8
    assert id(store.db.conn) not in seen
    assert store.db["journeys"].count == 8
    assert store.db["drafts"].count == 8


def test_in_memory_database_is_refused():
    with pytest.raises(ValueError, match="file"):
        Store(":memory:")
