"""Paper forms keyed in by helpers: each copy once.

A paper reference (``PAPER-BB-2026.1-EN-K7MX``) names the form, version and language of a
blank paper form, not one copy: every copy printed from it carries the same reference. Each
copy is told apart by its **paper number**, written by the helper in the "Office use: paper
number" box when the form comes back (see ``docs/delivery.md``). A copy is refused a second
time when the same paper reference comes with the same paper number, or with exactly the same
answers (a copy whose box was left empty).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable

from .errors import StorageError

_NUMBER = re.compile(r"[^A-Z0-9]")


class DuplicatePaper(StorageError):
    """This paper copy was keyed in before: ``reference`` is the submission made then."""

    def __init__(self, reference: str, keyed_at: str, by: str):
        super().__init__(f"already keyed in as {reference}")
        self.reference, self.keyed_at, self.by = reference, keyed_at, by


def normalise_paper_number(text: str) -> str:
    """A paper number as stored: capitals and digits only (``"k7 mx-2"`` → ``"K7MX2"``)."""
    return _NUMBER.sub("", (text or "").upper())


def answers_digest(paper_reference: str, answers: dict) -> str:
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{paper_reference}\n{text}".encode()).hexdigest()


class PaperMixin:
    """Paper keying methods of :class:`assist.storage.Store`."""

    def find_paper_copy(self, paper_reference: str, paper_number: str | None = None,
                        answers: dict | None = None) -> dict | None:
        """The earlier keying of this copy (same number, or same answers), or ``None``."""
        clauses, params = [], []
        if paper_number:
            clauses.append("paper_number = ?")
            params.append(normalise_paper_number(paper_number))
        if answers is not None:
            clauses.append("answers_digest = ?")
            params.append(answers_digest(paper_reference, answers))
        if not clauses:
            return None
        cursor = self.db.execute(
            f"select * from paper_copies where paper_reference = ? and ({' or '.join(clauses)}) "
            "order by keyed_at limit 1",
            [paper_reference, *params],
        )
        values = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], values)) if values else None

    def get_paper_copy(self, submission_reference: str) -> dict | None:
        """The paper details of a submission keyed in from paper, or ``None``."""
        cursor = self.db.execute("select * from paper_copies where submission_reference = ?", [submission_reference])
        values = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], values)) if values else None

    def submit_paper(self, *, form_id: str, form_version: str, language: str, paper_reference: str,
                     paper_number: str, answers: dict, reference_factory: Callable[[], str],
                     venue_id: str | None = None, helper_id: str | None = None) -> str:
        """Key in one paper copy: a "paper" journey, its submission (and outbox rows) and the copy's
        record, all in ONE transaction. Raises :class:`DuplicatePaper` if the copy was keyed before."""
        number = normalise_paper_number(paper_number)
        if not number:
            raise ValueError("a paper number is needed")
        digest = answers_digest(paper_reference, answers)
        with self.transaction() as db:
            earlier = self.find_paper_copy(paper_reference, number, answers)
            if earlier is not None:
                raise DuplicatePaper(earlier["submission_reference"], earlier["keyed_at"], earlier["helper_id"])
            journey_id = self.start_journey(form_id, form_version, language, mode="paper",
                                            venue_id=venue_id, helper_id=helper_id)
            reference = self.submit(journey_id, reference_factory, answers)
            db["paper_copies"].insert({
                "paper_reference": paper_reference,
                "paper_number": number,
                "answers_digest": digest,
                "submission_reference": reference,
                "form_id": form_id,
                "form_version": form_version,
                "language": language,
                "helper_id": helper_id,
                "venue_id": venue_id,
                "keyed_at": self._now(),
            })
        return reference
