"""How far through the form the resident is, for the helper's eyes only: "Question 7 of about 22"."""

from __future__ import annotations


def question_progress(form, page, route) -> tuple[int, int] | None:
    """``(number, about)`` for ``page`` of ``form`` on ``route`` (the :class:`Journey` of the answers
    the page shows): its place among the pages with questions on the route so far, and that plus
    the pages after it in the form (routes may skip some: "about"). ``None`` for a page without
    questions."""
    asked = [p for p in form.pages if any(q.type != "content" for q in p.questions) or p.kind == "repeat"]
    if page not in asked:
        return None
    path = [p for p in route.path() if p in asked]
    number = path.index(page) + 1 if page in path else len(path) + 1
    return number, number + len(asked) - asked.index(page) - 1
