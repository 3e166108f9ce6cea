"""WTForms built from the form engine's pages: data capture and CSRF here, validation in the engine."""

from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import Field

from ..engine import parse_answer, raw_from_value


class AnswerField(Field):
    """One raw input of a question: a string, or a list for multi-choice inputs."""

    def __init__(self, *args, multiple: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.multiple = multiple

    def process_formdata(self, valuelist):
        self.data = list(valuelist) if self.multiple else (valuelist[0] if valuelist else "")

    def _value(self):
        return self.data if self.data is not None else ("" if not self.multiple else [])


class PageForm(FlaskForm):
    """Base class of every page's form; :func:`page_form_class` adds the fields."""

    questions: tuple = ()

    def is_blank(self) -> bool:
        """True when no field holds anything (so the rendered fields are the same for everyone)."""
        return not any(field.data for name, field in self._fields.items() if name != "csrf_token")

    def answers(self) -> tuple[dict, dict]:
        """Parse every question on the page with the engine.

        Returns ``(values, errors)``: values by question id, and translated error
        messages by field name (the field each message belongs to).
        """
        raw = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        values, errors = {}, {}
        for question in self.questions:
            value, problems = parse_answer(question, raw)
            values[question.id] = value
            errors.update({name: message.render(gettext) for name, message in problems.items()})
        return values, errors


_classes: dict[tuple, type[PageForm]] = {}


def page_form_class(key: tuple, questions) -> type[PageForm]:
    """A :class:`PageForm` subclass with one field per raw input of ``questions``, built once per ``key``."""
    if key in _classes:
        return _classes[key]
    fields = {"questions": tuple(questions)}
    for question in questions:
        for name in question.field_names:
            # The label is rendered by the GOV.UK templates; an explicit one spares WTForms a lookup.
            fields[name] = AnswerField(label="", multiple=question.type == "choose_many")
    _classes[key] = type("PageForm", (PageForm,), fields)
    return _classes[key]


def build_page_form(key: tuple, questions, stored: dict | None, formdata=None) -> PageForm:
    """The form for ``questions``: from ``formdata`` on POST, else filled from stored answers.

    ``key`` identifies the page (form id, version, page id) so its class is built once.
    """
    cls = page_form_class(key, questions)
    if formdata is not None:
        return cls(formdata=formdata)
    data = {}
    for question in questions:
        value = (stored or {}).get(question.id)
        if value is not None:
            data.update(raw_from_value(question, value))
    return cls(formdata=None, data=data)
