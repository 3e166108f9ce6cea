"""Date questions: GOV.UK date input wording, past/future rules and dates of birth."""

import datetime as dt

import pytest

from assist.engine import display_answer, load_form, parse_answer, raw_from_value
from assist.engine import questions_date

TODAY = dt.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(questions_date, "today", lambda: TODAY)


def ask(tmp_path, body):
    path = tmp_path / "f.toml"
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "p"\n'
                    f'[[pages.questions]]\nid = "q"\ntype = "date"\nlabel = "When?"\n{body}\n', encoding="utf-8")
    return load_form(path).question("q")


def answer(question, day, month, year):
    value, errors = parse_answer(question, {"q-day": day, "q-month": month, "q-year": year})
    return value, {name: message.render() for name, message in errors.items()}


def test_inputs_are_day_month_year(tmp_path):
    assert ask(tmp_path, "").field_names == ["q-day", "q-month", "q-year"]


@pytest.mark.parametrize("day, month, year, stored", [
    ("1", "2", "1990", "1990-02-01"),
    ("01", "02", "1990", "1990-02-01"),
    (" 29 ", "2", "2024", "2024-02-29"),
    ("5", "March", "1990", "1990-03-05"),
    ("5", "sept", "1990", "1990-09-05"),
    ("5", "Dec.", "1990", "1990-12-05"),
    ("٥", "٣", "١٩٩٠", "1990-03-05"),
])
def test_real_dates_accepted(tmp_path, day, month, year, stored):
    assert answer(ask(tmp_path, ""), day, month, year) == (stored, {})


@pytest.mark.parametrize("day, month, year, field, message", [
    ("", "", "", "q-day", "Enter the date of the appointment"),
    ("", "3", "2020", "q-day", "Date of the appointment must include a day"),
    ("1", "", "2020", "q-month", "Date of the appointment must include a month"),
    ("1", "3", "", "q-year", "Date of the appointment must include a year"),
    ("", "", "2020", "q-day", "Date of the appointment must include a day and month"),
    ("", "3", "", "q-day", "Date of the appointment must include a day and year"),
    ("1", "", "", "q-month", "Date of the appointment must include a month and year"),
    ("31", "2", "2020", "q-day", "Date of the appointment must be a real date"),
    ("29", "2", "2023", "q-day", "Date of the appointment must be a real date"),
    ("1", "13", "2020", "q-month", "Date of the appointment must be a real date"),
    ("1", "Smarch", "2020", "q-month", "Date of the appointment must be a real date"),
    ("x", "1", "2020", "q-day", "Date of the appointment must be a real date"),
    ("1", "1", "twenty", "q-year", "Date of the appointment must be a real date"),
    ("1", "1", "20", "q-year", "Year must include 4 numbers"),
    ("1", "1", "20201", "q-year", "Year must include 4 numbers"),
    # Which input is marked: the first that is impossible on its own.
    ("00012", "1", "2020", "q-day", "Date of the appointment must be a real date"),   # 5 digits is no day
    ("1", "00012", "2020", "q-month", "Date of the appointment must be a real date"),
    ("32", "1", "2020", "q-day", "Date of the appointment must be a real date"),
    ("31", "4", "2020", "q-day", "Date of the appointment must be a real date"),
    ("32", "13", "2020", "q-day", "Date of the appointment must be a real date"),   # day wrong too: day first
    ("31", "13", "2020", "q-month", "Date of the appointment must be a real date"),  # a day that can be
    ("0", "12", "2020", "q-day", "Date of the appointment must be a real date"),
    ("5", "12", "twenty", "q-year", "Date of the appointment must be a real date"),  # December is a month
    ("5", "0", "2020", "q-month", "Date of the appointment must be a real date"),
    ("x", "13", "2020", "q-day", "Date of the appointment must be a real date"),
])
def test_wrong_dates_get_govuk_messages_on_the_right_input(tmp_path, day, month, year, field, message):
    q = ask(tmp_path, 'name = "the date of the appointment"')
    assert answer(q, day, month, year) == (None, {field: message})


def test_default_name_is_the_date(tmp_path):
    assert answer(ask(tmp_path, ""), "", "", "") == (None, {"q-day": "Enter the date"})


