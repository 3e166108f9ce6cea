"""Question types for contact and identity details: email, phone, postcode, address, name, NI number."""

from __future__ import annotations

import re

import phonenumbers

from .messages import N_
from .questions_base import Option, QuestionType

_EMAIL = re.compile(r"^[^@\s]+@([^@\s.]+\.)+[^@\s.]{2,}$")
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_NI_NUMBER = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")
_NI_NOT_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
# Ofcom's numbers for drama and examples (used in our own hints): not "valid", but real in form.
_EXAMPLE_PHONE = re.compile(r"^(7700900\d{3}|1\d\d4960\d{3}|1632960\d{3})$")
LINE_LENGTH = 100


def normalise_postcode(text: str) -> str | None:
    """A UK postcode in capitals with one space (``"SW1A 1AA"``), or ``None`` if not a real one."""
    squashed = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.match(squashed):
        return None
    return f"{squashed[:-3]} {squashed[-3:]}"


class Email(QuestionType):
    """An email address; the domain is stored in lower case."""

    type = "email"
    messages = {
        "required": N_("Enter {name}"),
        "invalid": N_("Enter {name} in the correct format, like name@example.com"),
    }
    default_name = N_("an email address")

    def parse(self, question, raw):
        text = raw.text(question.id).replace(" ", "")
        if not text:
            return self.missing(question)
        if len(text) > 254 or ".." in text or not _EMAIL.match(text):
            return self.fail(question, "invalid")
        local, domain = text.rsplit("@", 1)
        return f"{local}@{domain.lower()}", {}


