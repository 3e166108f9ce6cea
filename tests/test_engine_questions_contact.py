"""Email, phone, postcode, address, name and National Insurance number questions."""

import pytest

from assist.engine import display_answer, load_form, parse_answer, raw_from_value


def ask(tmp_path, body):
    path = tmp_path / "f.toml"
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "p"\n'
                    f'[[pages.questions]]\nid = "q"\nlabel = "Question?"\n{body}\n', encoding="utf-8")
    return load_form(path).question("q")


def answer(question, raw):
    value, errors = parse_answer(question, raw)
    return value, {name: message.render() for name, message in errors.items()}


@pytest.mark.parametrize("typed, stored", [
    ("name@example.com", "name@example.com"),
    (" Jo.Bloggs+council@Example.CO.UK ", "Jo.Bloggs+council@example.co.uk"),
])
def test_email_accepted(tmp_path, typed, stored):
    assert answer(ask(tmp_path, 'type = "email"'), {"q": typed}) == (stored, {})


@pytest.mark.parametrize("typed", ["name", "name@", "@example.com", "name@example", "a@b@c.com", "a..b@x.com",
                                   "name@example..com", "x" * 250 + "@a.com"])
def test_email_rejected(tmp_path, typed):
    q = ask(tmp_path, 'type = "email"')
    assert answer(q, {"q": typed}) == (
        None, {"q": "Enter an email address in the correct format, like name@example.com"})


def test_email_required(tmp_path):
    assert answer(ask(tmp_path, 'type = "email"'), {}) == (None, {"q": "Enter an email address"})


@pytest.mark.parametrize("typed, stored, shown", [
    ("07700 900 982", "+447700900982", "07700 900982"),
    ("+44 7700 900982", "+447700900982", "07700 900982"),
    ("+44 (0)20 7946 0000", "+442079460000", "020 7946 0000"),
    ("(020) 7946-0000", "+442079460000", "020 7946 0000"),
    ("01632 960 001", "+441632960001", "01632 960001"),
    ("0044 808 157 0192", "+448081570192", "0808 157 0192"),
])
def test_uk_phone_numbers_in_any_format(tmp_path, typed, stored, shown):
    q = ask(tmp_path, 'type = "phone"')
    assert answer(q, {"q": typed}) == (stored, {})
    assert display_answer(q, stored) == shown
    assert parse_answer(q, raw_from_value(q, stored))[0] == stored


@pytest.mark.parametrize("typed", ["12345", "0770090098", "call me", "+33 1 23 45 67 89", "07700 900982 ext 12",
                                   "9" * 60])
def test_phone_rejected(tmp_path, typed):
    assert answer(ask(tmp_path, 'type = "phone"'), {"q": typed}) == (
        None, {"q": "Enter a UK phone number, like 01632 960 001 or 07700 900 982"})


def test_phone_required(tmp_path):
    assert answer(ask(tmp_path, 'type = "phone"'), {"q": " "}) == (None, {"q": "Enter a phone number"})


@pytest.mark.parametrize("typed, stored", [
    ("SW1A 1AA", "SW1A 1AA"), ("sw1a1aa", "SW1A 1AA"), ("  sw1a   1aa ", "SW1A 1AA"), ("M1 1AE", "M1 1AE"),
    ("b338th", "B33 8TH"), ("CR2 6XH", "CR2 6XH"), ("DN55 1PT", "DN55 1PT"),
])
def test_postcode_accepted(tmp_path, typed, stored):
    assert answer(ask(tmp_path, 'type = "postcode"'), {"q": typed}) == (stored, {})


@pytest.mark.parametrize("typed", ["12345", "SW1A", "SW1A 1A", "QQ1 1AA", "75008", "K1A 0B1", "SW1A 1AAA"])
def test_postcode_rejected(tmp_path, typed):
    assert answer(ask(tmp_path, 'type = "postcode"'), {"q": typed}) == (None, {"q": "Enter a real postcode"})


