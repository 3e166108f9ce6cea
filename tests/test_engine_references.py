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
