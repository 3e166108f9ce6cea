"""The form model: what a loaded form definition is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _quoted(labels: list[str]) -> str | tuple:
    return labels[0] if len(labels) == 1 else tuple(labels)


@dataclass(frozen=True)
class Condition:
    """When a page is asked: ``op`` is "equals", "not_equals", "any_of" or "includes"."""

    question: str
    op: str
    value: Any

    def holds(self, answers: dict) -> bool:
        """Whether the condition is true for ``answers`` (an unanswered question equals nothing)."""
        answer = answers.get(self.question)
        if self.op == "equals":
            return answer == self.value
        if self.op == "not_equals":
            return answer != self.value
        if self.op == "any_of":
            return answer in self.value
        return isinstance(answer, list) and self.value in answer

    def describe(self, form: "Form", section: bool = False) -> Message:
        """In words for paper, e.g. "Only answer this if you answered ‘Yes’ to question 4"."""
        question = form.question(self.question)
        values = self.value if isinstance(self.value, list) else [self.value]
        params = {"answer": _quoted([question.choice_label(v) for v in values]),
                  "number": form.number_of(self.question)}
        templates = {
            (False, "equals"): N_("Only answer this if you answered ‘{answer}’ to question {number}"),
            (False, "any_of"): N_("Only answer this if you answered ‘{answer}’ to question {number}"),
            (False, "not_equals"): N_("Only answer this if you did not answer ‘{answer}’ to question {number}"),
            (False, "includes"): N_("Only answer this if you selected ‘{answer}’ in question {number}"),
            (True, "equals"): N_("Only answer this section if you answered ‘{answer}’ to question {number}"),
            (True, "any_of"): N_("Only answer this section if you answered ‘{answer}’ to question {number}"),
            (True, "not_equals"): N_(
                "Only answer this section if you did not answer ‘{answer}’ to question {number}"),
            (True, "includes"): N_("Only answer this section if you selected ‘{answer}’ in question {number}"),
        }
        return Message(templates[(section, self.op)], params)


@dataclass(frozen=True)
class Route:
    """Where to go after a page when its question was answered ``if_value``: a page, check answers or an exit."""

    if_value: str
    goto: str | None = None
    exit: str | None = None

    def describe(self, form: "Form", from_page: "Page") -> Message:
        """In words for paper, e.g. "If you answered ‘No’, go to question 12"."""
        answer = from_page.questions[0].choice_label(self.if_value)
        if self.exit:
            return Message(N_("If you answered ‘{answer}’, you cannot use this form: {exit}"),
                           {"answer": answer, "exit": form.exits[self.exit].title})
        number = form.first_number_from(self.goto) if self.goto != CHECK_ANSWERS else None
        if number is None:
            return Message(N_("If you answered ‘{answer}’, go to the end of the form"), {"answer": answer})
        return Message(N_("If you answered ‘{answer}’, go to question {number}"),
                       {"answer": answer, "number": number})


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
