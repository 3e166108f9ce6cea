"""The restore drill: the library PC's disk dies, the database comes back from the replica, nothing is lost.

The real ``assist serve`` replicates to a folder replica while residents submit over HTTP and one
resident is half way through a long form. Once the replica holds it all, the server is killed
(SIGKILL), its database deleted and ``assist restore`` run; the server starts again with the same
data key. Every acknowledged submission is there once, the draft opens and the resident carries
on, and the outbox delivers what was still waiting: the back office sees each idempotency key once.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import checks  # noqa: E402
from bench.replication import (WEBHOOK_SECRET, ReplicaWatcher, ReplicatedServer, lags, live_drafts,  # noqa: E402
                               percentile, process_gone)
from bench.walker import Resident  # noqa: E402
from bench.web import free_port  # noqa: E402
from delivery_support import Receiver  # noqa: E402
from support import runnable_litestream  # noqa: E402

BATCH = 4


@pytest.fixture(scope="module")
def litestream():
    return runnable_litestream()


def _submit_all(port: int, form, count: int) -> dict[str, float]:
    """``count`` residents submit ``form`` at once; the time each saw its confirmation page."""
    acknowledged: dict[str, float] = {}
    errors: list[str] = []

    def one() -> None:
        resident = Resident(port)
        try:
            reference = resident.submit(form, resident.walk_to_check_answers(form))
            acknowledged[reference] = time.monotonic()
        except Exception as error:  # noqa: BLE001 - failed below with the reason
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            resident.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return acknowledged


def _app_store(server):
    """The store as the app builds it, with the server's config and data key."""
    from assist import create_app

    return create_app(server.load_config()).extensions["assist.store"]


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s: {what}"
        time.sleep(0.05)


def test_a_deleted_database_is_restored_from_the_replica_with_nothing_lost_or_repeated(tmp_path, litestream):
    from assist.engine import load_forms

    forms = load_forms(ROOT / "forms")
    receiver = Receiver(secret=WEBHOOK_SECRET).start()
    server = ReplicatedServer(tmp_path, free_port(), tmp_path / "replica", webhook_url=receiver.url).start()
    database = server.data_dir / "assist.sqlite3"
    watcher = ReplicaWatcher(server.load_config(), tmp_path / "watched").start()
    later = None
    try:
        # Delivered before the disk dies: the replica knows they were.
        delivered = _submit_all(server.port, forms["missed-bin"], BATCH)
        assert receiver.wait_for(BATCH, timeout=30)
        keys = {f"{reference}-webhook" for reference in delivered}
        assert watcher.wait_for(lambda s: all(s["outbox"].get(key) == "delivered" for key in keys)), \
            "the deliveries were not replicated"

        # The back office goes down; these wait in the outbox. One resident is half way through a long form.
        receiver.stop()
        waiting = _submit_all(server.port, forms["missed-bin"], BATCH)
        midway = Resident(server.port)
        assert midway.walk_to_check_answers(forms["council-tax-reduction"], stop_after=4) == ""
        drafts = live_drafts(database)
        assert len(drafts) == 1
        acknowledged = {**delivered, **waiting}
        assert watcher.wait_for(lambda s: set(acknowledged) <= s["submissions"] and drafts <= s["drafts"]), \
            "the replica did not catch up"
        measured = lags(acknowledged, watcher.first_seen)
        watcher.stop()

        # The disk dies: no clean-up, and the database is gone. The keys are kept apart from it.
        litestream = server.children()
        assert litestream, "assist serve started no litestream"
        server.kill()
        _wait_until(lambda: all(process_gone(pid) for pid in litestream), 15, "litestream stopping with the server")
        for path in server.data_dir.glob("*assist.sqlite3*"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        assert (server.data_dir / "data_key").exists()

        result = server.restore()
        assert result.returncode == 0, result.stderr
        assert f"Restored the database at {database} with the copy in {tmp_path / 'replica'}" in result.stdout
        assert "Its integrity check passed" in result.stdout

        later = Receiver(port=receiver.port, secret=WEBHOOK_SECRET).start()
        server.start()
        findings = checks.reference_findings(list(acknowledged), checks.stored_submissions(database))
        assert findings.ok and findings.found == 2 * BATCH and findings.unacknowledged == 0, findings.line()
        assert checks.database_health(database)["integrity"] == "ok"

        # The draft opens with the data key, the resident carries on from it and submits; the outbox
        # sends what was waiting.
        opened = checks.decode_findings(_app_store(server))
        assert opened.drafts == 1 and opened.ok, opened
        midway.close()
        finished = midway.submit(forms["council-tax-reduction"],
                                 midway.walk_to_check_answers(forms["council-tax-reduction"]))
        [(draft_journey, _)] = drafts
        assert dict(checks.stored_submissions(database))[finished] == draft_journey
        assert later.wait_for(BATCH + 1, timeout=40), f"delivered after the restore: {sorted(later.stored)}"
    finally:
        watcher.stop()
        server.stop()
        receiver.stop()
        if later is not None:
            later.stop()

    sent_again = {f"{reference}-webhook" for reference in [*waiting, finished]}
    assert set(later.stored) == sent_again
    seen = {key: receiver.seen.get(key, 0) + later.seen.get(key, 0) for key in keys | sent_again}
    assert set(seen.values()) == {1}, seen  # nothing delivered twice, nothing missed
    stored = checks.stored_submissions(database)
    assert len(stored) == 2 * BATCH + 1 and len({journey for _, journey in stored}) == 2 * BATCH + 1
    assert measured and len(measured) == 2 * BATCH
    print(f"\nacknowledged-to-replicated lag over {len(measured)} submissions: p50 {percentile(measured, 0.5):.2f} s, "
          f"max {measured[-1]:.2f} s")
