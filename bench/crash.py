"""A hard kill in the middle of a burst of submissions, then a restart on the same data dir.

``python -m bench crash [--burst N]`` runs just this (``BENCH_BURST`` also sets N; default 30).

1. ``assist serve`` (waitress, background delivery to a folder) on a fresh data dir;
   N residents walk the missed-bin form to check answers, and a few more start a long form.
2. All N press Submit at once; when a third of them have their confirmation page, the server
   gets SIGKILL (no clean-up, as in a crash), with requests, draft saves and deliveries in flight.
3. The server starts again on the same data dir. Checked: ``PRAGMA integrity_check`` and foreign
   keys; every draft and outbox item loads through the app's own store; every reference shown on
   a confirmation page is stored once. Residents whose Submit got no answer press it again (the
   browser resends the form) and residents mid-form carry on to the end: each must end with one
   submission for their journey. The restarted server's delivery worker delivers everything to
   the folder, once each, then ``assist deliver --once`` finds nothing left.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from . import checks
from .live import ROOT, LiveServer
from .walker import Resident
from .web import free_port

DEFAULT_BURST = 30
MID_FORM = 6
DELIVERY_TIMEOUT = 240


@dataclass
class Submitter:
    """A resident at check answers: their browser, form, token and what Submit brought."""

    resident: Resident
    form: object
    token: str = ""
    confirmation: str | None = None
    reference: str | None = None
    lost: str | None = None


class Acknowledgements:
    """Counts confirmation pages, and wakes the killer when enough have arrived."""

    def __init__(self, wanted: int):
        self.wanted = wanted
        self.count = 0
        self.condition = threading.Condition()

    def add(self) -> None:
        with self.condition:
            self.count += 1
            self.condition.notify_all()

    def wait(self, timeout: float) -> bool:
        with self.condition:
            return self.condition.wait_for(lambda: self.count >= self.wanted, timeout=timeout)


def _press_submit(person: Submitter, start: threading.Barrier, acks: Acknowledgements) -> None:
    start.wait()
    try:
        person.confirmation = person.resident.press_submit(person.form, person.token)
        person.reference = person.resident.read_reference(person.confirmation)
        acks.add()
    except Exception as error:  # noqa: BLE001 - the kill breaks connections; that is the point
        person.lost = type(error).__name__


def _walk_a_little(person: Submitter) -> None:
    """Answer pages of a long form until the kill cuts the connection (or the form is done)."""
    try:
        person.reference = person.resident.submit(person.form, person.resident.walk_to_check_answers(person.form))
    except Exception as error:  # noqa: BLE001
        person.lost = type(error).__name__


def _in_parallel(target, people: list, *args) -> None:
    threads = [threading.Thread(target=target, args=(person, *args)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _prepare(person: Submitter) -> None:
    try:
        person.token = person.resident.walk_to_check_answers(person.form)
    except Exception as error:  # noqa: BLE001 - reported below: the burst needs everyone ready
        person.lost = f"{type(error).__name__}: {error}"


def _outbox(database: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return conn.execute("select submission_reference, destination, status from outbox").fetchall()


def _claimed(database: Path) -> int:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        sql = "select count(*) from outbox where status = 'pending' and claimed_by is not null"
        return conn.execute(sql).fetchone()[0]


def _wait_for_delivery(database: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(status == "delivered" for _, _, status in _outbox(database)):
            return True
        time.sleep(0.5)
    return False


def _app_store(server: LiveServer):
    """The store exactly as the app builds it (with its keys, whatever they are) on the server's data dir."""
    from assist import create_app
    from assist.config import load_config

    config = load_config(server.config, environ={**os.environ, "ASSIST_DATA_DIR": str(server.data_dir)})
    return create_app(config).extensions["assist.store"]


