"""The delivery worker: takes due outbox rows, delivers them, records the outcome.

Runs as a background thread of ``assist serve`` and as ``assist deliver [--once]`` (for cron).
Several workers (two processes, or serve and cron) can run at once: each claims rows for a
while (a lease) inside a write transaction, so no two try the same row at the same time.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from ..moments import parse_moment
from ..storage.outbox import worker_identity
from .destinations import DeliveryError, EmailDestination, FolderDestination, Parcel, WebhookDestination
from .evidence import DeliveredFile, delivered_files
from .payload import submission_document

log = logging.getLogger("assist.delivery")


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: after the n-th failure wait about ``base * 2**(n-1)`` seconds,
    at most ``cap``; the wait is drawn between half of that and all of it ("equal jitter"), so many
    submissions that failed together do not all come back at the same moment."""

    base: float
    cap: float
    rng: Callable[[], float] = random.random

    def delay(self, failures: int) -> float:
        ceiling = min(self.cap, self.base * (2 ** max(failures - 1, 0)))
        return ceiling / 2 + self.rng() * ceiling / 2


@dataclass
class RunResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempts(self) -> int:
        return self.delivered + self.retrying + self.failed


def make_destinations(config) -> dict:
    """The destinations this configuration can deliver to (a webhook needs its URL and secret)."""
    settings = config.delivery
    destinations = {
        "email": EmailDestination(settings, council_name=config.council.name, sender=config.council.contact_email),
        "folder": FolderDestination(settings),
    }
    if settings.webhook_url:
        destinations["webhook"] = WebhookDestination(settings)
    return destinations


