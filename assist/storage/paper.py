"""Paper forms keyed in by helpers: each copy once.

A paper reference (``PAPER-BB-2026.1-EN-K7MX``) names the form, version and language of a
blank paper form, not one copy: every copy printed from it carries the same reference. Each
copy is told apart by its **paper number**, written by the helper in the "Office use: paper
number" box when the form comes back (see ``docs/delivery.md``). A copy is refused a second
time when the same paper reference comes with the same paper number, or with exactly the same
answers (a copy whose box was left empty).

The same answers are recognised by a keyed digest (HMAC-SHA-256). Its key is random, made once per
database and kept in ``digest_keys`` sealed with the data key, so a copy of the database alone
cannot confirm a guess at answers deleted since. ``assist rotate-key`` seals
the digest key again with the new data key; the digests stay as they are and keep matching.

**Answers outside the route.** A resident may answer on paper a question the paper told them to
skip. When the helper keeps such answers, they are kept inside the submission's encrypted answers,
under the key :data:`OUTSIDE_ROUTE` (no question or page id can take it: ids are lower-case letters,
digits and hyphens), so they are encrypted, re-encrypted by ``assist rotate-key`` and deleted under
the retention rules with the answers. :meth:`Store.get_submission` takes them out into
``answers_outside_route``: nothing reading ``answers`` ever sees them as answers. The answers digest
covers the answers on the route only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable

from .crypto import decode_key, encode_key, new_key
from .errors import StorageError

_NUMBER = re.compile(r"[^A-Z0-9]")
#: The ``digest_keys`` row holding the key of ``paper_copies.answers_digest``.
DIGEST_KEY = "paper_copies.answers_digest"
#: Where answers to questions the paper told the resident to skip are kept in a submission's answers.
OUTSIDE_ROUTE = "_outside_route"


class DuplicatePaper(StorageError):
    """This paper copy was keyed in before: ``reference`` is the submission made then, at ``venue_id``."""

    def __init__(self, reference: str, keyed_at: str, by: str, venue_id: str | None):
        super().__init__(f"already keyed in as {reference}")
        self.reference, self.keyed_at, self.by, self.venue_id = reference, keyed_at, by, venue_id


def split_outside_route(answers: dict) -> tuple[dict, dict]:
    """``(answers, answers outside the route)`` of a submission's stored answers."""
    answers = dict(answers)
    return answers, answers.pop(OUTSIDE_ROUTE, None) or {}


def normalise_paper_number(text: str) -> str:
    """A paper number as stored: capitals and digits only (``"k7 mx-2"`` → ``"K7MX2"``)."""
    return _NUMBER.sub("", (text or "").upper())


class PaperMixin:
    """Paper keying methods of :class:`assist.storage.Store`."""

    def answers_digest(self, paper_reference: str, answers: dict) -> str:
        """The keyed digest of a paper copy's ``answers``, as ``paper_copies.answers_digest`` keeps it."""
        text = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(self._digest_key(), f"{paper_reference}\n{text}".encode(), hashlib.sha256).hexdigest()

    def key_paper_digests(self) -> int:
        """Digest again, keyed, the copies left without a digest by the ``key_paper_digests`` migration
        whose answers are still kept; returns how many (at start-up, see :meth:`Store.migrate`)."""
        rows = self.db.execute(
            "select p.paper_reference, p.paper_number, s.reference, s.answers from paper_copies p "
            "join submissions s on s.reference = p.submission_reference "
            "where p.answers_digest is null and s.answers_deleted_at is null").fetchall()
        if not rows:
            return 0
        with self.transaction() as db:
            for paper_reference, number, reference, sealed in rows:
                answers, _outside = split_outside_route(self._open_answers("submissions", reference, sealed))
                digest = self.answers_digest(paper_reference, answers)
                db.execute("update paper_copies set answers_digest = ? where paper_reference = ? and paper_number = ?",
                           [digest, paper_reference, number])
        return len(rows)

    def _digest_key(self) -> bytes:
        """The HMAC key of the answers digests: read (or made, once per database) on first use."""
        key = getattr(self, "_paper_digest_key", None)
        if key is None:
            with self.transaction() as db:  # one transaction: two processes starting together make one key
                row = db.execute("select key from digest_keys where name = ?", [DIGEST_KEY]).fetchone()
                if row is None:
                    row = (self._seal("digest_keys", "key", DIGEST_KEY, encode_key(new_key())),)
                    db.execute("insert into digest_keys (name, key, created_at) values (?, ?, ?)",
                               [DIGEST_KEY, row[0], self._now()])
            key = self._paper_digest_key = decode_key(self._open("digest_keys", "key", DIGEST_KEY, row[0]),
                                                      "digest_keys")
        return key

    def find_paper_copy(self, paper_reference: str, paper_number: str | None = None,
                        answers: dict | None = None) -> dict | None:
        """The earlier keying of this copy (same number, or same answers), or ``None``."""
        clauses, params = [], []
        if paper_number:
            clauses.append("paper_number = ?")
            params.append(normalise_paper_number(paper_number))
        if answers is not None:
            clauses.append("answers_digest = ?")
            params.append(self.answers_digest(paper_reference, answers))
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
                     venue_id: str | None = None, helper_id: str | None = None,
                     outside_route: dict | None = None, journey_id: str | None = None) -> str:
        """Key in one paper copy: a "paper" journey, its submission (and outbox rows) and the copy's
        record, all in ONE transaction. Raises :class:`DuplicatePaper` if the copy was keyed before.

        ``outside_route``: answers to questions the paper told the resident to skip that the helper
        chose to send; kept apart from ``answers`` (see the module docstring), not in the digest.
        ``journey_id``: the "paper" journey already holding the photos the clerk took of the copies
        attached to the paper form (started with the first photo); else a new one."""
        number = normalise_paper_number(paper_number)
        if not number:
            raise ValueError("a paper number is needed")
        digest = self.answers_digest(paper_reference, answers)
        with self.transaction() as db:
            earlier = self.find_paper_copy(paper_reference, number, answers)
            if earlier is not None:
                raise DuplicatePaper(earlier["submission_reference"], earlier["keyed_at"], earlier["helper_id"],
                                     earlier["venue_id"])
            if journey_id is None:
                journey_id = self.start_journey(form_id, form_version, language, mode="paper",
                                                venue_id=venue_id, helper_id=helper_id)
            stored = {**answers, OUTSIDE_ROUTE: outside_route} if outside_route else answers
            reference = self.submit(journey_id, reference_factory, stored)
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
