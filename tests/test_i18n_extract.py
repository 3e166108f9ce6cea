"""The Babel extractor for form definitions (assist.i18n.extract), registered in setup.cfg."""

from __future__ import annotations

import configparser
import io
import tomllib

from assist.i18n.extract import extract_forms, form_messages
from conftest import ROOT


def extract(text: str):
    return list(extract_forms(io.BytesIO(text.encode()), [], [], {}))


def test_every_translatable_field_is_extracted_with_its_place_as_a_comment():
    toml = '''
id = "demo"
title = "Demo form"
summary = """
First paragraph.

Second paragraph."""
owner = "Demo team"
what_to_bring = ["a bill"]
what_happens_next = "We will write."
declaration = "I confirm."

[[pages]]
id = "p1"
section = "About you"
  [[pages.questions]]
  id = "colour"
  type = "choose_one"
  label = "Which colour?"
  hint = "Pick one"
  helper_prompt = "Ask them"
  name = "a colour"
  errors = { required = "Select a colour" }
  options = [{ value = "red", label = "Red", hint = "Like a bus" }]
  none_option = { value = "none", label = "None of these" }

[[pages]]
id = "people"
kind = "repeat"
title = "People"
item_name = "person"
  [[pages.questions]]
  id = "count"
  type = "number"
  label = "How many?"
  unit = "people"

[[exits]]
id = "out"
title = "You cannot apply"
body = "Because."
next_steps = "Call us."
'''
    found = {message: (line, comments) for line, _, message, comments in extract(toml)}
    expected = ["Demo form", "First paragraph.\n\nSecond paragraph.", "Demo team", "a bill", "We will write.",
                "I confirm.", "About you", "Which colour?", "Pick one", "Ask them", "a colour", "Select a colour",
                "Red", "Like a bus", "None of these", "People", "person", "How many?", "people",
                "You cannot apply", "Because.", "Call us."]
    assert sorted(found) == sorted(expected)
    assert found["Which colour?"][1] == ["demo: pages[0].questions[0].label"]
    assert found["Select a colour"][1] == ["demo: pages[0].questions[0].errors.required"]
    line = found["Which colour?"][0]
    assert 'label = "Which colour?"' in toml.splitlines()[line - 1]
    assert "ids" not in found and "red" not in found  # ids and values are not text


def test_a_broken_file_yields_nothing_rather_than_failing_extraction():
    assert extract("this is = = not toml") == []


def test_every_demo_form_extracts_what_the_engine_shows(app):
    """The extractor and the engine read the same strings: each label, hint and option is found."""
    for form in app.extensions["assist.forms"].values():
        texts = {text for _, text in form_messages(tomllib.loads(form.source.read_text("utf-8")))}
        assert form.title in texts and form.summary in texts
        for question in form.questions():
            assert question.label in texts
            if question.hint:
                assert question.hint in texts
            for choice in question.choices if question.type in ("choose_one", "choose_many") else []:
                assert choice.label in texts
        for exit_ in form.exits.values():
            assert exit_.title in texts and exit_.body in texts


def test_the_extractor_is_registered_and_mapped():
    setup = configparser.ConfigParser()
    setup.read(ROOT / "setup.cfg")
    assert "assist_forms = assist.i18n.extract:extract_forms" in setup["options.entry_points"]["babel.extractors"]
    mapping = (ROOT / "babel.cfg").read_text()
    assert "[assist_forms: forms/**.toml]" in mapping
    assert "[jinja2: assist/templates/**.html]" in mapping and "[jinja2: printouts/**.html]" in mapping
