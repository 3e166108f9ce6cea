"""What the clerk has typed from one paper copy, until it is sent: kept in the browser session.

The browser session lives on the server, encrypted with the data key (:mod:`..core.session`); the
browser holds only its random id. It keeps one copy's keying at a time (opening another copy
starts afresh), and it goes when the copy is sent, at sign-out, and when a resident session starts
on the tablet. Nothing typed is stored with the submissions before Send.
"""

from __future__ import annotations

from flask import session

KEY = "paper_keying"
DROP, KEEP = "drop", "keep"


def _copy(paper_ref: str, number: str) -> str:
    return f"{paper_ref} {number}"


def load_draft(paper_ref: str, number: str) -> dict:
    """This copy's keying so far (empty when nothing was typed yet, or another copy was keyed)."""
    draft = session.get(KEY)
    if not draft or draft.get("copy") != _copy(paper_ref, number):
        return {"copy": _copy(paper_ref, number), "raw": {}, "slots": {}, "visited": [], "outside": DROP,
                "signed": False}
    return {**draft, "raw": dict(draft["raw"]), "slots": dict(draft["slots"]), "visited": list(draft["visited"])}


def save_draft(draft: dict) -> None:
    """Keep ``draft`` (it replaces the keying of any other copy)."""
    session[KEY] = draft


def drop_draft() -> None:
    """Forget what was typed (the copy was sent)."""
    session.pop(KEY, None)


def draft_in_progress() -> tuple[str, str] | None:
    """``(paper reference, number)`` of the copy being keyed in on this tablet, if any."""
    draft = session.get(KEY)
    if not draft or not draft.get("visited"):
        return None
    paper_ref, _, number = draft["copy"].partition(" ")
    return paper_ref, number
