"""A paper form as the clerk keys it: one step per section of the paper, what was typed parsed by
the engine, the route the paper's instructions take, and each step's state.

A step is one section of the paper form (the pages under one section heading, as the printed form
groups them), or the slots of one repeating group. Everything here is worked out again from what
was typed (the raw inputs, by field name) on every request: nothing is parsed once and kept.
"""

from __future__ import annotations

import dataclasses

from flask_babel import gettext

from ...engine import Journey, page_problems, parse_answer
from ...printouts.context import REPEAT_SLOTS

MAX_EXTRA_SLOTS = 20

NOT_STARTED, COMPLETED, PROBLEM, NOT_NEEDED, SKIPPED_BUT_ANSWERED = (
    "not-started", "completed", "problem", "not-needed", "skipped-but-answered")


@dataclasses.dataclass
class Step:
    """One step of keying: pages of one paper section, or one repeating group (``repeat``)."""

    number: int
    section: str | None
    pages: list
    numbers: tuple[int | None, int | None] = (None, None)  # first and last question number

    @property
    def repeat(self):
        """The repeating group this step keys, or ``None``."""
        return self.pages[0] if self.pages[0].is_repeat else None

    @property
    def title(self) -> str:
        """The heading: the section's title, or the repeating group's."""
        page = self.repeat
        return (page.title or page.heading) if page is not None else (self.section or self.pages[0].heading)


def inputs_of(page) -> list:
    """The questions of ``page`` that take an answer (guidance-only content takes none)."""
    return [q for q in page.questions if q.type != "content"]


def form_steps(form) -> list[Step]:
    """The steps of ``form``: a new one at each section heading and around each repeating group;
    pages with nothing to type are left out (a step of only those too)."""
    steps: list[Step] = []
    section, previous, heading = None, None, True
    for page in form.pages:
        if page.section is not None and page.section != section:
            section, heading = page.section, True  # (a heading may open on guidance alone)
        if not inputs_of(page):
            continue
        if heading or page.is_repeat or (previous is not None and previous.is_repeat):
            steps.append(Step(len(steps) + 1, section, []))
            heading = False
        steps[-1].pages.append(page)
        previous = page
    for step in steps:
        numbers = [form.number_of(q.id) for page in step.pages for q in inputs_of(page)]
        step.numbers = (numbers[0], numbers[-1]) if numbers else (None, None)
    return steps


def step_label(step: Step) -> str:
    """The questions ``step`` keys, like "Questions 4 to 9" or "Question 4"."""
    first, last = step.numbers
    if first is None:
        return ""
    if first == last:
        return gettext("Question %(number)s", number=first)
    return gettext("Questions %(first)s to %(last)s", first=first, last=last)


def printed_slots(page) -> int:
    """How many slots the paper form prints for repeating group ``page``."""
    return max(page.min, 1, min(page.max or REPEAT_SLOTS, REPEAT_SLOTS))


def slot_limit(page) -> int:
    """The most slots the clerk may add for ``page``."""
    printed = printed_slots(page)
    return min(page.max or printed + MAX_EXTRA_SLOTS, printed + MAX_EXTRA_SLOTS)


def item_question(page, n: int, question):
    """``question`` as asked in slot ``n`` of a repeating group: its inputs renamed to be unique."""
    return dataclasses.replace(question, id=f"{page.id}-{n}-{question.id}")


def slot_questions(page, slots: int) -> list[list]:
    """The questions of each slot of repeating group ``page``."""
    return [[item_question(page, n, q) for q in inputs_of(page)] for n in range(1, slots + 1)]


def step_questions(step: Step, slots: dict) -> list:
    """Every input question of ``step`` (slots of a repeating group renamed), for its page form."""
    page = step.repeat
    if page is not None:
        return [q for slot in slot_questions(page, slots.get(page.id, printed_slots(page))) for q in slot]
    return [q for p in step.pages for q in inputs_of(p)]


def _typed(raw: dict, question) -> bool:
    return any(raw.get(name) for name in question.field_names)


@dataclasses.dataclass
class Keyed:
    """Everything typed so far, parsed: answers for routing and sending, problems by page id, and
    whether anything was typed for each page."""

    answers: dict
    problems: dict  # page id -> {field name: message}, every problem
    typed_problems: dict  # page id -> {field name: message}, only of questions something was typed for
    typed: dict  # page id -> bool
    route: list
    exit: object


