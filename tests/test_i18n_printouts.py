"""Printouts in Welsh and Arabic: the printouts engineer's renderer, fed with our catalogues."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo

from assist.i18n.catalogues import catalogue
from printouts_support import fake_config, flat, pdf_text, poppler_text  # noqa: F401
from support import needed_tool

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {"bin-type": "recycling", "postcode": "SW1A 1AA", "street-address": "14 Station Road",
           "collection-date": "2026-03-24", "bin-out-in-time": "yes", "more-details": None,
           "phone": "+447700900982", "email": None}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The catalogues compiled afresh into a temporary folder (as `make` does into translations/)."""
    directory = tmp_path_factory.mktemp("translations")
    for language in ("cy", "ar"):
        (directory / language / "LC_MESSAGES").mkdir(parents=True)
        with open(directory / language / "LC_MESSAGES" / "messages.mo", "wb") as fileobj:
            write_mo(fileobj, catalogue(language))
    return directory


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    from assist.printouts import Printouts

    return Printouts(fake_config(tmp_path_factory.mktemp("printouts-data")))


@pytest.fixture(scope="module")
def missed_bin():
    from assist.engine import load_form

    return load_form(ROOT / "forms" / "missed-bin.toml")


def gettext(language, compiled):
    from assist.printouts.i18n import gettext_for

    return gettext_for(language, compiled)


def submission(language):
    return {"reference": "MB-7K4M-2QXT", "form_id": "missed-bin", "form_version": "2026.1",
            "submitted_at": "2026-03-25T10:05:00+00:00", "mode": "assisted", "venue_id": "central-library",
            "helper_id": "helper-1", "language": language, "answers": dict(ANSWERS)}


def test_welsh_copy_has_welsh_questions_answers_dates_and_interface(service, missed_bin, compiled):
    pdf = service.completed_copy(missed_bin, submission("cy"), language="cy", gettext=gettext("cy", compiled))
    text = flat(pdf_text(pdf))
    for welsh in ("Pa fin na chafodd ei wagio?", "Ailgylchu", "24 Mawrth 2026", "Eich atebion",
                  "Beth yw cod post yr eiddo?", "SW1A 1AA", "MB-7K4M-2QXT"):
        assert welsh in text, welsh
    for english in ("Which bin was not emptied?", "Recycling", "March", "Your answers"):
        assert english not in text, english


def test_welsh_blank_form_is_in_welsh(service, missed_bin, compiled):
    text = flat(pdf_text(service.blank_form(missed_bin, language="cy", gettext=gettext("cy", compiled))))
    for welsh in ("Rhoi gwybod am fin heb ei gasglu", "Sut i lenwi’r ffurflen hon", "Gwastraff cyffredinol",
                  "Llofnod"):
        assert welsh in text, welsh
    assert "How to fill in this form" not in text and "General waste" not in text


def test_arabic_copy_is_right_to_left_in_arabic_with_numbers_left_to_right(service, missed_bin, compiled):
    _ = gettext("ar", compiled)
    html = service.completed_copy_html(missed_bin, submission("ar"), language="ar", gettext=_)
    assert re.search(r'<html lang="ar" dir="rtl"', html)
    for arabic in ("أي صندوق لم يُفرَغ؟", "إعادة التدوير", "24 مارس 2026", "إجاباتك"):
        assert arabic in html, arabic
    assert "Which bin was not emptied?" not in html
    assert re.search(r'<bdi dir="ltr"[^>]*>MB-7K4M-2QXT</bdi>', html)
    pdf = service.completed_copy(missed_bin, submission("ar"), language="ar", gettext=_)
    text = flat(poppler_text(pdf))  # poppler reads right-to-left text in logical order
    assert "إعادة التدوير" in text
    assert "MB-7K4M-2QXT" in text and "SW1A 1AA" in text


def placed_words(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """Each word of a PDF with where it is drawn: (page, left edge, middle height, text), from
    ``pdftotext -bbox``."""
    result = subprocess.run([needed_tool("pdftotext", "poppler-utils"), "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
    return [(page, float(x), (float(top) + float(bottom)) / 2, html.unescape(text))
            for page, markup in enumerate(result.stdout.decode("utf-8").split("<page ")[1:])
            for x, top, bottom, text in re.findall(pattern, markup)]


def test_arabic_dates_read_day_month_year_from_the_right(service, missed_bin, compiled):
    """The answered date and the date sent, read right to left, are day, month, year (not month and year
    swapped by the page's mixed directions)."""
    pdf = service.completed_copy(missed_bin, submission("ar"), language="ar", gettext=gettext("ar", compiled))
    words = placed_words(pdf)
    months = [w for w in words if w[3] in ("مارس", "مارس"[::-1])]  # poppler gives Arabic glyphs in drawn order
    assert len(months) >= 2  # the collection date answered and the date sent
    for page, x, middle, _text in months:
        line = sorted((w for w in words if w[0] == page and abs(w[2] - middle) < 4), key=lambda w: w[1])
        position = [w[1] for w in line].index(x)
        assert line[position + 1][3] in ("24", "25"), line  # the day, to the right of the month
        assert "2026" in line[position - 1][3], line  # the year, to its left


def test_arabic_page_footer_reads_right_to_left(service, missed_bin, compiled):
    """The footer "النموذج missed-bin، الإصدار 2026.1" (form, version) starts at the right, like the page."""
    pdf = service.blank_form(missed_bin, language="ar", gettext=gettext("ar", compiled))
    words = [w for w in placed_words(pdf) if w[0] == 0]
    footer = max(w[2] for w in words)
    line = [w[3] for w in sorted((w for w in words if abs(w[2] - footer) < 4), key=lambda w: w[1])]
    form_id = next(i for i, text in enumerate(line) if "missed-bin" in text)
    assert line[form_id + 1] in ("النموذج", "النموذج"[::-1]), line  # "form", to the right of its id
    assert line[form_id - 2] == "2026.1", line  # the version number, at the far left after "version"


def test_council_copy_of_a_form_answered_in_arabic_can_be_printed_in_english(service, missed_bin):
    """Answers are stored as values, not labels: the council reads an Arabic resident's answers in English."""
    text = flat(pdf_text(service.completed_copy(missed_bin, submission("ar"), language="en")))
    assert "Which bin was not emptied?" in text and "Recycling" in text and "24 March 2026" in text
