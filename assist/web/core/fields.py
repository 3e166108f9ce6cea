"""Sub-fields of grouped questions (address, first and last name) for the GOV.UK templates."""

from __future__ import annotations

from flask_babel import gettext

from ...engine import N_

#: (suffix, label, width class, autocomplete token, left-to-right) per grouped question type
_ADDRESS = [
    ("line1", N_("Address line 1"), "", "address-line1", False),
    ("line2", N_("Address line 2 (optional)"), "", "address-line2", False),
    ("town", N_("Town or city"), "govuk-!-width-two-thirds", "address-level2", False),
    ("county", N_("County (optional)"), "govuk-!-width-two-thirds", "", False),
    ("postcode", N_("Postcode"), "govuk-input--width-10", "postal-code", True),
]
_INTERNATIONAL = _ADDRESS[:4] + [
    ("postcode", N_("Postcode or ZIP code (optional)"), "govuk-input--width-10", "postal-code", True),
    ("country", N_("Country"), "govuk-!-width-two-thirds", "country-name", False),
]
_NAME = [
    ("first", N_("First name"), "govuk-!-width-two-thirds", "given-name", False),
    ("last", N_("Last name"), "govuk-!-width-two-thirds", "family-name", False),
]


def subfields(question) -> list[dict]:
    """The inputs of an address or first-and-last name question, in the engine's field names."""
    if question.type == "address":
        parts = _INTERNATIONAL if question.options.get("international") else _ADDRESS
    else:
        parts = _NAME
    names = set(question.field_names)
    return [
        {"name": f"{question.id}-{suffix}", "label": gettext(label), "classes": width, "autocomplete": token, "ltr": ltr}
        for suffix, label, width, token, ltr in parts
        if f"{question.id}-{suffix}" in names
    ]
