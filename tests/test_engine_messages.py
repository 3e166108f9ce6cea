"""Messages: translatable templates, GOV.UK sentence starts, and stored answers that never break pages."""

import pytest

from assist.engine import Journey, Message, N_, display_answer, load_form, parse_answer, raw_from_value


def test_render_fills_parameters():
    assert Message(N_("Enter {name}"), {"name": "your date of birth"}).render() == "Enter your date of birth"


def test_name_at_the_start_of_a_sentence_drops_its_determiner_and_is_capitalised():
    for name, expected in [("your date of birth", "Date of birth"), ("the amount", "Amount"),
                           ("an email address", "Email address"), ("a number", "Number"), ("rent", "Rent")]:
        assert Message("{Name} must be real", {"name": name}).render() == f"{expected} must be real"


def test_render_translates_template_and_text_parameters():
    catalogue = {"Enter {name}": "Rhowch {name}", "your name": "eich enw"}
    message = Message("Enter {name}", {"name": "your name", "count": 3})
    assert message.render(lambda s: catalogue.get(s, s)) == "Rhowch eich enw"


def test_render_never_fails_on_unknown_placeholders_or_braces():
    assert Message("Enter {thing} {0} {", {"name": "x"}).render() == "Enter {thing} {0} {"


def test_alternatives_are_joined_with_or():
    assert Message("‘{answer}’", {"answer": ("A", "B")}).render() == "‘A’ or ‘B’"


TYPES = {
    "text": "", "long_text": "", "number": "", "money": "", "date": "", "yes_no": "", "email": "", "phone": "",
    "postcode": "", "address": "", "name": "", "ni_number": "", "content": "", "declaration": "", "signature": "",
    "choose_one": 'options = [{ value = "a", label = "A" }]', "choose_many": 'options = [{ value = "a", label = "A" }]',
    "address-international": "international = true", "name-parts": 'parts = "first_last"',
}


def qid(key):
    return key.replace("_", "-")


@pytest.fixture
def form(tmp_path):
    pages = "".join(
        f'[[pages]]\nid = "{qid(key)}"\n[[pages.questions]]\nid = "{qid(key)}"\ntype = "{key.split("-")[0]}"\n'
        f'label = "Q?"\noptional = true\n{options}\n'
        for key, options in TYPES.items())
    path = tmp_path / "all.toml"
    path.write_text(f'id = "all"\nversion = "1"\ntitle = "All"\n{pages}', encoding="utf-8")
    return load_form(path)


GOOD = {
    "text": {"text": "Hi"}, "long_text": {"long_text": "Hi\n\nthere"}, "number": {"number": "7"},
    "money": {"money": "£3.5"}, "date": {"date-day": "1", "date-month": "2", "date-year": "2000"},
    "yes_no": {"yes_no": "yes"}, "email": {"email": "a@example.com"}, "phone": {"phone": "07700900123"},
    "postcode": {"postcode": "sw1a1aa"}, "ni_number": {"ni_number": "AB123456C"}, "choose_one": {"choose_one": "a"},
    "choose_many": {"choose_many": ["a"]}, "name": {"name": "Jo"},
    "name-parts": {"name-parts-first": "Jo", "name-parts-last": "Bloggs"},
    "address": {"address-line1": "1 High St", "address-town": "Leeds", "address-postcode": "LS1 1AE"},
    "address-international": {"address-international-line1": "1 rue", "address-international-town": "Paris",
                              "address-international-country": "France"},
    "declaration": {"declaration": "confirmed"}, "content": {},
    "signature": {"signature-strokes": '{"width": 600, "height": 200, "strokes": [[[1, 2], [3.25, 4]]]}'},
}


@pytest.mark.parametrize("key", TYPES)
def test_stored_answers_fill_the_inputs_and_parse_back_to_the_same_value(form, key):
    question = form.question(qid(key))
    value, errors = parse_answer(question, {name.replace("_", "-"): v for name, v in GOOD[key].items()})
    assert errors == {}
    assert parse_answer(question, raw_from_value(question, value)) == (value, {})
    assert isinstance(display_answer(question, value), str)


@pytest.mark.parametrize("key", TYPES)
@pytest.mark.parametrize("stored", [5, "garbage", ["x"], {"line1": 3}, True, "2020-13-45", {}])
def test_strange_stored_answers_never_break_pages(form, key, stored):
    question = form.question(qid(key))
    assert isinstance(display_answer(question, stored), str)
    assert isinstance(raw_from_value(question, stored), dict)
    Journey(form, {qid(key): stored}).is_complete()
