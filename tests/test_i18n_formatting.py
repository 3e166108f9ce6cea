"""Dates, numbers and money the way each language writes them (Babel), and the config of languages."""

from __future__ import annotations

import datetime as dt

import pytest

from assist.engine import display_answer
from assist.engine.model import Question
from assist.i18n.formatting import format_date, format_money, format_number


@pytest.mark.parametrize("language, expected", [
    ("en", "5 March 1990"), ("cy", "5 Mawrth 1990"), ("pl", "5 marca 1990"), ("ar", "5 مارس 1990"),
    ("ur", "5 مارچ 1990"), ("bn", "5 মার্চ 1990"), ("pa", "5 ਮਾਰਚ 1990"),
])
def test_long_dates_in_every_language_with_latin_digits(language, expected):
    assert format_date(dt.date(1990, 3, 5), language) == expected
    assert format_date("1990-03-05", language) == expected


@pytest.mark.parametrize("language, expected", [
    ("en", "£1,234.50"), ("cy", "£1,234.50"), ("pl", "1\xa0234,50\xa0£"), ("ar", "1,234.50\xa0£"),
])
def test_money_is_always_pounds_in_the_languages_style(language, expected):
    assert format_money("1234.50", language) == expected


def test_money_never_carries_invisible_direction_marks():
    for language in ("ar", "ur"):
        assert not any(mark in format_money("10", language) for mark in "\u200e\u200f\u061c")


def test_numbers_use_the_languages_separators():
    assert format_number("1234.5", "en") == "1,234.5"
    assert format_number("1234.5", "pl") == "1\xa0234,5"
    assert format_number(3, "cy") == "3"


def test_unknown_language_falls_back_to_british_english():
    assert format_date(dt.date(2026, 1, 2), "xx") == "2 January 2026"


def test_display_answer_translates_labels_units_and_not_provided_with_gettext():
    welsh = {"Not provided": "Heb ei ddarparu", "Recycling": "Ailgylchu", "minutes": "munud"}
    _ = lambda text: welsh.get(text, text)  # noqa: E731
    choice = Question(id="bin", type="choose_one", label="Which bin?",
                      options={"options": [{"value": "recycling", "label": "Recycling"}], "none_option": None})
    number = Question(id="mins", type="number", label="How long?", options={"unit": "minutes", "whole": True})
    money = Question(id="rent", type="money", label="Rent?", options={})
    day = Question(id="day", type="date", label="When?", options={})
    assert display_answer(choice, "recycling", "cy", _) == "Ailgylchu"
    assert display_answer(choice, None, "cy", _) == "Heb ei ddarparu"
    assert display_answer(number, 12, "cy", _) == "12 munud"
    assert display_answer(money, "450.00", "pl") == "450,00\xa0£"
    assert display_answer(day, "2026-03-24", "cy") == "24 Mawrth 2026"
    assert display_answer(day, "2026-03-24") == "24 March 2026"  # English by default, as before


def test_config_declares_complete_languages(config):
    assert set(config.languages.complete) <= set(config.languages.available)
    assert "cy" in config.languages.complete


def test_config_rejects_a_complete_language_that_is_not_a_language():
    from assist.config import ConfigError, config_from_mapping

    with pytest.raises(ConfigError, match="languages.complete"):
        config_from_mapping({"council": {"name": "X"}, "languages": {"available": ["en", "cy"], "complete": ["welsh"]}})
    config = config_from_mapping({"council": {"name": "X"}, "languages": {"available": ["en", "cy"]}})
    assert config.languages.complete == ()
