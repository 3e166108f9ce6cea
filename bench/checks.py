"""What the load and crash benchmarks check after the fact: references, the database, deliveries."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ReferenceFindings:
    """How the references residents were shown compare with the submissions stored."""

    acknowledged: int
    found: int
    missing: list[str] = field(default_factory=list)
    shown_twice: list[str] = field(default_factory=list)
    journeys_submitted_twice: list[str] = field(default_factory=list)
    unacknowledged: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.shown_twice or self.journeys_submitted_twice)

    def line(self) -> str:
        return (f"acknowledged {self.acknowledged}, found {self.found}, missing {len(self.missing)}, "
                f"shown to two residents {len(self.shown_twice)}, journeys submitted twice "
                f"{len(self.journeys_submitted_twice)}, stored but never shown {self.unacknowledged}")


def reference_findings(acknowledged: list[str], stored: list[tuple[str, str]]) -> ReferenceFindings:
    """Compare the references on confirmation pages with ``(reference, journey_id)`` rows stored.

    Every acknowledged reference must be stored, no reference may have been shown to two
    residents, and no journey may have more than one submission.
    """
    stored_references = {reference for reference, _ in stored}
    shown = Counter(acknowledged)
    per_journey = Counter(journey for _, journey in stored)
    return ReferenceFindings(
        acknowledged=len(acknowledged),
        found=sum(1 for reference in shown if reference in stored_references),
        missing=sorted(reference for reference in shown if reference not in stored_references),
        shown_twice=sorted(reference for reference, count in shown.items() if count > 1),
        journeys_submitted_twice=sorted(journey for journey, count in per_journey.items() if count > 1),
        unacknowledged=len(stored_references - set(shown)),
    )


def stored_submissions(database: Path) -> list[tuple[str, str]]:
    """``(reference, journey_id)`` of every submission in ``database`` (read only)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return conn.execute("select reference, journey_id from submissions").fetchall()


def database_health(database: Path) -> dict:
    """``PRAGMA integrity_check``, foreign key problems and journal mode of ``database``."""
    with closing(sqlite3.connect(database)) as conn:
        return {
            "integrity": "; ".join(row[0] for row in conn.execute("pragma integrity_check")),
            "foreign_key_problems": len(conn.execute("pragma foreign_key_check").fetchall()),
            "journal_mode": conn.execute("pragma journal_mode").fetchone()[0],
        }


def app_synchronous(database: Path) -> str:
    """The ``synchronous`` setting of a connection opened the way the app opens one."""
    from assist.storage.database import connect

    db = connect(database)
    try:
        return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[db.execute("pragma synchronous").fetchone()[0]]
    finally:
        db.close()


@dataclass
class DecodeFindings:
    """Drafts and outbox items read back through the app's own store, and those that failed."""

    drafts: int
    outbox: int
    bad_drafts: list[str] = field(default_factory=list)
    bad_outbox: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.bad_drafts or self.bad_outbox)


def decode_findings(store) -> DecodeFindings:
    """Load every draft's answers and every outbox item's submission through ``store``."""
    draft_ids = [row[0] for row in store.db.execute("select journey_id from drafts")]
    outbox = [row[0] for row in store.db.execute("select distinct submission_reference from outbox")]
    findings = DecodeFindings(drafts=len(draft_ids), outbox=len(outbox))
    for journey_id in draft_ids:
        try:
            journey = store.get_journey(journey_id)
            if journey is None or not isinstance(journey["answers"], dict):
                findings.bad_drafts.append(journey_id)
        except Exception:
            findings.bad_drafts.append(journey_id)
    for reference in outbox:
        try:
            submission = store.get_submission(reference)
            if submission is None or not isinstance(submission["answers"], dict) or not submission["answers"]:
                findings.bad_outbox.append(reference)
        except Exception:
            findings.bad_outbox.append(reference)
    return findings


@dataclass
class FolderFindings:
    """What the folder destination holds for a set of references."""

    delivered: int
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    strangers: list[str] = field(default_factory=list)
    leftover_temporary: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong or self.strangers)


def folder_findings(references: set[str], folder: Path) -> FolderFindings:
    """Each reference must have its PDF and a JSON document naming it; nothing else may be there."""
    names = {path.name for path in folder.iterdir()} if folder.is_dir() else set()
    findings = FolderFindings(delivered=0, leftover_temporary=sum(1 for n in names if n.endswith(".tmp")))
    for reference in sorted(references):
        if f"{reference}.json" not in names or f"{reference}.pdf" not in names:
            findings.missing.append(reference)
            continue
        try:
            document = json.loads((folder / f"{reference}.json").read_text(encoding="utf-8"))
            pdf_ok = (folder / f"{reference}.pdf").read_bytes()[:5] == b"%PDF-"
        except (OSError, ValueError):
            document, pdf_ok = {}, False
        if document.get("reference") == reference and pdf_ok:
            findings.delivered += 1
        else:
            findings.wrong.append(reference)
    findings.strangers = sorted(
        n for n in names if not n.endswith(".tmp") and n.rsplit(".", 1)[0] not in references)
    return findings