class Phone(QuestionType):
    """A UK phone number in any common format; stored as E.164 (``"+447700900123"``)."""

    type = "phone"
    messages = {
        "required": N_("Enter {name}"),
        "invalid": N_("Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    }
    default_name = N_("a phone number")

    def parse(self, question, raw):
        text = raw.text(question.id)
        if not text:
            return self.missing(question)
        try:
            number = phonenumbers.parse(text[:40], "GB")
        except phonenumbers.NumberParseException:
            return self.fail(question, "invalid")
        national = str(number.national_number)
        real = phonenumbers.is_valid_number(number) or _EXAMPLE_PHONE.match(national)
        if number.country_code != 44 or not real or number.extension:
            return self.fail(question, "invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), {}

    def to_raw(self, question, value):
        return {question.id: self.display(question, value)}

    def display(self, question, value):
        try:
            number = phonenumbers.parse(value, "GB")
        except phonenumbers.NumberParseException:
            return str(value)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class Postcode(QuestionType):
    """A UK postcode, stored in capitals with one space."""

    type = "postcode"
    messages = {"required": N_("Enter {name}"), "invalid": N_("Enter a real postcode")}
    default_name = N_("a postcode")

    def parse(self, question, raw):
        text = raw.text(question.id)
        if not text:
            return self.missing(question)
        postcode = normalise_postcode(text)
        if postcode is None:
            return self.fail(question, "invalid")
        return postcode, {}


class NINumber(QuestionType):
    """A National Insurance number: stored ``"QQ123456C"``, shown ``"QQ 12 34 56 C"``."""

    type = "ni_number"
    messages = {
        "required": N_("Enter {name}"),
        "invalid": N_("Enter {name} in the correct format"),
    }
    default_name = N_("a National Insurance number")

    def parse(self, question, raw):
        text = re.sub(r"[\s-]+", "", raw.text(question.id)).upper()
        if not text:
            return self.missing(question)
        if not _NI_NUMBER.match(text) or text[:2] in _NI_NOT_ISSUED:
            return self.fail(question, "invalid")
        return text, {}

    def display(self, question, value):
        return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8:]}"


class Name(QuestionType):
    """A person's name: one full-name input, or first and last name inputs."""

    type = "name"
    options = {"parts": Option(("full", "first_last"), "full")}
    messages = {
        "required": N_("Enter {name}"),
        "too_long": N_("{Name} must be {max_length} characters or less"),
        "first_required": N_("Enter a first name"),
        "last_required": N_("Enter a last name"),
        "part_too_long": N_("{part} must be {max_length} characters or less"),
    }
    default_name = N_("a full name")

    def field_names(self, question):
        if question.options["parts"] == "first_last":
            return [f"{question.id}-first", f"{question.id}-last"]
        return [question.id]

    def parse(self, question, raw):
        if question.options["parts"] == "full":
            value = raw.text(question.id)
            if not value:
                return self.missing(question)
            if len(value) > LINE_LENGTH:
                return self.fail(question, "too_long", max_length=LINE_LENGTH)
            return value, {}
        first_field, last_field = self.field_names(question)
        first, last = raw.text(first_field), raw.text(last_field)
        if not first and not last and question.optional:
            return None, {}
        errors = {}
        for field, given, code, part in ((first_field, first, "first", N_("First name")),
                                         (last_field, last, "last", N_("Last name"))):
            if not given:
                errors[field] = self.error(question, f"{code}_required")
            elif len(given) > LINE_LENGTH:
                errors[field] = self.error(question, "part_too_long", part=part, max_length=LINE_LENGTH)
        return (None, errors) if errors else ({"first": first, "last": last}, {})

    def to_raw(self, question, value):
        if isinstance(value, dict):
            first_field, last_field = self.field_names(question)
            return {first_field: value.get("first", ""), last_field: value.get("last", "")}
        return {question.id: value}

    def display(self, question, value):
        if isinstance(value, dict):
            return f"{value.get('first', '')} {value.get('last', '')}".strip()
        return str(value)


class Address(QuestionType):
    """A UK address (line 1, town and postcode needed), or an international one (country needed)."""

    type = "address"
    options = {"international": Option("bool", False)}
    messages = {
        "required": N_("Enter {name}"),
        "line1_required": N_("Enter address line 1, typically the building and street"),
        "town_required": N_("Enter town or city"),
        "postcode_required": N_("Enter postcode"),
        "postcode_invalid": N_("Enter a real postcode"),
        "country_required": N_("Enter country"),
        "too_long": N_("{part} must be {max_length} characters or less"),
    }
    default_name = N_("an address")
    _PART_NAMES = {
        "line1": N_("Address line 1"), "line2": N_("Address line 2"), "town": N_("Town or city"),
        "county": N_("County"), "postcode": N_("Postcode"), "country": N_("Country"),
    }

    def _parts(self, question) -> tuple[str, ...]:
        base = ("line1", "line2", "town", "county", "postcode")
        return base + ("country",) if question.options["international"] else base

    def field_names(self, question):
        return [f"{question.id}-{part}" for part in self._parts(question)]

    def parse(self, question, raw):
        fields = dict(zip(self._parts(question), self.field_names(question)))
        value = {part: raw.text(field) for part, field in fields.items()}
        if not any(value.values()):
            return self.missing(question, fields["line1"])
        international = question.options["international"]
        needed = ("line1", "town", "country") if international else ("line1", "town", "postcode")
        errors = {}
        for part, field in fields.items():
            if part in needed and not value[part]:
                errors[field] = self.error(question, f"{part}_required")
            elif len(value[part]) > LINE_LENGTH:
                errors[field] = self.error(question, "too_long", part=self._PART_NAMES[part], max_length=LINE_LENGTH)
        if not international and value["postcode"] and fields["postcode"] not in errors:
            postcode = normalise_postcode(value["postcode"])
            if postcode is None:
                errors[fields["postcode"]] = self.error(question, "postcode_invalid")
            value["postcode"] = postcode
        return (None, errors) if errors else (value, {})

    def to_raw(self, question, value):
        return {field: (value or {}).get(part) or "" for part, field in
                zip(self._parts(question), self.field_names(question))}

    def display(self, question, value):
        return "\n".join(str(value[part]) for part in self._parts(question) if value.get(part))