class Worker:
    """Delivers the outbox of ``store`` for ``forms`` with ``config``'s ``[delivery]`` settings.

    Tests inject ``destinations``, ``backoff``, ``printouts`` and the store's clock instead of waiting.
    """

    def __init__(self, store, forms: dict, config, *, printouts=None, destinations: dict | None = None,
                 backoff: Backoff | None = None, max_attempts: int | None = None, batch: int = 10,
                 worker_id: str | None = None):
        settings = config.delivery
        self.store = store
        self.forms = forms
        self.config = config
        self.settings = settings
        self.destinations = destinations if destinations is not None else make_destinations(config)
        self.backoff = backoff or Backoff(settings.backoff_base_seconds, settings.backoff_cap_seconds)
        self.max_attempts = max_attempts or settings.max_attempts
        self.timeout = float(settings.timeout_seconds)
        self.batch = batch
        self.lease = timedelta(seconds=batch * (self.timeout + 30))
        self.worker_id = worker_id or worker_identity()
        self._printouts = printouts
        self._printouts_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one pass --------------------------------------------------------------------------------
    def run_once(self) -> RunResult:
        """Deliver everything due now (not waiting for rows whose next attempt is later)."""
        result = RunResult()
        seen: set[int] = set()
        while not self._stop.is_set():
            rows = [r for r in self.store.claim_deliveries(self.worker_id, self.lease, self.batch) if r["id"] not in seen]
            if not rows:
                break
            for row in rows:
                seen.add(row["id"])
                self._attempt(row, result)
        return result

    def _attempt(self, row: dict, result: RunResult) -> None:
        try:
            destination = self.destinations.get(row["destination"])
            if destination is None:
                raise DeliveryError(f"the {row['destination']} destination is not configured (see [delivery])")
            parcel = self.parcel(row["submission_reference"], row["idempotency_key"])
            detail = destination.deliver(parcel, self.timeout)
        except Exception as error:  # noqa: BLE001 - every failure is recorded and retried
            message = str(error) if isinstance(error, DeliveryError) else f"{type(error).__name__}: {error}"
            failures = row["attempts"] + 1
            if failures >= self.max_attempts:
                self.store.mark_attempt_failed(row["id"], self.worker_id, message, None)
                result.failed += 1
                log.error("delivery of %s to %s failed for good after %d attempts: %s",
                          row["submission_reference"], row["destination"], failures, message)
            else:
                due = self._now() + timedelta(seconds=self.backoff.delay(failures))
                self.store.mark_attempt_failed(row["id"], self.worker_id, message, due)
                result.retrying += 1
                log.warning("delivery of %s to %s failed (attempt %d of %d), trying again at %s: %s",
                            row["submission_reference"], row["destination"], failures, self.max_attempts,
                            due.isoformat(timespec="seconds"), message)
            return
        self.store.mark_delivered(row["id"], self.worker_id, detail)
        result.delivered += 1

    def _now(self) -> datetime:
        return self.store._clock()

    # -- what is sent ---------------------------------------------------------------------------
    def document(self, reference: str, *, files: bool = True) -> dict:
        """The submission JSON document of ``reference`` (see docs/delivery.md); without its
        ``files`` list when not ``files`` (what :meth:`parcel` adds on first use)."""
        store = self.store
        submission = store.get_submission(reference)
        if submission is None:
            raise DeliveryError(f"submission {reference} is not in the database")
        form = self.forms.get(submission["form_id"])
        if form is None:
            raise DeliveryError(f"form {submission['form_id']!r} is not loaded")
        journey = store.get_journey(submission["journey_id"]) if submission.get("journey_id") else None
        venue = store.get_venue(submission["venue_id"]) if submission.get("venue_id") else None
        helper = store.get_helper(submission["helper_id"]) if submission.get("helper_id") else None
        paper = store.get_paper_copy(reference)
        document = submission_document(form, submission, journey=journey, venue=venue, helper=helper, paper=paper)
        if files:
            document["files"] = [file.entry for file in self.evidence(reference, document)]
        return document

    def evidence(self, reference: str, document: dict) -> list[DeliveredFile]:
        """The evidence files of ``reference`` from the store, ordered as ``document``'s answers name them."""
        return delivered_files(reference, document, self.store.submission_evidence(reference))

    def parcel(self, reference: str, idempotency_key: str) -> Parcel:
        document = self.document(reference, files=False)

        def make_pdf() -> bytes:
            submission = self.store.get_submission(reference)
            form = self.forms[submission["form_id"]]
            return self.printouts().completed_copy(form, submission, language="en", for_council=True,
                                                   evidence=self.store.submission_evidence(reference))

        def make_files() -> list[DeliveredFile]:
            return self.evidence(reference, document)

        return Parcel(reference, idempotency_key, document, make_pdf=make_pdf, make_files=make_files)

    def printouts(self):
        if self._printouts is None:
            with self._printouts_lock:
                if self._printouts is None:
                    from ..printouts import Printouts

                    self._printouts = Printouts(self.config)
        return self._printouts

    # -- in the background ---------------------------------------------------------------------
    def wake(self) -> None:
        """Look at the outbox now (a submission was just made)."""
        self._wake.set()

    def run_forever(self) -> None:
        """Deliver until :meth:`stop`: a pass, then wait ``poll_seconds`` (or until woken)."""
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # noqa: BLE001 - the database was busy or away: try again next time
                log.exception("delivery pass failed")
            self._wake.wait(self._wait_seconds())
            self._wake.clear()

    def _wait_seconds(self) -> float:
        wait = float(self.settings.poll_seconds)
        try:
            due = self.store.next_delivery_due()
        except Exception:  # noqa: BLE001
            return wait
        if due:
            seconds = (parse_moment(due) - self._now()).total_seconds()
            wait = min(wait, max(seconds, 0.05))
        return wait

    def start(self) -> threading.Thread:
        """Run :meth:`run_forever` in a daemon thread; :meth:`stop` ends it."""
        self._stop.clear()
        self._thread = threading.Thread(target=self.run_forever, name="assist-delivery", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = 5) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_until_idle(self, timeout: float = 10) -> bool:
        """For tests and ``assist deliver``: run passes until nothing is due now (or ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.run_once()
            due = self.store.next_delivery_due()
            if due is None or due > self.store._iso(self._now()):
                return True
        return False
