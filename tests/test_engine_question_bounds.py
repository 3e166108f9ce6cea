"""Patterns, minimum lengths and relative date bounds: what a council's own form says about an
account number, a security code or a start date, checked on screen and said on paper."""

import datetime as dt

import pytest

from assist.engine import DefinitionError, check_forms, load_form, parse_answer, questions_date
from assist.engine.date_bounds import bounds, months_after, resolve

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(questions_date, "today", lambda: TODAY)


def ask(tmp_path, qtype: str, body: str):
    path = tmp_path / "f.toml"
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "q"\n'
                    f'[[pages.questions]]\nid = "q"\ntype = "{qtype}"\nlabel = "Q?"\n{body}\n', encoding="utf-8")
    return load_form(path).question("q")


def problems(tmp_path, qtype: str, body: str) -> list[str]:
    path = tmp_path / "f.toml"
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "q"\n'
                    f'[[pages.questions]]\nid = "q"\ntype = "{qtype}"\nlabel = "Q?"\n{body}\n', encoding="utf-8")
    return [f"{p.path}: {p.message}" for p in check_forms(path)]


def text_answer(question, typed: str):
    value, errors = parse_answer(question, {"q": typed})
    return value, [message.render() for message in errors.values()]


ACCOUNT = ('name = "your council tax account number"\npattern = "[19][0-9]{7}"\nexample = "19123456"\n'
           'strip_spaces = true')


def test_an_account_number_must_match_its_pattern_and_is_kept_exactly_as_typed(tmp_path):
    question = ask(tmp_path, "text", ACCOUNT)
    assert text_answer(question, "1912 3456") == ("19123456", [])
    assert text_answer(question, "29123456") == (
        None, ["Enter your council tax account number in the right format, like 19123456"])
    assert text_answer(question, "191234567")[1]  # the whole answer must match, not a part of it


def test_a_pattern_with_the_forms_own_message(tmp_path):
    question = ask(tmp_path, "text", ACCOUNT + '\nerrors = { pattern = "Enter your account number as 8 digits '
                   'starting with 1 or 9, like 19123456" }')
    assert text_answer(question, "12")[1] == [
        "Enter your account number as 8 digits starting with 1 or 9, like 19123456"]


def test_min_length(tmp_path):
    question = ask(tmp_path, "text", 'name = "the security code"\nmin_length = 6')
    assert text_answer(question, "12345") == (None, ["Security code must be 6 characters or more"])
    assert text_answer(question, "123456") == ("123456", [])


@pytest.mark.parametrize("body, expected", [
    ('pattern = "(a"', "pages[0].questions[0].pattern: is not a valid regular expression: missing ), "
                      "unterminated subpattern at position 0"),
    ('pattern = "(a+)+b"', "pages[0].questions[0].pattern: has a repeat inside a repeat, like (a+)+, which can "
                          "take very long to check; write it without the nesting"),
    ('pattern = "[0-9]{4}"\nexample = "12a4"', "pages[0].questions[0].example: '12a4' does not match the pattern"),
    ('min_length = 200', "pages[0].questions[0].min_length: must be between 1 and max_length (100)"),
])
def test_bad_patterns_and_lengths_are_refused_when_the_form_loads(tmp_path, body, expected):
    assert problems(tmp_path, "text", body) == [expected]


def date_answer(question, day: dt.date):
    value, errors = parse_answer(question, {"q-day": str(day.day), "q-month": str(day.month),
                                            "q-year": str(day.year)})
    return value, [message.render() for message in errors.values()]


def test_today_or_earlier_allows_today_unlike_past_only(tmp_path):
    question = ask(tmp_path, "date", 'name = "the date you moved in"\ntoday_or_earlier = true')
    assert date_answer(question, TODAY) == ("2026-12-03", [])
    assert date_answer(question, TODAY + dt.timedelta(days=1)) == (
        None, ["Date you moved in must be today or in the past"])


def test_within_the_next_ten_months(tmp_path):
    question = ask(tmp_path, "date", 'name = "the start date"\nwithin_months = 10')
    assert date_answer(question, dt.date(2027, 10, 3))[1] == []
    assert date_answer(question, dt.date(2027, 10, 4))[1] == ["Start date must be on or before 3 October 2027"]
    assert date_answer(question, dt.date(2026, 12, 2))[1] == ["Start date must be on or after 3 December 2026"]


def test_not_before_the_start_of_this_financial_year(tmp_path):
    question = ask(tmp_path, "date", 'name = "the date you moved in"\ntoday_or_earlier = true\n'
                   'not_before = "start_of_financial_year"')
    assert date_answer(question, dt.date(2026, 4, 1))[1] == []
    assert date_answer(question, dt.date(2026, 3, 31))[1] == ["Date you moved in must be on or after 1 April 2026"]


def test_relative_bounds_on_awkward_days():
    assert months_after(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert months_after(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert resolve("start_of_financial_year", dt.date(2027, 3, 31)) == dt.date(2026, 4, 1)
    assert resolve("start_of_tax_year", dt.date(2027, 4, 5)) == dt.date(2026, 4, 6)
    assert resolve("start_of_tax_year", dt.date(2027, 4, 6)) == dt.date(2027, 4, 6)
    assert bounds({"not_after": "today", "within_months": 2}, dt.date(2026, 1, 1)) == (
        dt.date(2026, 1, 1), dt.date(2026, 1, 1))


@pytest.mark.parametrize("body, expected", [
    ('today_or_earlier = true\nfuture_only = true',
     "pages[0].questions[0].today_or_earlier: cannot be used with past_only or future_only"),
    ('within_months = 0', "pages[0].questions[0].within_months: must be between 1 and 120 (months from today)"),
    ('not_before = "1 April"', "pages[0].questions[0].not_before: must be a date like \"2026-04-01\", or one of: "
                               "today, start_of_financial_year, start_of_tax_year"),
])
def test_bad_date_bounds_are_refused(tmp_path, body, expected):
    assert problems(tmp_path, "date", body) == [expected]


def test_the_paper_says_a_dates_bounds_and_a_patterns_example(tmp_path):
    from assist.printouts.context import blank_context

    path = tmp_path / "f.toml"
    path.write_text('''id = "f"
version = "1"
title = "T"
[[pages]]
id = "moved"
  [[pages.questions]]
  id = "moved"
  type = "date"
  label = "When did you move in?"
  today_or_earlier = true
  not_before = "start_of_financial_year"
[[pages]]
id = "account"
  [[pages.questions]]
  id = "account"
  type = "text"
  label = "Account number"
''' + ACCOUNT.replace("\n", "\n  ") + "\n", encoding="utf-8")
    form = load_form(path)
    blocks = [block["questions"][0] for section in blank_context(form, council=None)["sections"]
              for block in section["blocks"]]
    assert blocks[0]["limits"] == ["The date must be today or earlier",
                                   "The date must not be before the start of this financial year (1 April)"]
    assert blocks[1]["limits"] == ["For example: 19123456"]
