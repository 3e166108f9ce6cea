"""The form model: what a loaded form definition is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conditions import Condition
from .messages import Message, N_
from .questions import question_type
from .questions_choice import Choice, choices_of

CHECK_ANSWERS = "check-answers"


@dataclass(eq=False, repr=False)
class Question:
    """One question; ``options`` holds the type-specific settings, with defaults filled in."""

    id: str
    type: str
    label: str
    hint: str | None = None
    helper_prompt: str | None = None
    private: bool = False
    optional: bool = False
    name: str = ""
    errors: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    #: When given, the question must be answered only when this holds (it is loaded as optional).
    required_if: Condition | None = None

    @property
    def marked_optional(self) -> bool:
        """Whether the question is shown "(optional)": optional, and not required by a condition."""
        return self.optional and self.required_if is None

    @property
    def choices(self) -> list[Choice]:
        """The options of a choice question (yes/no included), "none" option last; else ``[]``."""
        return choices_of(self)

    @property
    def field_names(self) -> list[str]:
        """Names of the raw inputs of this question."""
        return question_type(self).field_names(self)

    @property
    def numbered(self) -> bool:
        """Whether the question gets a number (guidance-only content does not)."""
        return self.type != "content"

    def __repr__(self) -> str:
        return f"<Question {self.id} ({self.type})>"

    def choice_label(self, value: str) -> str:
        """The label of option ``value`` (the value itself if unknown)."""
        return next((c.label for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class Route:
    """Where to go after a page when ``condition`` holds: a page, check answers or an exit.

    ``if_value`` is the answer the route was written for when it was written as ``if = "no"`` on a page
    whose only question it answers (said in the short words "If you answered ‘No’, …").
    """

    condition: Condition
    goto: str | None = None
    exit: str | None = None
    if_value: str | None = None

    def describe(self, form: "Form", from_page: "Page", condition: Condition | None = None,
                 answers: tuple | None = None) -> Message:
        """In words for paper, e.g. "If you answered ‘No’, go to question 12".

        ``condition`` and ``answers`` say it for several routes to one place at once (their
        conditions joined with "or", or the short form's answers listed)."""
        if answers is None and self.if_value is not None and condition is None:
            answers = (self.if_value,)
        if answers is not None:
            labels = [from_page.questions[0].choice_label(value) for value in answers]
            params = {"answer": labels[0] if len(labels) == 1 else tuple(labels)}
            target = self._target(form)
            return Message(self._template(True, target), {**params, **target})
        words, target = (condition or self.condition).words(form), self._target(form)
        return Message(self._template(False, target), {"condition": words, **target})

    def _target(self, form: "Form") -> dict:
        if self.exit:
            return {"exit": form.exits[self.exit].title}
        number = form.first_number_from(self.goto) if self.goto != CHECK_ANSWERS else None
        return {"number": number} if number is not None else {}

    def _template(self, short: bool, target: dict) -> str:
        if self.exit:
            return N_("If you answered ‘{answer}’, you cannot use this form: {exit}") if short \
                else N_("If {condition}, you cannot use this form: {exit}")
        if "number" not in target:
            return N_("If you answered ‘{answer}’, go to the end of the form") if short \
                else N_("If {condition}, go to the end of the form")
        return N_("If you answered ‘{answer}’, go to question {number}") if short \
            else N_("If {condition}, go to question {number}")


@dataclass(eq=False, repr=False)
class Page:
    """One page of a form: questions asked together, or a repeating group ("add another")."""

    id: str
    questions: list[Question]
    kind: str = "questions"
    title: str | None = None
    section: str | None = None
    show_if: Condition | None = None
    routes: list[Route] = field(default_factory=list)
    item_name: str | None = None
    min: int = 0
    max: int | None = None
    #: Checks across the page's answers (and earlier ones): see :mod:`assist.engine.rules`.
    rules: list = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<Page {self.id}>"

    @property
    def heading(self) -> str:
        """The page heading: its title, or the label of its only question."""
        return self.title or self.questions[0].label

    @property
    def is_repeat(self) -> bool:
        """Whether this is a repeating group."""
        return self.kind == "repeat"


@dataclass(frozen=True)
class Exit:
    """A page that ends the journey: "you cannot use this form, because … instead …"."""

    id: str
    title: str
    body: str = ""
    next_steps: str | None = None


@dataclass(eq=False, repr=False)
class Form:
    """A loaded, valid form definition."""

    id: str
    version: str
    title: str
    pages: list[Page]
    summary: str = ""
    owner: str = ""
    sensitive: bool = False
    what_to_bring: list[str] = field(default_factory=list)
    retention_days: int | None = None
    what_happens_next: str = ""
    declaration: str | None = None
    exits: dict[str, Exit] = field(default_factory=dict)
    source: Path | None = None
    #: Where submissions go (``["email", "webhook", "folder"]``); ``None`` means the council's default.
    destinations: list[str] | None = None

    def __post_init__(self):
        self._pages = {page.id: page for page in self.pages}
        self._questions = {q.id: (page, q) for page in self.pages for q in page.questions}
        numbered = [q.id for q in self.questions() if q.numbered]
        self._numbers = {qid: number for number, qid in enumerate(numbered, start=1)}

    def __repr__(self) -> str:
        return f"<Form {self.id} {self.version}>"

    def page(self, page_id: str) -> Page:
        """The page ``page_id``; ``KeyError`` if there is none."""
        return self._pages[page_id]

    def question(self, question_id: str) -> Question:
        """The question ``question_id``, wherever it is (repeating groups included); ``KeyError`` if none."""
        return self._questions[question_id][1]

    def page_of(self, question_id: str) -> Page:
        """The page that asks ``question_id``."""
        return self._questions[question_id][0]

    def questions(self) -> list[Question]:
        """Every question in order."""
        return [q for page in self.pages for q in page.questions]

    def number_of(self, question_id: str) -> int | None:
        """The question's number on paper, from 1; ``None`` for content that is not numbered."""
        return self._numbers.get(question_id)

    def first_number_from(self, page_id: str) -> int | None:
        """The number of the first numbered question on ``page_id`` or after it."""
        start = self.pages.index(self.page(page_id))
        for page in self.pages[start:]:
            for question in page.questions:
                if question.numbered:
                    return self.number_of(question.id)
        return None
