"""What the accessibility checks cover, declared once: the browser suite (tests/test_accessibility.py)
visits every page type here in every language here and runs every check here, and the accessibility
statement at ``/accessibility`` renders the same lists, so the two cannot drift apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import lazy_gettext as _l

from ...engine.questions import TYPES
from ..core.language import language_name
from . import accessibility_bp as bp

#: The standard the service is checked against, and the axe-core rule tags that make it up.
STANDARD = "WCAG 2.2 AA"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
#: The axe-core release the suite runs (pinned in package.json).
AXE_VERSION = "4.14.1"
#: Languages every page type is checked in: English, Welsh, and Arabic (right to left).
LANGUAGES = ("en", "cy", "ar")
#: Question types, each checked on a question page and (when it can be wrong) in its error state.
QUESTION_TYPES = tuple(TYPES)
PREPARED = date(2026, 11, 24)
REVIEWED = date(2026, 11, 24)


@dataclass(frozen=True)
class PageType:
    """A kind of page the suite visits; ``group`` is the suite's browser session that reaches it."""

    id: str
    group: str
    name: str


@dataclass(frozen=True)
class Check:
    """One thing the suite checks, as the statement says it."""

    id: str
    name: str


@dataclass(frozen=True)
class Exemption:
    """An axe-core finding the suite lets through: rule ``rule`` on elements matching ``selector`` whose
    failure mentions ``message``, with the ``reason``; ``fails_wcag`` lists it as non-accessible content."""

    rule: str
    selector: str
    message: str
    reason: str
    fails_wcag: bool


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", "resident", _l("The list of the council's forms")),
    PageType("statement", "resident", _l("This accessibility statement")),
    PageType("start", "resident", _l("A form's start page")),
    PageType("question", "resident", _l("A question page of every question type")),
    PageType("question-error", "resident", _l("Every question page in its error state")),
    PageType("add-another", "resident", _l("Adding another person or thing")),
    PageType("check-answers", "resident", _l("Checking answers")),
    PageType("exit", "resident", _l("A page saying why you cannot continue")),
    PageType("confirmation", "resident", _l("The confirmation page")),
    PageType("carry-on", "helper", _l("Carrying on with a saved form")),
    PageType("helper-sign-in", "helper", _l("Helpers signing in")),
    PageType("helper-lockout", "helper", _l("The message after too many wrong PINs")),
    PageType("helper-home", "helper", _l("The helper's start page")),
    PageType("consent", "helper", _l("Consent and what to bring")),
    PageType("assisted-question", "helper", _l("A question with the helper's prompts")),
    PageType("hand-over", "helper", _l("Handing the tablet to the resident")),
    PageType("save", "helper", _l("Saving a form to carry on later")),
    PageType("paper-keying", "helper", _l("Keying in a paper form")),
    PageType("kiosk-start", "kiosk", _l("The kiosk's start screen")),
    PageType("kiosk-question", "kiosk", _l("A question on a kiosk")),
    PageType("kiosk-timeout", "kiosk", _l("The kiosk's timeout warning")),
    PageType("admin-dashboard", "admin", _l("The council's dashboard of figures")),
    PageType("admin-lists", "admin", _l("The council's lists of submissions, helpers, venues, forms and the audit log")),
)

CHECKS: tuple[Check, ...] = (
    Check("axe", _l("Automated checks of every WCAG 2.2 A and AA rule axe-core %(version)s can test",
                    version=AXE_VERSION)),
    Check("title", _l("Every page has a title of its own that says what the page is")),
    Check("errors", _l("The error summary takes the focus and links to each field with a problem")),
    Check("keyboard", _l("A whole form can be filled in and sent with a keyboard alone, in a sensible order, "
                         "with the focus always visible")),
    Check("reflow", _l("Nothing needs scrolling sideways on a screen 320 pixels wide or at 200% zoom")),
    Check("targets", _l("Buttons, links and fields are at least 24 by 24 pixels, and 44 by 44 on kiosks")),
    Check("pdf", _l("Printed copies are tagged PDFs with their language and title, and screen readers "
                    "read the answers in the order of the form")),
)

#: Findings let through by the suite, each with its reason.
EXEMPTIONS: tuple[Exemption, ...] = (
    # GOV.UK Frontend marks radios and checkboxes that reveal a follow-up question with aria-expanded.
    # ARIA 1.2 does not allow the attribute on those roles, but screen readers announce it and GOV.UK's
    # research found it helps (alphagov/govuk-frontend issues 979 and 1972): a known issue of the
    # Design System, not a barrier, so the service still meets the standard.
    Exemption("aria-allowed-attr", ".govuk-radios__input[aria-controls], .govuk-checkboxes__input[aria-controls]",
              "aria-expanded",
              _l("Radios and checkboxes that show a follow-up question say whether it is shown in a way the ARIA "
                 "specification does not list for them; screen readers announce it, as GOV.UK's research "
                 "found helpful."),
              fails_wcag=False),
)


def page_types(group: str | None = None) -> tuple[PageType, ...]:
    """The page types the suite visits, or those of one browser session ``group``."""
    return tuple(kind for kind in PAGE_TYPES if group is None or kind.group == group)


@bp.get("/accessibility")
def statement():
    """The accessibility statement, in the form the 2018 public sector accessibility regulations ask for."""
    return render_template(
        "site/accessibility.html", page_types=PAGE_TYPES, checks=CHECKS,
        failures=[e for e in EXEMPTIONS if e.fails_wcag], let_through=[e for e in EXEMPTIONS if not e.fails_wcag],
        languages=[language_name(code) for code in LANGUAGES], question_types=len(QUESTION_TYPES),
        standard=STANDARD, prepared=PREPARED, reviewed=REVIEWED,
    )
