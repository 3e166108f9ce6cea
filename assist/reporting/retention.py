"""Retention: delete residents' answers when they are no longer needed; keep anonymous statistics.

* **Submissions**: answers are deleted ``retention_days`` (the form's own, else
  ``[retention] days_after_delivery``) after the back office received them. Undelivered
  submissions (waiting or failed) keep their answers until delivered.
  The files the folder destination wrote for them (``delivery.folder``) are deleted with them.
* **Drafts**: a draft saved with a resume code is deleted when the code expires
  (``[sessions] draft_expiry_days``); any other unfinished draft when its session timed out
  (``[sessions] online_idle_minutes`` / ``kiosk_idle_minutes`` / ``assisted_idle_minutes``).

:func:`purge` does both and writes one ``purge`` audit entry with counts only. ``assist purge
[--dry-run]`` runs it; ``assist serve`` runs it once a day in the background (:class:`DailyPurge`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..delivery.folder_files import remove_delivered

log = logging.getLogger("assist.retention")

#: How often ``assist serve`` purges, and how long after starting it first does.
INTERVAL = timedelta(days=1)
FIRST_RUN_AFTER = timedelta(minutes=1)


def retention_days(form, config) -> int:
    """Days a submission of ``form`` keeps its answers after delivery."""
    own = getattr(form, "retention_days", None) if form is not None else None
    return int(own) if own else int(config.retention.days_after_delivery)


def idle_cutoffs(config, now: datetime) -> dict[str, datetime]:
    """Per mode, the last activity before which an unsaved draft's session has timed out."""
    sessions = config.sessions
    online = timedelta(minutes=sessions.online_idle_minutes)
    kiosk = timedelta(minutes=sessions.kiosk_idle_minutes, seconds=sessions.kiosk_warning_seconds)
    assisted = timedelta(minutes=sessions.assisted_idle_minutes, seconds=sessions.assisted_warning_seconds)
    return {"online": now - online, "kiosk": now - kiosk, "assisted": now - assisted, "paper": now - assisted}


@dataclass
class PurgeResult:
    dry_run: bool
    #: ``form_id -> submissions whose answers were (or would be) deleted``.
    submissions: dict[str, int] = field(default_factory=dict)
    saved_drafts: int = 0
    idle_drafts: int = 0
    days: dict[str, int] = field(default_factory=dict)
    #: Files the folder destination had written for those submissions, deleted with their answers.
    folder_files: int = 0

    @property
    def submissions_total(self) -> int:
        return sum(self.submissions.values())

    @property
    def drafts_total(self) -> int:
        return self.saved_drafts + self.idle_drafts

    def detail(self) -> str:
        """The audit entry's detail: counts only."""
        return (f"{'dry-run ' if self.dry_run else ''}submissions={self.submissions_total} "
                f"saved_drafts={self.saved_drafts} idle_drafts={self.idle_drafts}")

    def lines(self) -> list[str]:
        """What ``assist purge`` prints (in English, like the other commands)."""
        verb = "Would delete" if self.dry_run else "Deleted"
        lines = [f"{verb} the answers of {_count(self.submissions_total, 'delivered submission')}."]
        for form_id, count in sorted(self.submissions.items()):
            lines.append(f"  {form_id}: {count} (kept {_count(self.days.get(form_id) or 0, 'day')} after delivery)")
        lines.append(f"{verb} {_count(self.saved_drafts, 'expired saved draft')} and "
                     f"{_count(self.idle_drafts, 'timed-out draft')}.")
        if self.folder_files:
            lines.append(f"Deleted {_count(self.folder_files, 'delivered file')} from the delivery folder.")
        if not self.dry_run:
            lines.append("Statistics are kept.")
        return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def purge_counts(detail: str | None) -> dict[str, int] | None:
    """The counts in a ``purge`` audit entry's detail (see :meth:`PurgeResult.detail`): submissions,
    saved_drafts, idle_drafts; ``None`` when the detail is not in that shape."""
    counts = {}
    for part in (detail or "").split():
        name, _, value = part.partition("=")
        if value.isdigit():
            counts[name] = int(value)
    return counts if set(counts) >= {"submissions", "saved_drafts", "idle_drafts"} else None


def purge(store, forms: dict, config, *, dry_run: bool = False) -> PurgeResult:
    """Delete (or with ``dry_run`` only count) what is due now; audited with counts only."""
    now = store.now()
    form_ids = set(store.forms_with_answers())
    days = {form_id: retention_days(forms.get(form_id), config) for form_id in form_ids}
    cutoffs = {form_id: now - timedelta(days=d) for form_id, d in days.items()}
    due = store.submissions_due_for_deletion(cutoffs)
    result = PurgeResult(dry_run=dry_run, days=days)
    drafts_cutoffs = idle_cutoffs(config, now)
    if dry_run:
        result.submissions = {form_id: len(refs) for form_id, refs in due.items()}
        counts = store.expired_drafts(drafts_cutoffs)
    else:
        for form_id, references in due.items():
            deleted = store.delete_submission_answers(references)
            if deleted:
                result.submissions[form_id] = deleted
            result.folder_files += remove_delivered(config.delivery.folder, references)
        counts = store.delete_expired_drafts(drafts_cutoffs)
    result.saved_drafts, result.idle_drafts = counts["saved"], counts["idle"]
    if not dry_run:
        store.audit("purge", detail=result.detail())
    return result


class DailyPurge:
    """Runs :func:`purge` in a daemon thread: a minute after starting, then every day."""

    def __init__(self, store, forms: dict, config, *, interval: timedelta = INTERVAL,
                 first_after: timedelta = FIRST_RUN_AFTER):
        self.store, self.forms, self.config = store, forms, config
        self.interval, self.first_after = interval, first_after
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_result: PurgeResult | None = None

    def run_once(self) -> PurgeResult | None:
        try:
            self.last_result = purge(self.store, self.forms, self.config)
            log.info("purge: %s", self.last_result.detail())
        except Exception:  # noqa: BLE001 - the database was busy or away: try again next time
            log.exception("purge failed")
            return None
        return self.last_result

    def _run(self) -> None:
        wait = self.first_after.total_seconds()
        while not self._stop.wait(wait):
            self.run_once()
            wait = self.interval.total_seconds()

    def start(self) -> threading.Thread:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="assist-purge", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float | None = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def start_background(app) -> DailyPurge:
    """Start the daily purge for ``app`` (``assist serve`` does this)."""
    scheduler = DailyPurge(app.extensions["assist.store"], app.extensions["assist.forms"],
                           app.extensions["assist.config"])
    app.extensions["assist.purge"] = scheduler
    scheduler.start()
    return scheduler