def test_past_only_refuses_today_and_future(tmp_path):
    q = ask(tmp_path, "past_only = true")
    assert answer(q, "15", "3", "2026")[1] == {"q-day": "Date must be in the past"}
    assert answer(q, "14", "3", "2026") == ("2026-03-14", {})


def test_future_only_allows_today(tmp_path):
    q = ask(tmp_path, "future_only = true")
    assert answer(q, "15", "3", "2026") == ("2026-03-15", {})
    assert answer(q, "14", "3", "2026")[1] == {"q-day": "Date must be today or in the future"}


def test_date_of_birth_wording_and_rules(tmp_path):
    q = ask(tmp_path, "date_of_birth = true")
    assert answer(q, "", "", "") == (None, {"q-day": "Enter your date of birth"})
    assert answer(q, "1", "", "1990")[1] == {"q-month": "Date of birth must include a month"}
    assert answer(q, "1", "1", "2027")[1] == {"q-day": "Date of birth must be in the past"}
    assert answer(q, "15", "3", "1895")[1] == {"q-day": "Date of birth must be after 15 March 1895"}
    assert answer(q, "16", "3", "1895") == ("1895-03-16", {})


def test_minimum_and_maximum_age(tmp_path):
    q = ask(tmp_path, "date_of_birth = true\nmin_age = 16\nmax_age = 65")
    assert answer(q, "15", "3", "2010") == ("2010-03-15", {})
    assert answer(q, "16", "3", "2010")[1] == {"q-day": "Date of birth must be on or before 15 March 2010"}
    assert answer(q, "16", "3", "1960") == ("1960-03-16", {})
    assert answer(q, "15", "3", "1960")[1] == {"q-day": "Date of birth must be after 15 March 1960"}


def test_stored_date_fills_the_inputs_again_and_displays_in_words(tmp_path):
    q = ask(tmp_path, "")
    assert raw_from_value(q, "1990-03-05") == {"q-day": "5", "q-month": "3", "q-year": "1990"}
    assert display_answer(q, "1990-03-05") == "5 March 1990"


def test_optional_date_left_empty(tmp_path):
    assert answer(ask(tmp_path, "optional = true"), "", " ", "") == (None, {})


def test_years_before_keeps_the_day_or_falls_back_to_28_february():
    assert questions_date.years_before(dt.date(2026, 3, 15), 18) == dt.date(2008, 3, 15)
    assert questions_date.years_before(dt.date(2024, 2, 29), 18) == dt.date(2006, 2, 28)
    assert questions_date.years_before(dt.date(2024, 2, 29), 4) == dt.date(2020, 2, 29)


def test_date_of_birth_without_a_minimum_age_takes_a_baby_born_yesterday(tmp_path):
    q = ask(tmp_path, "date_of_birth = true")
    assert answer(q, "14", "3", "2026") == ("2026-03-14", {})


def test_date_of_birth_on_a_leap_day_birthday(monkeypatch, tmp_path):
    """Today is 29 February 2028: 18 years ago has no 29 February, so the latest birthday is the 28th."""
    monkeypatch.setattr(questions_date, "today", lambda: dt.date(2028, 2, 29))
    q = ask(tmp_path, "date_of_birth = true\nmin_age = 18")
    assert answer(q, "28", "2", "2010") == ("2010-02-28", {})
    assert answer(q, "1", "3", "2010") == (None, {"q-day": "Date of birth must be on or before 28 February 2010"})


def test_date_options_are_checked_as_the_form_loads():
    check = questions_date.Date().check_options
    assert check({"date_of_birth": True, "min_age": 0, "max_age": 130}) == []
    assert check({"date_of_birth": True, "min_age": 18, "max_age": 18}) == []
    assert check({"date_of_birth": True, "max_age": 131}) == [("max_age", "must be between 0 and 130")]
    assert check({"date_of_birth": True, "min_age": -1}) == [("min_age", "must be between 0 and 130")]
    assert check({"date_of_birth": True, "min_age": 18, "max_age": 17}) == [("min_age", "must not be more than max_age")]
    assert check({"max_age": 5}) == [("max_age", "only allowed with date_of_birth = true")]
    assert check({"min_age": 5}) == [("min_age", "only allowed with date_of_birth = true")]
    assert check({"past_only": True, "future_only": True}) == [("future_only", "cannot be used with past_only")]
