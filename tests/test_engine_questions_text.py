"""Text, number, money, content and declaration questions: what people can type and what they are told."""

import unicodedata

import pytest

from assist.engine import display_answer, load_form, parse_answer, raw_from_value
from assist.engine.text import without_control


def ask(tmp_path, body):
    """The question ``q`` of a one-question form whose question settings are ``body`` (TOML lines)."""
    path = tmp_path / "f.toml"
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "p"\n'
                    f'[[pages.questions]]\nid = "q"\nlabel = "Question?"\n{body}\n', encoding="utf-8")
    return load_form(path).question("q")


def answer(question, text):
    value, errors = parse_answer(question, {"q": text})
    return value, {name: message.render() for name, message in errors.items()}


def test_text_is_cleaned_of_spaces_control_and_invisible_characters(tmp_path):
    q = ask(tmp_path, 'type = "text"')
    assert answer(q, "  Jo \t  Bloggs\x00\u200b\u202e ") == ("Jo Bloggs", {})


def test_text_keeps_joiners_needed_by_south_asian_scripts(tmp_path):
    q = ask(tmp_path, 'type = "text"')
    assert answer(q, "ক্\u200dষ")[0] == "ক্\u200dষ"


def test_required_text_uses_the_question_name(tmp_path):
    q = ask(tmp_path, 'type = "text"\nname = "your full name"')
    assert answer(q, "   ") == (None, {"q": "Enter your full name"})


def test_text_without_a_name_gets_a_generic_one(tmp_path):
    assert answer(ask(tmp_path, 'type = "text"'), "") == (None, {"q": "Enter an answer"})


def test_text_too_long_names_the_limit(tmp_path):
    q = ask(tmp_path, 'type = "text"\nname = "your full name"\nmax_length = 5')
    assert answer(q, "abcdef") == (None, {"q": "Full name must be 5 characters or less"})
    assert answer(q, "abcde") == ("abcde", {})


def test_text_default_limit_is_100(tmp_path):
    q = ask(tmp_path, 'type = "text"')
    assert answer(q, "x" * 100)[0] == "x" * 100
    assert answer(q, "x" * 101)[1] == {"q": "Answer must be 100 characters or less"}


def test_optional_empty_text_is_not_provided(tmp_path):
    q = ask(tmp_path, 'type = "text"\noptional = true')
    assert answer(q, "") == (None, {})
    assert display_answer(q, None) == "Not provided"


def test_form_can_override_error_wording(tmp_path):
    q = ask(tmp_path, 'type = "text"\nerrors = { required = "Enter the name of your school" }')
    assert answer(q, "") == (None, {"q": "Enter the name of your school"})


def test_long_text_keeps_paragraphs_but_not_runs_of_blank_lines(tmp_path):
    q = ask(tmp_path, 'type = "long_text"')
    assert answer(q, "First line\r\nsecond\r\n\r\n\r\n\r\nNew paragraph  ")[0] == "First line\nsecond\n\nNew paragraph"


def test_long_text_default_limit_is_1200(tmp_path):
    q = ask(tmp_path, 'type = "long_text"')
    assert answer(q, "x" * 1201)[1] == {"q": "Answer must be 1200 characters or less"}


@pytest.mark.parametrize("typed, stored", [("3", 3), (" 1,200 ", 1200), ("0", 0), ("-2", -2), ("4.0", 4)])
def test_whole_numbers_accepted(tmp_path, typed, stored):
    assert answer(ask(tmp_path, 'type = "number"'), typed) == (stored, {})


@pytest.mark.parametrize("typed, message", [
    ("", "Enter the number of people"),
    ("three", "Number of people must be a number"),
    ("1e3", "Number of people must be a number"),
    ("NaN", "Number of people must be a number"),
    ("2.5", "Number of people must be a whole number"),
    ("0", "Number of people must be 1 or more"),
    ("21", "Number of people must be 20 or less"),
])
def test_whole_numbers_rejected(tmp_path, typed, message):
    q = ask(tmp_path, 'type = "number"\nname = "the number of people"\nmin = 1\nmax = 20')
    assert answer(q, typed) == (None, {"q": message})


def test_decimal_numbers_stored_as_plain_text(tmp_path):
    q = ask(tmp_path, 'type = "number"\nwhole = false\nunit = "hours"')
    assert answer(q, "12.50") == ("12.5", {})
    assert answer(q, "100") == ("100", {})
    assert display_answer(q, "12.5") == "12.5 hours"


def test_huge_number_does_not_crash(tmp_path):
    assert answer(ask(tmp_path, 'type = "number"'), "9" * 5000)[1] == {"q": "Number must be a number"}


@pytest.mark.parametrize("typed, stored", [
    ("£1,234.5", "1234.50"), ("1234", "1234.00"), (" £ 12.50 ", "12.50"), ("0.5", "0.50"), ("£0", "0.00"),
])
def test_money_accepted(tmp_path, typed, stored):
    assert answer(ask(tmp_path, 'type = "money"'), typed) == (stored, {})


