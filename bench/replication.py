"""Replication with Litestream: lag while residents submit, and the time to restore a large database.

``python -m bench replication`` runs just this.

1. ``assist serve`` with ``[replication]`` to a folder replica; ``BENCH_REPLICATION_RESIDENTS``
   residents (default 40) each walk the missed-bin form and submit, ``BENCH_REPLICATION_ROUNDS``
   times (default 3). A watcher restores the replica over and over (``assist restore``'s own
   code) and notes when each reference first appears in it: the lag from the confirmation page
   to the replica, p50 and p99. Each figure is an upper bound: it includes the restore that saw it.
2. A database of ``BENCH_RESTORE_SUBMISSIONS`` submissions (default 100,000) made through the
   store, sent to a folder replica, then restored: the time ``assist restore`` takes.

Used by tests/test_restore_drill.py for the server with replication and the watcher.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path

from .live import ROOT, LiveServer, write_config
from .walker import Resident
from .web import free_port

DEFAULT_RESIDENTS = 40
DEFAULT_ROUNDS = 3
DEFAULT_RESTORE_SUBMISSIONS = 100_000
WEBHOOK_SECRET = "a-webhook-secret-for-the-bench"  # nosec B105 # a test value, on loopback only


def write_replicated_config(folder: Path, replica: Path, webhook_url: str = "") -> Path:
    """:func:`bench.live.write_config` with a folder replica, delivering to the webhook at
    ``webhook_url`` (retried every second or two while it is down), else to a folder."""
    delivery = (f'destinations = ["webhook"]\nwebhook_url = "{webhook_url}"\n'
                "backoff_base_seconds = 1\nbackoff_cap_seconds = 2\nmax_attempts = 100\n") if webhook_url else ""
    return write_config(folder, replica, delivery)


class ReplicatedServer(LiveServer):
    """:class:`bench.live.LiveServer` with ``[replication]`` to the folder ``replica``."""

    def __init__(self, folder: Path, port: int, replica: Path, webhook_url: str = "", **options):
        super().__init__(folder, port, **options)
        self.replica = replica
        self.config = write_replicated_config(folder, replica, webhook_url)

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, "ASSIST_WEBHOOK_SECRET": WEBHOOK_SECRET}

    def load_config(self):
        from assist.config import load_config

        return load_config(self.config, environ=self.env)

    def children(self) -> list[int]:
        """The process ids of the server's children (its litestream)."""
        pid = self.process.pid
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
        return found

    def restore(self) -> subprocess.CompletedProcess:
        """``assist restore`` into the server's data dir, as the council would run it."""
        from .live import ASSIST

        return subprocess.run([str(ASSIST), "restore"], env=self.env, cwd=self.folder, capture_output=True,
                              text=True, timeout=120)


def process_gone(pid: int) -> bool:
    """Whether process ``pid`` has exited (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state == "Z"


class ReplicaWatcher:
    """Restores the replica again and again, noting when each reference first appears in it.

    ``snapshot`` is the latest restore's ``{"submissions": {...}, "drafts": {...}, "outbox": {...}}``.
    """

    def __init__(self, config, folder: Path):
        self.config = config
        self.folder = folder
        self.first_seen: dict[str, float] = {}
        self.snapshot: dict = {"submissions": set(), "drafts": set(), "outbox": {}}
        self.restores = 0
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "ReplicaWatcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self) -> None:
        from assist.replication import ReplicationError, restore

        while not self._stop.is_set():
            try:
                restored = restore(self.config, to=self.folder, force=True)
            except ReplicationError:
                time.sleep(0.1)  # nothing replicated yet
                continue
            seen = time.monotonic()
            snapshot = read_replica(restored.database)
            with self._changed:
                for reference in snapshot["submissions"]:
                    self.first_seen.setdefault(reference, seen)
                self.snapshot = snapshot
                self.restores += 1
                self._changed.notify_all()

    def wait_for(self, condition, timeout: float = 30) -> bool:
        """Wait until ``condition(snapshot)`` holds for a restore of the replica."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self.snapshot), timeout=timeout)


def read_replica(database: Path) -> dict:
    """The submissions, drafts (journey id, sealed answers) and outbox statuses in a restored copy."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return {
            "submissions": {row[0] for row in conn.execute("select reference from submissions")},
            "drafts": set(conn.execute("select journey_id, answers from drafts").fetchall()),
            "outbox": dict(conn.execute("select idempotency_key, status from outbox").fetchall()),
        }


def live_drafts(database: Path) -> set[tuple[str, str]]:
    """The drafts (journey id, sealed answers) in the server's own database, read only."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return set(conn.execute("select journey_id, answers from drafts").fetchall())


def lags(acknowledged: dict[str, float], first_seen: dict[str, float]) -> list[float]:
    """Seconds from each confirmation page to the first restore of the replica that held it."""
    return sorted(first_seen[r] - moment for r, moment in acknowledged.items() if r in first_seen)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0 to 1) percentile of sorted ``values``."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _submit_rounds(port: int, form, rounds: int, acknowledged: dict, lock: threading.Lock, errors: list) -> None:
    resident = Resident(port)
    try:
        for _ in range(rounds):
            reference = resident.submit(form, resident.walk_to_check_answers(form))
            with lock:
                acknowledged[reference] = time.monotonic()
            resident.cookies.clear()  # the next resident at the same tablet
    except Exception as error:  # noqa: BLE001 - reported in the figures
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        resident.close()