def run(burst: int) -> list[str]:
    """Kill the server during ``burst`` submissions, restart it, check everything; return the report lines."""
    from assist.engine import load_forms

    forms = load_forms(ROOT / "forms")
    lines = [f"Crash: SIGKILL of assist serve during a burst of {burst} submissions "
             f"({MID_FORM} more residents mid-form), then a restart on the same data dir"]
    with tempfile.TemporaryDirectory(prefix="assist-crash-") as folder:
        server = LiveServer(Path(folder), free_port(), connection_limit=burst + MID_FORM + 50).start()
        database = server.data_dir / "assist.sqlite3"
        began = time.perf_counter()
        try:
            submitters = [Submitter(Resident(server.port), forms["missed-bin"]) for _ in range(burst)]
            walkers = [Submitter(Resident(server.port), forms["council-tax-reduction"]) for _ in range(MID_FORM)]
            _in_parallel(_prepare, submitters)
            unready = [p.lost for p in submitters if p.lost]
            if unready:
                raise RuntimeError(f"{len(unready)} residents could not reach check answers: {unready[0]}")
            prepared = time.perf_counter()
            walking = [threading.Thread(target=_walk_a_little, args=(w,)) for w in walkers]
            for thread in walking:
                thread.start()
            while any(len(w.resident.latencies) < 8 and not w.lost for w in walkers):
                time.sleep(0.05)  # the residents mid-form have saved a few pages each
            acks = Acknowledgements(max(1, burst // 3))
            start = threading.Barrier(burst + 1)
            threads = [threading.Thread(target=_press_submit, args=(p, start, acks)) for p in submitters]
            for thread in threads:
                thread.start()
            start.wait()
            acks.wait(timeout=120)
            server.kill()
            killed = time.perf_counter()
            for thread in threads + walking:
                thread.join()
            acknowledged = [p.reference for p in submitters if p.reference]
            lost = [p for p in submitters if not p.reference]
            committed = {row[0] for row in checks.stored_submissions(database)}
            in_flight = _claimed(database)
            lines.append(f"  at the kill: {len(acknowledged)} confirmation pages shown, {len(lost)} Submits "
                         f"unanswered; "
                         f"{len(committed)} submissions committed; "
                         f"{sum(1 for p in walkers if p.lost)} of {MID_FORM} residents cut off mid-form; "
                         f"{in_flight} deliveries in flight (claimed by the killed server)")

            server.start()
            restarted = time.perf_counter()
            health = checks.database_health(database)
            synchronous = checks.app_synchronous(database)
            decoded = checks.decode_findings(_app_store(server))
            findings = checks.reference_findings(acknowledged, checks.stored_submissions(database))
            lines.append(f"  after restart: integrity_check {health['integrity']}, foreign key problems "
                         f"{health['foreign_key_problems']}, journal {health['journal_mode']}, "
                         f"synchronous {synchronous}; "
                         f"drafts loaded {decoded.drafts - len(decoded.bad_drafts)}/{decoded.drafts}, outbox items "
                         f"loaded {decoded.outbox - len(decoded.bad_outbox)}/{decoded.outbox}")
            lines.append(f"  acknowledged before the kill: {findings.line()}")

            for person in lost + walkers:
                person.resident.close()
            _in_parallel(_resubmit, lost)
            _in_parallel(_carry_on, [w for w in walkers if not w.reference])
            everyone = submitters + walkers
            final = checks.reference_findings([p.reference for p in everyone if p.reference],
                                              checks.stored_submissions(database))
            same = sum(1 for p in lost if p.reference in committed)
            lines.append(f"  Submit pressed again by {len(lost)}: {same} given the reference already stored, "
                         f"{sum(1 for p in lost if p.reference and p.reference not in committed)} submitted now, "
                         f"{sum(1 for p in lost if not p.reference)} failed; residents mid-form finished "
                         f"{sum(1 for p in walkers if p.reference)}/{MID_FORM}")
            lines.append(f"  all residents: {final.line()}")

            retried = time.perf_counter()
            delivered_in_time = _wait_for_delivery(database, DELIVERY_TIMEOUT)
            delivered = time.perf_counter()
        finally:
            server.stop()
        again = server.deliver_once()
        outbox = _outbox(database)
        references = {row[0] for row in checks.stored_submissions(database)}
        folder_result = checks.folder_findings(references, server.data_dir / "deliveries")
        rows_per_reference = {r: sum(1 for row in outbox if row[0] == r) for r in references}
        lines.append(
            f"  delivery: {sum(1 for row in outbox if row[2] == 'delivered')}/{len(references)} delivered "
            f"(in time: {'yes' if delivered_in_time else 'NO'}), one outbox row each: "
            f"{'yes' if set(rows_per_reference.values()) == {1} else 'NO'}; folder holds {folder_result.delivered} "
            f"complete (JSON + PDF), missing {len(folder_result.missing)}, wrong {len(folder_result.wrong)}, "
            f"unknown {len(folder_result.strangers)}, left-over temporary files {folder_result.leftover_temporary}; "
            f"`assist deliver --once` afterwards: {again.stdout.strip() or again.stderr.strip()[-200:]}")
    everyone_ok = (health["integrity"] == "ok" and not health["foreign_key_problems"] and decoded.ok and findings.ok
                   and findings.found == len(acknowledged) and final.ok and final.found == burst + MID_FORM
                   and folder_result.ok and folder_result.delivered == len(references) and delivered_in_time)
    lines.append(f"  {'OK' if everyone_ok else 'FAILED'}: acknowledged {len(acknowledged)}, found after the crash "
                 f"{findings.found}, duplicates {len(findings.shown_twice) + len(final.journeys_submitted_twice)}, "
                 f"delivered {folder_result.delivered}/{len(references)}, integrity {health['integrity']}")
    lines.append(f"  times: residents to check answers {prepared - began:.1f} s, long form begun, burst and kill "
                 f"{killed - prepared:.1f} s, "
                 f"restart {restarted - killed:.1f} s, checks and retries {retried - restarted:.1f} s, "
                 f"delivery of the rest {delivered - retried:.1f} s")
    lines.append("  (SIGKILL ends the process, not the machine: the OS still writes what it was given. "
                 "synchronous=FULL in WAL mode syncs the log at every commit, which is what keeps an "
                 "acknowledged submission through a power cut.)")
    return lines


def _resubmit(person: Submitter) -> None:
    """The resident reloads: the browser resends the Submit form that got no answer, or asks
    again for the confirmation page it was sent to."""
    try:
        if person.confirmation:
            person.reference = person.resident.read_reference(person.confirmation)
        else:
            person.reference = person.resident.submit(person.form, person.token)
    except Exception as error:  # noqa: BLE001
        person.lost = f"{type(error).__name__}: {error}"


def _carry_on(person: Submitter) -> None:
    """A resident cut off mid-form opens the form again and carries on where the draft left off."""
    try:
        person.reference = person.resident.submit(person.form, person.resident.walk_to_check_answers(person.form))
    except Exception as error:  # noqa: BLE001
        person.lost = f"{type(error).__name__}: {error}"


def main(burst: int | None = None) -> list[str]:
    """The crash benchmark with ``burst`` submissions (default ``$BENCH_BURST`` or 30)."""
    return run(burst or int(os.environ.get("BENCH_BURST", DEFAULT_BURST)))