@pytest.mark.parametrize("typed, message", [
    ("", "Enter an amount"),
    ("abc", "Amount must be a number, like 12.50"),
    ("12.345", "Amount must be a number, like 12.50"),
    ("£12.3.4", "Amount must be a number, like 12.50"),
    ("-5", "Amount must be £0 or more"),
    ("-£5", "Amount must be £0 or more"),
])
def test_money_rejected(tmp_path, typed, message):
    assert answer(ask(tmp_path, 'type = "money"'), typed) == (None, {"q": message})


def test_money_limits_and_whole_pounds(tmp_path):
    q = ask(tmp_path, 'type = "money"\nname = "your rent"\nmin = 10\nmax = 1500.5\nwhole_pounds = true')
    assert answer(q, "9")[1] == {"q": "Rent must be £10 or more"}
    assert answer(q, "1600")[1] == {"q": "Rent must be £1,500.50 or less"}
    assert answer(q, "12.50")[1] == {"q": "Rent must be a whole number of pounds, like 120"}
    assert answer(q, "120") == ("120.00", {})


def test_money_displayed_with_pound_sign_and_commas(tmp_path):
    q = ask(tmp_path, 'type = "money"')
    assert display_answer(q, "1234.50") == "£1,234.50"
    assert raw_from_value(q, "1234.50") == {"q": "1234.50"}


def test_content_has_no_inputs_and_no_answer(tmp_path):
    q = ask(tmp_path, 'type = "content"\nbody = "Read this."')
    assert q.field_names == []
    assert parse_answer(q, {}) == (None, {})


def test_declaration_must_be_confirmed(tmp_path):
    q = ask(tmp_path, 'type = "declaration"\ntext = "I will tell you about changes."')
    assert answer(q, "") == (None, {"q": "Select ‘I confirm’ to continue"})
    assert answer(q, "confirmed") == (True, {})
    assert parse_answer(q, {"q": ["confirmed"]})[0] is True
    assert raw_from_value(q, True) == {"q": "confirmed"}


@pytest.mark.parametrize("qtype", ["text", "long_text", "number", "money", "declaration"])
@pytest.mark.parametrize("raw", [{}, None, {"q": None}, {"q": ["a", "b"]}, {"q": "\ud800"}, {"q": "\x00" * 50},
                                 {"q": "𝟙𝟚"}, {"q": "٣"}, {"q": "{name} {0} %s"}, {"q": b"bytes"}])
def test_never_crashes_on_strange_input(tmp_path, qtype, raw):
    value, errors = parse_answer(ask(tmp_path, f'type = "{qtype}"'), raw)
    assert value is not None or errors
    for message in errors.values():
        assert message.render()


def test_what_is_typed_loses_exactly_the_control_characters_surrogates_and_noncharacters():
    def never_typed(char: str) -> bool:
        code = ord(char)
        return unicodedata.category(char) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE

    plane_ends = [plane | last for plane in range(0x10000, 0x110000, 0x10000) for last in (0xFFFD, 0xFFFE, 0xFFFF)]
    for code in [*range(0x10000), *plane_ends]:
        char = chr(code)
        kept = char in "\t\n\r" or not never_typed(char)
        assert without_control(f"a{char}b") == (f"a{char}b" if kept else "ab"), hex(code)


def test_numbers_at_their_limits_are_accepted_and_one_past_them_refused(tmp_path):
    q = ask(tmp_path, 'type = "number"\nmin = 1\nmax = 10')
    assert answer(q, "1")[0] == 1 and answer(q, "10")[0] == 10
    assert answer(q, "0")[0] is None and answer(q, "11")[0] is None
    assert answer(q, "1 000")[0] is None  # spaces are dropped: 1000 is over the maximum
    wide = ask(tmp_path, 'type = "number"')
    assert answer(wide, "1 000")[0] == 1000 and answer(wide, "1,000")[0] == 1000
    assert answer(wide, "9" * 30)[0] == int("9" * 30)
    assert answer(wide, "9" * 31)[0] is None
    decimal = ask(tmp_path, 'type = "number"\nwhole = false')
    assert answer(decimal, "12.50")[0] == "12.5"


def test_money_at_its_limits_and_negative_amounts(tmp_path):
    q = ask(tmp_path, 'type = "money"\nmin = -100\nmax = 500')
    assert answer(q, "500")[0] == "500.00" and answer(q, "500.01")[0] is None
    assert answer(q, "-£12.50")[0] == "-12.50"
    assert answer(q, "£-12.50")[0] == "-12.50"
    assert answer(q, "££12")[0] is None  # one pound sign only


def test_one_line_text_keeps_no_line_breaks(tmp_path):
    assert answer(ask(tmp_path, 'type = "text"'), "one\ntwo")[0] == "one two"
    assert answer(ask(tmp_path, 'type = "long_text"'), "one\ntwo")[0] == "one\ntwo"


def test_a_declaration_not_confirmed_fills_its_checkbox_with_nothing(tmp_path):
    q = ask(tmp_path, 'type = "declaration"\ntext = "I confirm"')
    assert raw_from_value(q, True) == {"q": "confirmed"}
    assert raw_from_value(q, False) == {"q": ""}