@pytest.mark.parametrize("typed", ["AB123456C", "ab 12 34 56 c", "AB 12 34 56 C", " ab123456 c", "AB-12-34-56-C"])
def test_ni_number_accepted_with_spaces_and_lower_case(tmp_path, typed):
    q = ask(tmp_path, 'type = "ni_number"')
    assert answer(q, {"q": typed}) == ("AB123456C", {})
    assert display_answer(q, "AB123456C") == "AB 12 34 56 C"


@pytest.mark.parametrize("typed", [
    "DA123456C", "FA123456C", "IA123456C", "QA123456C", "UA123456C", "VA123456C",  # first letter
    "AD123456C", "AF123456C", "AI123456C", "AQ123456C", "AU123456C", "AV123456C", "AO123456C",  # second
    "BG123456C", "GB123456C", "KN123456C", "NK123456C", "NT123456C", "TN123456C", "ZZ123456C",  # not issued
    "AB123456E", "AB123456", "AB12345C", "123456789", "AB1234567C",
])
def test_ni_number_rejected(tmp_path, typed):
    assert answer(ask(tmp_path, 'type = "ni_number"'), {"q": typed}) == (
        None, {"q": "Enter a National Insurance number in the correct format"})


def test_ni_number_required(tmp_path):
    assert answer(ask(tmp_path, 'type = "ni_number"'), {}) == (None, {"q": "Enter a National Insurance number"})


def test_full_name(tmp_path):
    q = ask(tmp_path, 'type = "name"\nname = "your full name"')
    assert q.field_names == ["q"]
    assert answer(q, {"q": "  Siân   Ní Bhriain "}) == ("Siân Ní Bhriain", {})
    assert answer(q, {"q": ""}) == (None, {"q": "Enter your full name"})
    assert answer(q, {"q": "x" * 101}) == (None, {"q": "Full name must be 100 characters or less"})


def test_first_and_last_name(tmp_path):
    q = ask(tmp_path, 'type = "name"\nparts = "first_last"')
    assert q.field_names == ["q-first", "q-last"]
    assert answer(q, {"q-first": "Jo", "q-last": "Bloggs"}) == ({"first": "Jo", "last": "Bloggs"}, {})
    assert answer(q, {"q-first": "Jo"}) == (None, {"q-last": "Enter a last name"})
    assert answer(q, {}) == (None, {"q-first": "Enter a first name", "q-last": "Enter a last name"})
    assert display_answer(q, {"first": "Jo", "last": "Bloggs"}) == "Jo Bloggs"
    assert raw_from_value(q, {"first": "Jo", "last": "Bloggs"}) == {"q-first": "Jo", "q-last": "Bloggs"}


UK = {"q-line1": "1 High Street", "q-line2": "", "q-town": "Leeds", "q-county": "", "q-postcode": "ls1 1ae"}


def test_uk_address(tmp_path):
    q = ask(tmp_path, 'type = "address"')
    assert q.field_names == ["q-line1", "q-line2", "q-town", "q-county", "q-postcode"]
    value, errors = answer(q, UK)
    assert errors == {}
    assert value == {"line1": "1 High Street", "line2": "", "town": "Leeds", "county": "", "postcode": "LS1 1AE"}
    assert display_answer(q, value) == "1 High Street\nLeeds\nLS1 1AE"
    assert parse_answer(q, raw_from_value(q, value))[0] == value


def test_uk_address_errors_on_each_input(tmp_path):
    q = ask(tmp_path, 'type = "address"')
    assert answer(q, {"q-line2": "Flat 2"}) == (None, {
        "q-line1": "Enter address line 1, typically the building and street",
        "q-town": "Enter town or city",
        "q-postcode": "Enter postcode",
    })
    assert answer(q, {**UK, "q-postcode": "75008"}) == (None, {"q-postcode": "Enter a real postcode"})
    assert answer(q, {**UK, "q-town": "x" * 101}) == (None, {"q-town": "Town or city must be 100 characters or less"})


