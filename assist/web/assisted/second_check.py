"""The second check of a saved form (date of birth or postcode): its name, reading it from the page,
the resident's own date of birth when the form has already asked it, and how many tries are left."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import gettext, ngettext

from ...engine import Journey, N_

KINDS = ("date_of_birth", "postcode")

#: What the resident will be asked for, as "You will need the code and …" says it (English msgids,
#: translated where they are shown: on the screen here, on the slip by the printouts).
_NAMES = {"date_of_birth": N_("your date of birth"), "postcode": N_("your postcode")}
_FROM_FORM = N_("your date of birth, as you gave it in this form")

#: The name a date-of-birth question has unless the form calls it something else ("their date of
#: birth", "the child's date of birth"): a question with this name asks the resident about themselves.
_OWN_DATE_OF_BIRTH = "your date of birth"


def name_of(kind: str, from_form: bool = False) -> str:
    """The English msgid naming the second check ``kind``; ``from_form``: the date of birth was the form's."""
    if kind == "date_of_birth" and from_form:
        return _FROM_FORM
    return _NAMES.get(kind, _NAMES["date_of_birth"])


def own_date_of_birth(form, answers: dict) -> str | None:
    """The resident's own date of birth as answered in this form (``YYYY-MM-DD``), or ``None``.

    It is the answer to the form's first ``date`` question with ``date_of_birth = true`` that is about
    the resident (named "your date of birth", the default name) and not in a repeating group, if that
    question is on the resident's route and answered. A date of birth of someone else in the form (a
    child, a person in the household) is never used: the resident would not think to give it.
    """
    for page in form.pages:
        if page.is_repeat:
            continue
        for question in page.questions:
            if question.type == "date" and question.options.get("date_of_birth") \
                    and question.name == _OWN_DATE_OF_BIRTH:
                value = Journey(form, answers).relevant_answers().get(question.id)
                try:
                    return date.fromisoformat(value).isoformat() if value else None
                except (TypeError, ValueError):  # not a date as the engine stores it: ask instead
                    return None
    return None


def read(kind: str, prefix: str = "check") -> tuple[str | None, str | None]:
    """The second check typed on the page: ``(value, None)``, or ``(None, error message)``."""
    if kind == "postcode":
        value = request.form.get(f"{prefix}-postcode", "").strip()
        if not value:
            return None, gettext("Enter the postcode")
        if not 5 <= len(value.replace(" ", "")) <= 7:
            return None, gettext("Enter a real postcode")
        return value, None
    return _date_from(prefix)


def field_of(kind: str) -> str:
    """The id of the input an error about ``kind`` belongs to (the error summary links to it)."""
    return "check-postcode" if kind == "postcode" else "check-day"


def _date_from(prefix: str) -> tuple[str | None, str | None]:
    """``(YYYY-MM-DD, None)`` from day/month/year fields, or ``(None, error message)``."""
    day, month, year = (request.form.get(f"{prefix}-{part}", "").strip() for part in ("day", "month", "year"))
    if not (day or month or year):
        return None, gettext("Enter the date of birth")
    try:
        born = date(int(year), int(month), int(day))
    except (ValueError, OverflowError):  # not numbers, not a real date, or a year too big for any date
        return None, gettext("Date of birth must be a real date")
    if born >= date.today() or born.year < 1890:
        return None, gettext("Date of birth must be in the past")
    return born.isoformat(), None


def tries_text(left: int, limit: int) -> str:
    """How many tries of the second check are left, and that the saved answers go after the last.

    Before any wrong try it says "You have 5 tries."; after one, "You have 4 tries left."
    """
    if left >= limit:
        return ngettext("You have %(num)d try. After that, the saved answers are deleted.",
                        "You have %(num)d tries. After that, the saved answers are deleted.", left)
    return ngettext("You have %(num)d try left. After that, the saved answers are deleted.",
                    "You have %(num)d tries left. After that, the saved answers are deleted.", left)
