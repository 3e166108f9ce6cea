"""The date question type: day, month and year inputs, with past/future and age rules."""

from __future__ import annotations

import datetime as dt

from . import date_bounds
from .messages import N_
from .questions_base import Option, QuestionType

PARTS = ("day", "month", "year")
OLDEST_AGE = 130
_MONTHS = {
    name: number
    for number, month in enumerate(
        ["january", "february", "march", "april", "may", "june", "july",
         "august", "september", "october", "november", "december"], start=1)
    for name in (month, month[:3], month[:4])
}


def today() -> dt.date:
    """Today's date (tests replace this)."""
    return dt.date.today()


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February in a non-leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def long_date(day: dt.date) -> str:
    """``"5 March 1990"``."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _number(text: str) -> int | None:
    """A day, month or year typed in any script's digits (Arabic-Indic, Bengali…), or ``None``."""
    return int(text) if text.isdecimal() and len(text) <= 4 else None


def _wrong_part(day: int | None, month: int | None, year: int | None) -> str:
    """Which input to mark when the date is not real: the first that is impossible on its own."""
    if month is None or not 1 <= month <= 12:
        return "month" if day is not None and 1 <= day <= 31 else "day"
    if year is None:
        return "year"
    return "day"


class Date(QuestionType):
    """A date given as day, month and year; stored as ``"YYYY-MM-DD"``."""

    type = "date"
    options = {
        "past_only": Option("bool", False),
        "future_only": Option("bool", False),
        "date_of_birth": Option("bool", False),
        "min_age": Option("int"),
        "max_age": Option("int"),
        "today_or_earlier": Option("bool", False),
        "within_months": Option("int"),
        "not_before": Option("str"),
        "not_after": Option("str"),
    }
    messages = {
        "required": N_("Enter {name}"),
        "missing_day": N_("{Name} must include a day"),
        "missing_month": N_("{Name} must include a month"),
        "missing_year": N_("{Name} must include a year"),
        "missing_day_month": N_("{Name} must include a day and month"),
        "missing_day_year": N_("{Name} must include a day and year"),
        "missing_month_year": N_("{Name} must include a month and year"),
        "real": N_("{Name} must be a real date"),
        "year_digits": N_("Year must include 4 numbers"),
        "past": N_("{Name} must be in the past"),
        "future": N_("{Name} must be today or in the future"),
        "too_young": N_("{Name} must be on or before {date}"),
        "too_old": N_("{Name} must be after {date}"),
        "too_early": N_("{Name} must be on or after {date}"),
        "too_late": N_("{Name} must be on or before {date}"),
        "not_future": N_("{Name} must be today or in the past"),
    }
    suffixes = PARTS
    default_name = N_("the date")

    def name_for(self, options):
        return N_("your date of birth") if options.get("date_of_birth") else self.default_name

    def check_options(self, options):
        problems = []
        if options.get("past_only") and options.get("future_only"):
            problems.append(("future_only", "cannot be used with past_only"))
        for key in ("min_age", "max_age"):
            if options.get(key) is not None:
                if not options.get("date_of_birth"):
                    problems.append((key, "only allowed with date_of_birth = true"))
                elif not 0 <= options[key] <= OLDEST_AGE:
                    problems.append((key, f"must be between 0 and {OLDEST_AGE}"))
        low, high = options.get("min_age"), options.get("max_age")
        if low is not None and high is not None and low > high:
            problems.append(("min_age", "must not be more than max_age"))
        if options.get("today_or_earlier") and (options.get("future_only") or options.get("past_only")):
            problems.append(("today_or_earlier", "cannot be used with past_only or future_only"))
        months = options.get("within_months")
        if months is not None and not 1 <= months <= 120:
            problems.append(("within_months", "must be between 1 and 120 (months from today)"))
        for key in ("not_before", "not_after"):
            if options.get(key) is not None and not date_bounds.is_bound(options[key]):
                problems.append((key, "must be a date like \"2026-04-01\", or one of: " + ", ".join(date_bounds.RELATIVE)))
        return problems

    def parse(self, question, raw):
        fields = dict(zip(PARTS, self.field_names(question)))
        given = {part: raw.text(fields[part]) for part in PARTS}
        missing = [part for part in PARTS if not given[part]]
        if len(missing) == 3:
            return self.missing(question, fields["day"])
        if missing:
            return self.fail(question, "missing_" + "_".join(missing), fields[missing[0]])
        day, year = _number(given["day"]), given["year"]
        month = _number(given["month"]) or _MONTHS.get(given["month"].lower().rstrip("."))
        if year.isdecimal() and len(year) != 4:
            return self.fail(question, "year_digits", fields["year"])
        try:
            value = dt.date(_number(year), month, day)
        except (TypeError, ValueError):
            return self.fail(question, "real", fields[_wrong_part(day, month, _number(year))])
        return self._check_range(question, value, fields["day"])

    def _check_range(self, question, value: dt.date, field: str):
        options, now = question.options, today()
        if (options["past_only"] or options["date_of_birth"]) and value >= now:
            return self.fail(question, "past", field)
        if options["future_only"] and value < now:
            return self.fail(question, "future", field)
        if options["date_of_birth"]:
            latest = years_before(now, options["min_age"] or 0)
            if value > latest:
                return self.fail(question, "too_young", field, date=long_date(latest))
            oldest = options["max_age"] if options["max_age"] is not None else OLDEST_AGE
            earliest = years_before(now, oldest + 1)
            if value <= earliest:
                return self.fail(question, "too_old", field, date=long_date(earliest))
        if options["today_or_earlier"] and value > now:
            return self.fail(question, "not_future", field)
        low, high = date_bounds.bounds(options, now)
        if low is not None and value < low:
            return self.fail(question, "too_early", field, date=long_date(low))
        if high is not None and value > high:
            return self.fail(question, "too_late", field, date=long_date(high))
        return value.isoformat(), {}

    def to_raw(self, question, value):
        day = dt.date.fromisoformat(value)
        names = self.field_names(question)
        return dict(zip(names, (str(day.day), str(day.month), str(day.year))))

    def display(self, question, value):
        return long_date(dt.date.fromisoformat(value))
