"""How far through the form the resident is, for the helper's eyes only: "Question 7 of about 22"."""

from __future__ import annotations

from ...engine import Journey
from ..core.helper import helper_session
from ..core.resident import read_journey


def question_progress(form, page) -> tuple[int, int] | None:
    """``(number, about)`` for ``page`` of the helper's resident session on ``form``: its place among
    the pages with questions on the route so far, and that plus the pages after it in the form
    (routes may skip some: "about"). ``None`` when no helper holds the tablet on this form."""
    current = helper_session()
    journey_id = current.get("journey_id") if current and not current["private"] else None
    journey = read_journey(journey_id) if journey_id else None
    if journey is None or journey["form_id"] != form.id:
        return None
    asked = [p for p in form.pages if any(q.type != "content" for q in p.questions) or p.kind == "repeat"]
    path = [p for p in Journey(form, journey["answers"]).path() if p in asked]
    if page not in asked:
        return None
    number = path.index(page) + 1 if page in path else len(path) + 1
    later = asked[asked.index(page) + 1:]
    return number, number + len(later)
