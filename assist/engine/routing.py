"""Routing through a form: which pages are asked, in what order, for the answers given so far."""

from __future__ import annotations

from functools import lru_cache

from .model import CHECK_ANSWERS, Exit, Form, Page
from .questions import parse_answer, raw_from_value
from .questions_signature import without_stamp
from .rules import page_problems
from .text import clean_line


def answer_is_valid(question, value) -> bool:
    """Whether a stored ``value`` is still a valid answer to ``question`` (it parses back to itself)."""
    if value is None:
        return question.optional or question.type == "content"
    if question.type in ("choose_one", "yes_no"):  # the same test, without parsing on every page
        return isinstance(value, str) and value in _clean_choice_values(question)
    parsed, errors = parse_answer(question, raw_from_value(question, value))
    return not errors and parsed == (without_stamp(value) if question.type == "signature" else value)


def _add_answers_of(page: Page, answers: dict, known: dict) -> None:
    """Add ``page``'s answers in ``answers`` to ``known``."""
    for key in _answer_keys(page):
        if key in answers:
            known[key] = answers[key]


@lru_cache(maxsize=4096)
def _answer_keys(page: Page) -> tuple[str, ...]:
    """Where ``page``'s answers are kept: its repeating group's id, else its questions' ids."""
    return (page.id,) if page.is_repeat else tuple(q.id for q in page.questions)


@lru_cache(maxsize=4096)
def _has_rules(page: Page) -> bool:
    """Whether ``page`` has checks across answers (rules, or questions required by a condition)."""
    return bool(page.rules) or any(q.required_if is not None for q in page.questions)


@lru_cache(maxsize=256)
def _positions(form: Form) -> dict[int, int]:
    """Each page's index in ``form.pages``, by the page's identity."""
    return {id(page): index for index, page in enumerate(form.pages)}


@lru_cache(maxsize=4096)
def _clean_choice_values(question) -> frozenset:
    """The option values of a choose-one question that parse back to themselves."""
    return frozenset(choice.value for choice in question.choices if clean_line(choice.value) == choice.value)


class Journey:
    """A resident's route through ``form`` given ``answers``; every method is a pure function of the two.

    ``answers`` maps question ids to values, and the page id of each repeating group to its list
    of items (each a dict of question ids to values). A repeating group counts as answered once
    its page id is in ``answers``, even with an empty list (when its ``min`` is 0).
    """

    def __init__(self, form: Form, answers: dict | None):
        self.form = form
        self.answers = answers or {}
        self._positions = _positions(form)
        self._path, self._end = self._walk()

    def first_page(self) -> Page:
        """The first page asked."""
        return self._next_shown(0, {})

    def next_after(self, page_id: str, answers: dict | None = None):
        """Where to go after ``page_id``: ``("page", Page)``, ``("check", None)`` or ``("exit", Exit)``.

        ``answers``: the answers as they are now, when only ``page_id``'s have changed since this
        route was worked out. Which pages are asked up to ``page_id`` depends only on the answers
        before it (conditions look back, routes go forward), so this route still holds up to there.
        """
        page = self.form.page(page_id)
        known = self.answers_before(page_id, answers)
        _add_answers_of(page, self.answers if answers is None else answers, known)
        return self._step(page, known)

    def answers_before(self, page_id: str, answers: dict | None = None) -> dict:
        """The answers of the pages on the route before ``page_id``: what its conditions and rules read."""
        positions = self._positions
        position = positions[id(self.form.page(page_id))]
        answers = self.answers if answers is None else answers
        known = {}
        for earlier in self._path:
            if positions[id(earlier)] < position:
                _add_answers_of(earlier, answers, known)
        return known

    def previous_before(self, page_id: str) -> Page | None:
        """The page asked before ``page_id`` on the route taken (for back links); ``None`` at the start."""
        page = self.form.page(page_id)
        if page in self._path:
            index = self._path.index(page)
            return self._path[index - 1] if index else None
        position = self._position(page)
        earlier = [p for p in self._path if self._position(p) < position]
        return earlier[-1] if earlier else None

    def path(self) -> list[Page]:
        """Pages on the route from the start up to the first one still to answer (all of them when complete)."""
        return list(self._path)

    def is_complete(self) -> bool:
        """Whether every page on the route is validly answered and the route ends at check answers."""
        return self._end == "check"

    def first_incomplete(self) -> Page | None:
        """The page to go back to: the first still to answer or correct, or the one leading to an exit.

        ``None`` when complete.
        """
        return None if self._end == "check" else self._path[-1]

    def exit(self) -> Exit | None:
        """The exit page the answers lead to, if they lead to one."""
        return self._end if isinstance(self._end, Exit) else None

    def relevant_answers(self) -> dict:
        """Only the answers of pages on the route (answers of skipped pages dropped)."""
        relevant = {}
        for page in self._path:
            _add_answers_of(page, self.answers, relevant)
        return relevant

    def _next_shown(self, start: int, known: dict) -> Page | None:
        pages = self.form.pages
        for index in range(start, len(pages)):
            page = pages[index]
            if page.show_if is None or page.show_if.holds(known):
                return page
        return None

    def _step(self, page: Page, known: dict):
        start = self._positions[id(page)] + 1
        for route in page.routes:
            if route.condition.holds(known):
                if route.exit:
                    return "exit", self.form.exits[route.exit]
                if route.goto == CHECK_ANSWERS:
                    return "check", None
                start = self._position(self.form.page(route.goto))
                break
        following = self._next_shown(start, known)
        return ("page", following) if following else ("check", None)

    def _page_done(self, page: Page, known: dict) -> bool:
        """Whether ``page`` is validly answered, its rules kept with the earlier answers ``known``."""
        answers = self.answers
        if not page.is_repeat:
            for question in page.questions:
                if question.id not in answers or not answer_is_valid(question, answers[question.id]):
                    return False
            if not _has_rules(page):
                return True
            values = {question.id: answers[question.id] for question in page.questions}
            return not page_problems(self.form, page, values, known)
        items = answers.get(page.id)
        if not isinstance(items, list) or not page.min <= len(items) <= (page.max or len(items)):
            return False
        return all(isinstance(item, dict) and all(answer_is_valid(q, item.get(q.id)) for q in page.questions)
                   and not (_has_rules(page) and page_problems(self.form, page, item, known))
                   for item in items)

    def _position(self, page: Page) -> int:
        """``page``'s index in the form (``form.pages.index(page)``, looked up instead of searched)."""
        return self._positions[id(page)]

    def followed(self) -> tuple[list[Page], Exit | None]:
        """The pages the answers lead through and the exit they end at, if any, as a printed copy
        or the paper form's instructions follow them: an answer that no longer validates (a date
        of birth checked against today, a form whose rules changed) does not stop the route."""
        path, end = self._walk(strict=False)
        return path, end if isinstance(end, Exit) else None

    def _walk(self, strict: bool = True) -> tuple[list[Page], object]:
        """Follow the answers from the first page: the pages on the route, and how it ends
        ("check", "page" when a page is still to answer, or an :class:`Exit`)."""
        path, known = [], {}
        page = self._next_shown(0, known)
        while page is not None:
            path.append(page)
            if strict and not self._page_done(page, known):
                return path, "page"
            _add_answers_of(page, self.answers, known)
            kind, target = self._step(page, known)
            if kind == "exit":
                return path, target
            page = target
        return path, "check"
