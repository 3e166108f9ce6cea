"""Submission references: readable, random, and any single typo or swap is caught."""

import pytest

from assist.engine import is_valid_reference, make_reference
from assist.engine.references import ALPHABET, normalise_reference


def test_shape_of_a_reference():
    reference = make_reference("BB")
    prefix, first, second = reference.split("-")
    assert prefix == "BB" and len(first) == 4 and len(second) == 4
    assert set(first + second) <= set(ALPHABET)


def test_alphabet_has_no_easily_confused_characters():
    assert not set("0O1IL U") & set(ALPHABET)


def test_references_are_random_and_valid():
    references = {make_reference() for _ in range(2000)}
    assert len(references) == 2000
    assert all(is_valid_reference(r) for r in references)


def test_case_spaces_and_hyphens_are_tolerated():
    reference = make_reference("BB")
    assert is_valid_reference(reference.lower())
    assert is_valid_reference(reference.replace("-", " "))
    assert is_valid_reference(reference.replace("-", ""))
    assert normalise_reference(" " + reference.lower().replace("-", "  ") + " ") == reference


def test_prefix_is_optional_and_checked_for_shape():
    reference = make_reference()
    assert len(reference) == 9 and is_valid_reference(reference)
    with pytest.raises(ValueError):
        make_reference("B-B")


@pytest.mark.parametrize("seed", range(40))
def test_every_single_character_typo_is_caught(seed):
    reference = make_reference("BB")
    code = reference.replace("-", "")[2:]
    for position in range(len(code)):
        for wrong in ALPHABET:
            if wrong != code[position]:
                typo = code[:position] + wrong + code[position + 1:]
                assert not is_valid_reference("BB" + typo), (reference, typo)


@pytest.mark.parametrize("seed", range(40))
def test_every_swap_of_neighbours_is_caught(seed):
    code = make_reference().replace("-", "")
    for position in range(len(code) - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            swapped = code[:position] + b + a + code[position + 2:]
            assert not is_valid_reference(swapped), (code, swapped)


@pytest.mark.parametrize("text", ["", "BB", "BB-7K4M-2QX", "BB-7K4M-2QXT0", "BB-7K4M-2QXO", "ÄÖ-7K4M-2QXT", None,
                                  "TOOLONGPREFIX-7K4M-2QXT"])
def test_malformed_references_are_refused(text):
    assert not is_valid_reference(text)


def _documented_check(body):
    """The check character by the rule in ``check_character``'s docstring, worked out independently:
    weights 2, 3, ... for the body and 1 for the check character, total a multiple of 29."""
    values = ["23456789ABCDEFGHJKMNPQRSTVWXY".index(ch) for ch in body]
    total = sum(weight * value for weight, value in zip(range(2, 2 + len(body)), values))
    return next(ch for value, ch in enumerate("23456789ABCDEFGHJKMNPQRSTVWXY") if (total + value) % 29 == 0)


def test_a_known_reference_has_its_documented_check_character():
    # 7 K 4 M 2 Q W are 5, 17, 2, 18, 0, 21, 26 in the alphabet; with weights 2..8 the total is
    # 10 + 51 + 8 + 90 + 0 + 147 + 208 = 514 = 17 * 29 + 21, so the check value is 29 - 21 = 8: "A".
    assert _documented_check("7K4M2QW") == "A"
    assert normalise_reference("bb 7k4m 2qwa") == "BB-7K4M-2QWA"
    assert is_valid_reference("BB-7K4M-2QWA")
    # Any other last character is refused, including the one a reversed sign would give (21: "Q").
    for wrong in ALPHABET.replace("A", ""):
        assert normalise_reference("BB-7K4M-2QW" + wrong) is None


@pytest.mark.parametrize("body", ["2222222", "YYYYYYY", "23456789"[:7], "ABCDEFG", "XWVTSRQ"])
def test_check_characters_follow_the_documented_rule(body):
    reference = normalise_reference(body + _documented_check(body))
    assert reference == f"{body[:4]}-{body[4:]}{_documented_check(body)}"


def test_a_reference_without_prefix_is_normalised_without_a_leading_hyphen():
    assert normalise_reference("7k4m2qwa") == "7K4M-2QWA"
    assert normalise_reference(" 7K4M - 2QWA ") == "7K4M-2QWA"


def test_a_misread_character_inside_the_code_is_refused_not_an_error():
    # "O" and "I" are not in the alphabet (read as 0 and 1): the reference is simply not valid.
    assert normalise_reference("BB-7K4O-2QWA") is None
    assert normalise_reference("BB-IK4M-2QWA") is None


def test_a_bad_prefix_is_explained():
    with pytest.raises(ValueError) as raised:
        make_reference("b-b")
    assert str(raised.value) == "reference prefix must be up to 4 letters or digits, not 'B-B'"