def lag_under_load(residents: int, rounds: int) -> list[str]:
    """Replication lag while ``residents`` residents each submit ``rounds`` times."""
    from assist.engine import load_forms

    form = load_forms(ROOT / "forms")["missed-bin"]
    with tempfile.TemporaryDirectory(prefix="assist-replication-") as folder:
        folder = Path(folder)
        server = ReplicatedServer(folder, free_port(), folder / "replica", connection_limit=residents + 50).start()
        watcher = ReplicaWatcher(server.load_config(), folder / "watched").start()
        acknowledged: dict[str, float] = {}
        errors: list[str] = []
        lock = threading.Lock()
        began = time.monotonic()
        try:
            threads = [threading.Thread(target=_submit_rounds, args=(server.port, form, rounds, acknowledged, lock,
                                                                     errors)) for _ in range(residents)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            submitted = time.monotonic()
            watcher.wait_for(lambda snapshot: set(acknowledged) <= snapshot["submissions"], timeout=120)
        finally:
            watcher.stop()
            server.stop()
        measured = lags(acknowledged, watcher.first_seen)
    lines = [f"Replication lag (confirmation page to folder replica, sync every 1 s): {residents} residents, "
             f"{rounds} submissions each, {len(acknowledged)} acknowledged in {submitted - began:.0f} s "
             f"({len(errors)} errors{': ' + errors[0] if errors else ''})"]
    if measured:
        lines.append(f"  lag p50 {percentile(measured, 0.5):.2f} s, p99 {percentile(measured, 0.99):.2f} s, "
                     f"max {measured[-1]:.2f} s; {len(measured)}/{len(acknowledged)} seen in the replica "
                     f"({watcher.restores} restores of the replica while it ran)")
    else:
        lines.append("  FAILED: no acknowledged submission was seen in the replica")
    return lines


def make_submissions(store, count: int, batch: int = 5000) -> None:
    """``count`` submissions of the missed-bin form through the store, ``batch`` per transaction."""
    from assist.engine import make_reference

    answers = {"address": {"line1": "12 Example Road", "town": "Demotown", "postcode": "DM1 2BB"},
               "bin": "recycling", "when": {"day": "3", "month": "12", "year": "2026"},
               "details": "The bin was not emptied on our usual day; it is at the front gate."}
    done = 0
    while done < count:
        with store.transaction():  # each journey and submission a savepoint inside one commit
            for _ in range(min(batch, count - done)):
                journey = store.start_journey("missed-bin", "1", "en")
                store.submit(journey, lambda: make_reference("MB"), answers)
                done += 1


def restore_time(count: int) -> list[str]:
    """Make a database of ``count`` submissions, replicate it to a folder, and time ``assist restore``."""
    from assist.config import config_from_mapping
    from assist.replication import _ConfigFile, litestream_binary, restore
    from assist.storage import Store

    with tempfile.TemporaryDirectory(prefix="assist-restore-") as folder:
        folder = Path(folder)
        config = config_from_mapping({"storage": {"data_dir": str(folder / "data")}, "delivery": {"destinations": []},
                                      "replication": {"replica": str(folder / "replica")}}, environ={})
        store = Store(config.database_path)
        store.migrate()
        began = time.perf_counter()
        make_submissions(store, count)
        made = time.perf_counter()
        store.close()
        size = config.database_path.stat().st_size
        config_file = _ConfigFile(config)
        try:
            subprocess.run([str(litestream_binary()), "replicate", "-config", str(config_file.path), "-no-expand-env",
                            "-once", "-force-snapshot"], check=True, capture_output=True, timeout=600)
        finally:
            config_file.remove()
        replicated = time.perf_counter()
        shutil.rmtree(config.data_dir)
        restored = restore(config)
        with closing(sqlite3.connect(restored.database)) as conn:
            found = conn.execute("select count(*) from submissions").fetchone()[0]
        replica_size = sum(path.stat().st_size for path in (folder / "replica").rglob("*") if path.is_file())
    return [f"Restore: a database of {count:,} submissions ({size / 1e6:.0f} MB; made in "
            f"{made - began:.0f} s, sent to a folder replica in {replicated - made:.1f} s, replica "
            f"{replica_size / 1e6:.0f} MB)",
            f"  `assist restore` {restored.seconds:.1f} s (with its integrity check); "
            f"{found:,} submissions in the restored database ({'OK' if found == count else 'FAILED'})"]


def main() -> list[str]:
    """Both figures, sized by ``BENCH_REPLICATION_RESIDENTS``, ``..._ROUNDS`` and ``BENCH_RESTORE_SUBMISSIONS``."""
    residents = int(os.environ.get("BENCH_REPLICATION_RESIDENTS", DEFAULT_RESIDENTS))
    rounds = int(os.environ.get("BENCH_REPLICATION_ROUNDS", DEFAULT_ROUNDS))
    count = int(os.environ.get("BENCH_RESTORE_SUBMISSIONS", DEFAULT_RESTORE_SUBMISSIONS))
    return lag_under_load(residents, rounds) + restore_time(count)