def parse_keyed(form, raw: dict, slots: dict) -> Keyed:
    """Parse what was typed (``raw``, by field name) on every page of ``form`` with the engine."""
    answers, problems, typed_problems, typed = {}, {}, {}, {}
    for page in form.pages:
        found, mine, anything = {}, {}, False
        if page.is_repeat:
            items = []
            for n, slot in enumerate(slot_questions(page, slots.get(page.id, printed_slots(page))), start=1):
                if not any(_typed(raw, q) for q in slot):
                    continue  # an empty slot on the paper is not an item
                anything = True
                item = {q.id: None for q in page.questions if q.type == "content"}
                for proxy in slot:
                    value, errors = parse_answer(proxy, raw)
                    item[proxy.id[len(f"{page.id}-{n}-"):]] = value
                    found.update({name: message.render(gettext) for name, message in errors.items()})
                items.append(item)
            mine = dict(found)
            answers[page.id] = items
            if len(items) < page.min:
                found[f"slots-{page.id}"] = gettext("Enter at least %(count)s for ‘%(title)s’",
                                                    count=page.min, title=gettext(page.title or page.heading))
        else:
            for question in page.questions:  # unanswered optional questions and guidance are None, as on screen
                value, errors = parse_answer(question, raw)
                answers[question.id] = value
                messages = {name: message.render(gettext) for name, message in errors.items()}
                found.update(messages)
                if _typed(raw, question):
                    anything = True
                    mine.update(messages)
            values = {question.id: answers[question.id] for question in page.questions}
            for name, message in page_problems(form, page, values, answers).items():
                found.setdefault(name, message.render(gettext))
                if anything:
                    mine.setdefault(name, found[name])
        problems[page.id], typed_problems[page.id], typed[page.id] = found, mine, anything
    route, exit_page = route_of(form, answers)
    return Keyed(answers, problems, typed_problems, typed, route, exit_page)


def route_of(form, answers: dict):
    """The pages the paper's instructions lead through for ``answers`` (as the printed copy follows
    them: an answer that does not validate yet does not stop it), and the exit they end at, if any."""
    return Journey(form, answers).followed()


def step_errors(form, step: Step, keyed: Keyed) -> tuple[dict, list[dict]]:
    """``(errors by field name, error summary)`` of ``step``: every problem of its pages on the
    route, only those of what was typed elsewhere, and the exit the answers lead to."""
    on_route = set(map(id, keyed.route))
    errors: dict[str, str] = {}
    for page in step.pages:
        errors.update(keyed.problems[page.id] if id(page) in on_route else keyed.typed_problems[page.id])
    summary = [{"text": message, "href": "#" + name} for name, message in errors.items()]
    if keyed.exit is not None and keyed.route and any(page is keyed.route[-1] for page in step.pages):
        question = keyed.route[-1].questions[0]
        summary.insert(0, {"text": exit_message(form, question, keyed.exit), "href": "#" + question.field_names[0]})
    return errors, summary


def exit_message(form, question, exit_page) -> str:
    """Why these answers cannot be sent: the resident cannot use the form."""
    return gettext("The answer to question %(number)s means the resident cannot use this form: ‘%(exit)s’. "
                   "Check the paper form; if the answer is right, this form cannot be keyed in.",
                   number=form.number_of(question.id), exit=gettext(exit_page.title))


def step_state(form, step: Step, keyed: Keyed, visited: set) -> str:
    """How far the clerk has got with ``step`` (one of the states above)."""
    _errors, summary = step_errors(form, step, keyed)
    typed = any(keyed.typed[page.id] for page in step.pages)
    if not is_on_route(step, keyed):
        if not typed:
            return NOT_NEEDED
        return PROBLEM if summary else SKIPPED_BUT_ANSWERED
    if step.number not in visited:
        return NOT_STARTED
    return PROBLEM if summary else COMPLETED


def is_on_route(step: Step, keyed: Keyed) -> bool:
    """Whether the paper's instructions lead through any page of ``step``."""
    asked = set(map(id, keyed.route))
    return any(id(page) in asked for page in step.pages)


def page_notes(form, page) -> tuple[str | None, list[str]]:
    """The paper's instructions beside ``page``: when to answer it, and where to go after it."""
    condition = page.show_if.describe(form, section=False).render(gettext) if page.show_if else None
    return condition, [route.describe(form, page).render(gettext) for route in page.routes]


def relevant_answers(keyed: Keyed) -> dict:
    """The answers of the pages on the route, as they are sent."""
    keys = set()
    for page in keyed.route:
        keys.update([page.id] if page.is_repeat else [q.id for q in page.questions])
    return {key: value for key, value in keyed.answers.items() if key in keys}


def outside_route(form, keyed: Keyed) -> dict:
    """Answers typed for questions the paper told the resident to skip (pages off the route)."""
    asked = set(map(id, keyed.route))
    found: dict = {}
    for page in form.pages:
        if id(page) in asked or not keyed.typed[page.id]:
            continue
        if page.is_repeat:
            found[page.id] = keyed.answers[page.id]
        else:
            found.update({q.id: keyed.answers[q.id] for q in inputs_of(page) if keyed.answers[q.id] is not None})
    return found