def test_empty_address(tmp_path):
    assert answer(ask(tmp_path, 'type = "address"'), {}) == (None, {"q-line1": "Enter an address"})
    assert answer(ask(tmp_path, 'type = "address"\noptional = true'), {}) == (None, {})


def test_international_address_needs_a_country_not_a_uk_postcode(tmp_path):
    q = ask(tmp_path, 'type = "address"\ninternational = true')
    assert q.field_names[-1] == "q-country"
    raw = {"q-line1": "12 rue de la Paix", "q-town": "Paris", "q-postcode": "75002"}
    assert answer(q, raw) == (None, {"q-country": "Enter country"})
    value, errors = answer(q, {**raw, "q-country": "France"})
    assert errors == {} and value["postcode"] == "75002" and value["country"] == "France"


@pytest.mark.parametrize("qtype", ["email", "phone", "postcode", "ni_number", "name", "address"])
@pytest.mark.parametrize("text", ["\x00", "\ud800", "+" * 1000, "١٢٣", "@@", "\u202eevil", "0" * 5000])
def test_never_crashes(tmp_path, qtype, text):
    q = ask(tmp_path, f'type = "{qtype}"')
    parse_answer(q, {name: text for name in q.field_names})


def test_names_of_exactly_100_characters_are_kept_and_101_refused(tmp_path):
    full = ask(tmp_path, 'type = "name"')
    assert answer(full, {"q": "N" * 100}) == ("N" * 100, {})
    assert answer(full, {"q": "N" * 101})[1] == {"q": "Full name must be 100 characters or less"}
    parts = ask(tmp_path, 'type = "name"\nparts = "first_last"')
    assert answer(parts, {"q-first": "F" * 100, "q-last": "L" * 100}) == ({"first": "F" * 100, "last": "L" * 100}, {})
    assert answer(parts, {"q-first": "F" * 101, "q-last": "L" * 101}) == (None, {
        "q-first": "First name must be 100 characters or less", "q-last": "Last name must be 100 characters or less"})


def test_an_optional_first_and_last_name_needs_both_once_either_is_given(tmp_path):
    parts = ask(tmp_path, 'type = "name"\nparts = "first_last"\noptional = true')
    assert answer(parts, {}) == (None, {})
    assert answer(parts, {"q-first": "Jo"}) == (None, {"q-last": "Enter a last name"})
    assert answer(parts, {"q-last": "Bloggs"}) == (None, {"q-first": "Enter a first name"})
    assert display_answer(parts, {"first": "Jo"}) == "Jo" and display_answer(parts, {"last": "Bloggs"}) == "Bloggs"
    assert raw_from_value(parts, {"first": "Jo"}) == {"q-first": "Jo", "q-last": ""}
    assert raw_from_value(parts, {"last": "Bloggs"}) == {"q-first": "", "q-last": "Bloggs"}


def test_an_international_address_needs_line_1_town_and_country(tmp_path):
    q = ask(tmp_path, 'type = "address"\ninternational = true')
    assert answer(q, {"q-country": "France"})[1] == {
        "q-line1": "Enter address line 1, typically the building and street", "q-town": "Enter town or city"}
    assert answer(q, {"q-line1": "1 Rue X", "q-town": "Paris", "q-country": "France"})[0]["country"] == "France"
    assert answer(q, {"q-line1": "A" * 100, "q-town": "Paris", "q-country": "France"})[1] == {}


def test_email_addresses_up_to_254_characters(tmp_path):
    q = ask(tmp_path, 'type = "email"')
    local = "a" * (254 - len("@example.com"))
    assert answer(q, {"q": f"{local}@example.com"}) == (f"{local}@example.com", {})
    assert answer(q, {"q": f"a{local}@example.com"})[0] is None
    assert answer(q, {"q": "jo bloggs@Example.COM"}) == ("jobloggs@example.com", {})
