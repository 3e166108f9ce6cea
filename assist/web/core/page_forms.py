"""WTForms built from the form engine's pages: data capture and CSRF here, validation in the engine."""

from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import Field

from ...engine import page_problems, parse_answer, raw_from_value


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
    """Base class of every page's form; :func:`page_form_class` adds the fields.

    It has no CSRF field of its own: ``CSRFProtect`` checks the token of every POST before any view
    runs, and the page puts this request's token in its form (:func:`.csrf.csrf_token`).
    """

    class Meta:
        csrf = False

    questions: tuple = ()

    def is_blank(self) -> bool:
        """True when no field holds anything (so the rendered fields are the same for everyone)."""
        return not any(field.data for field in self._fields.values())

    def raw(self) -> dict:
        """What each field holds, by field name."""
        return {name: field.data for name, field in self._fields.items()}

    def with_data(self, data: dict) -> "PageForm":
        """A form of the same page holding ``data`` instead."""
        return type(self)(formdata=None, data=data)

    def answers(self) -> tuple[dict, dict]:
        """Parse every question on the page with the engine.

        Returns ``(values, errors)``: values by question id, and translated error
        messages by field name (the field each message belongs to).
        """
        return parse_page(self.questions, {name: field.data for name, field in self._fields.items()})


def parse_page(questions, raw: dict) -> tuple[dict, dict]:
    """:meth:`PageForm.answers` for the raw inputs ``raw`` (by field name) of ``questions``."""
    values, errors = {}, {}
    for question in questions:
        value, problems = parse_answer(question, raw)
        values[question.id] = value
        errors.update({name: message.render(gettext) for name, message in problems.items()})
    return values, errors


def rule_errors(form, page, values: dict, earlier: dict, errors: dict) -> dict:
    """``errors`` with the messages of the page's rules across answers (:func:`page_problems`)
    added, translated, for inputs that have no error yet. ``earlier``: the route's earlier answers."""
    found = dict(errors)
    for name, message in page_problems(form, page, values, earlier).items():
        found.setdefault(name, message.render(gettext))
    return found


def posted_raw(questions, formdata) -> dict:
    """The raw inputs of ``questions`` in posted ``formdata``, as a :class:`PageForm`'s fields take
    them (a string, or a list for choose-many; missing inputs empty): no form to build to parse them."""
    raw = {}
    for question in questions:
        multiple = question.type == "choose_many"
        for name in question.field_names:
            values = formdata.getlist(name)
            raw[name] = list(values) if multiple else (values[0] if values else "")
    return raw


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
    return cls(formdata=None, data=stored_raw(questions, stored))


#: Question types whose inputs show what is in them as text (an input's value, a textarea's
#: content), never as a choice ticked: a page of these can be kept with stand-ins for the text.
SHOWN_AS_TEXT = {"text", "name", "email", "phone", "postcode", "ni_number", "number", "money", "long_text", "date",
                 "address", "content"}


def shown_as_text(questions, raw: dict) -> bool:
    """Whether every input of ``questions`` holding something in ``raw`` shows it as text."""
    return all(question.type in SHOWN_AS_TEXT or not any(raw.get(name) for name in question.field_names)
               for question in questions)


def stored_raw(questions, stored: dict | None) -> dict:
    """The raw inputs of ``questions`` (by field name) filled from ``stored`` answers, as
    :func:`build_page_form`'s form holds them: what the page shows, without building the form."""
    data = {}
    for question in questions:
        value = (stored or {}).get(question.id)
        if value is not None:
            data.update(raw_from_value(question, value))
    return data
