"""Journeys (statistics, no answers) and their drafts (answers as encrypted JSON)."""

from __future__ import annotations

import json
import secrets

from .errors import JourneyClosed, JourneyNotFound

IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
CLEARED = "cleared"
ABANDONED = "abandoned"
STATUSES = (IN_PROGRESS, SUBMITTED, CLEARED, ABANDONED)
MODES = ("online", "assisted", "kiosk", "paper")
#: Who can have typed an answer (kept per question for assisted journeys).
TYPISTS = ("helper", "resident")


def dump_answers(answers: dict) -> str:
    if not isinstance(answers, dict):
        raise TypeError(f"answers must be a dict, not {type(answers).__name__}")
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"))


class JourneysMixin:
    """Journey methods of :class:`assist.storage.Store`."""

    def start_journey(
        self,
        form_id: str,
        form_version: str,
        language: str,
        mode: str = "online",
        venue_id: str | None = None,
        helper_id: str | None = None,
    ) -> str:
        """Begin a journey with no answers yet; return its id (unguessable, URL safe)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        journey_id = secrets.token_urlsafe(24)
        now = self._now()
        with self.transaction() as db:
            db["journeys"].insert(
                {
                    "id": journey_id,
                    "form_id": form_id,
                    "form_version": str(form_version),
                    "language": language,
                    "mode": mode,
                    "venue_id": venue_id,
                    "helper_id": helper_id,
                    "status": IN_PROGRESS,
                    "started_at": now,
                    "last_activity_at": now,
                }
            )
            db["drafts"].insert({"journey_id": journey_id, "answers": "{}"})
        return journey_id

    def get_journey(self, journey_id: str) -> dict | None:
        """The journey and, while it is in progress, its answers; ``None`` if unknown.

        A submitted, cleared or abandoned journey comes back with ``answers == {}``.
        """
        row = self.db.execute(
            "select journeys.*, drafts.answers as _answers from journeys "
            "left join drafts on drafts.journey_id = journeys.id where journeys.id = ?",
            [journey_id],
        )
        columns = [c[0] for c in row.description]
        values = row.fetchone()
        if values is None:
            return None
        journey = dict(zip(columns, values))
        stored = journey.pop("_answers")
        in_progress = journey["status"] == IN_PROGRESS
        journey["answers"] = self._open_answers("drafts", journey_id, stored) if in_progress else {}
        return journey

    def save_answers(self, journey_id: str, answers: dict, last_page: str, typed_by: dict | None = None) -> None:
        """Replace the journey's answers and note the page; bumps ``last_activity_at``.

        ``typed_by``: who typed the answers just given, ``{question_id: "helper" | "resident"}``,
        added to the draft's record of who typed what, in the same write.
        Raises :class:`JourneyNotFound` for an unknown id and :class:`JourneyClosed` if the
        journey was submitted, cleared or abandoned (answers must not come back to life).
        Saving also clears ``exit_id``: the resident went back from the exit page.
        """
        text = dump_answers(answers)
        if any(who not in TYPISTS for who in (typed_by or {}).values()):
            raise ValueError(f"who typed an answer must be one of {TYPISTS}")
        typed = json.dumps(typed_by or {}, separators=(",", ":"))
        with self.transaction() as db:
            cursor = db.execute(
                "update journeys set last_page = ?, last_activity_at = ?, exit_id = null where id = ? and status = ?",
                [last_page, self._now(), journey_id, IN_PROGRESS],
            )
            if cursor.rowcount != 1:
                self._require_in_progress(db, journey_id)
            # Sealed under the write lock, so a key change in progress never misses it.
            stored = self._seal_answers("drafts", journey_id, text)
            db.execute(
                "insert into drafts (journey_id, answers, typed_by) values (?, ?, ?) on conflict (journey_id) "
                "do update set answers = excluded.answers, "
                "typed_by = json_patch(coalesce(drafts.typed_by, '{}'), excluded.typed_by)",
                [journey_id, stored, typed],
            )

    def set_language(self, journey_id: str, language: str) -> bool:
        """Record a language change on a journey in progress. False if unknown or closed."""
        return self._update_in_progress(journey_id, language=language)

    def view_page(self, journey_id: str, page_id: str) -> bool:
        """Note that the resident is looking at ``page_id`` (for drop-off figures). False if closed."""
        return self._update_in_progress(journey_id, last_page=page_id)

    def touch(self, journey_id: str) -> bool:
        """Note activity (the resident is still there). False if unknown or closed."""
        return self._update_in_progress(journey_id)

    def mark_exited(self, journey_id: str, exit_id: str) -> bool:
        """Record that the resident reached exit page ``exit_id``.

        The journey stays in progress and keeps its answers, so the resident can go back
        and change the answer that led there; if they leave, it expires like any draft
        and the statistics keep ``exit_id``. False if unknown or closed.
        """
        return self._update_in_progress(journey_id, exit_id=exit_id)

    def discard_journey(self, journey_id: str) -> bool:
        """Delete the answers now ("Finish and clear", timeout); status becomes "cleared".

        A submitted journey keeps its status (its submission is not touched).
        Returns False if the journey is unknown.
        """
        with self.transaction() as db:
            found = db.execute("select 1 from journeys where id = ?", [journey_id]).fetchone()
            if found is None:
                return False
            db.execute("delete from drafts where journey_id = ?", [journey_id])
            db.execute(
                "update journeys set status = ?, last_activity_at = ? where id = ? and status = ?",
                [CLEARED, self._now(), journey_id, IN_PROGRESS],
            )
        return True

    def expire_journeys(self, older_than) -> int:
        """Delete the answers of journeys in progress idle since before ``older_than``.

        Their status becomes "abandoned"; their statistics stay. Returns how many expired.
        """
        cutoff = self._iso(older_than)
        with self.transaction() as db:
            db.execute(
                "delete from drafts where journey_id in "
                "(select id from journeys where status = ? and last_activity_at < ?)",
                [IN_PROGRESS, cutoff],
            )
            count = db.execute(
                "update journeys set status = ? where status = ? and last_activity_at < ?",
                [ABANDONED, IN_PROGRESS, cutoff],
            ).rowcount
            # Belt and braces: no answers may outlive their journey.
            db.execute(
                "delete from drafts where journey_id in (select id from journeys where status != ?)",
                [IN_PROGRESS],
            )
        return count

    # --- helpers ------------------------------------------------------------------------

    def _require_in_progress(self, db, journey_id: str) -> None:
        row = db.execute("select status from journeys where id = ?", [journey_id]).fetchone()
        if row is None:
            raise JourneyNotFound(journey_id)
        if row[0] != IN_PROGRESS:
            raise JourneyClosed(f"journey is {row[0]}")

    def _update_in_progress(self, journey_id: str, **changes) -> bool:
        changes["last_activity_at"] = self._now()
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.transaction() as db:
            cursor = db.execute(
                f"update journeys set {assignments} where id = ? and status = ?",
                [*changes.values(), journey_id, IN_PROGRESS],
            )
        return cursor.rowcount == 1
