"""What Welsh and Bengali readers see laid out: chart labels cut between letters, units in the
printout's language, questions kept with their answers on paper, figures written in the language."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest

from assist.engine.formatting import format_money, format_number
from assist.reporting.charts import Chart
from assist.reporting.dashboard import minutes_text, week_label
from printouts_support import everything_answers, everything_form, printouts_service, submission  # noqa: F401

FORM_TITLES = ["বিনামূল্যে স্কুলের খাবারের জন্য আবেদন করুন", "কাউন্সিল ট্যাক্স ছাড় (Council Tax Reduction)",
               "ব্লু ব্যাজ (Blue Badge)-এর জন্য আবেদন করুন", "ਮੁਫ਼ਤ ਸਕੂਲੀ ਖਾਣੇ ਲਈ ਅਰਜ਼ੀ ਦਿਓ"]


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    return everything_form(tmp_path_factory.mktemp("form"))


def clipped_labels(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", text) for text in re.findall(r"<text[^>]*>(.*?)</text>", svg) if "…" in text]


@pytest.mark.parametrize("horizontal", [True, False], ids=["horizontal", "vertical"])
def test_chart_labels_are_cut_between_whole_letters(horizontal):
    # A conjunct ("্যা" after a consonant) at every place a label can be cut.
    titles = [title[:cut] + "্যা" + title[cut:] for title in FORM_TITLES for cut in range(6, 30)
              if not unicodedata.category(title[cut - 1]).startswith(("M", "Z"))]
    for title in titles:
        chart = Chart(id="c", title="t", description="d", categories=[title], horizontal=horizontal,
                      series=[("Sent", [1]), ("Unfinished", [2])])
        [label] = clipped_labels(str(chart.svg()))
        kept = label.removesuffix("…")
        assert title.startswith(kept)
        assert not unicodedata.name(kept[-1]).endswith("VIRAMA"), label  # half a conjunct
        assert not unicodedata.category(title[len(kept)]).startswith("M"), label  # a vowel sign left behind


def test_completed_copy_writes_units_in_the_copys_language(printouts_service, form):
    welsh = {"people": "o bobl", "Question": "Cwestiwn"}
    html = printouts_service.completed_copy_html(
        form, submission(everything_answers(), language="cy"), language="cy",
        gettext=lambda text: welsh.get(text, text))
    assert "2 o bobl" in html and "2 people" not in html


def split_rows(printouts_service, html: str) -> list[str]:
    """Rows of the answers tables whose question and answer start on different pages."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from assist.printouts.assets import BASE_URL

    renderer = printouts_service.renderer
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=renderer.fetcher).render(
        stylesheets=renderer.stylesheets, font_config=renderer.font_config)
    pages_of: dict[int, set[int]] = {}
    labels = {}
    for number, page in enumerate(document.pages):
        for group in page._page_box.descendants():
            if not isinstance(group, boxes.TableRowGroupBox) or group.element_tag != "tbody":
                continue
            for row in group.children:
                if any(isinstance(box, boxes.TextBox) for box in row.descendants()):
                    pages_of.setdefault(id(row.element), set()).add(number)
                    labels[id(row.element)] = "".join(row.element.itertext())[:40]
    return [labels[key] for key, pages in pages_of.items() if len(pages) > 1]


def test_a_question_is_never_printed_on_another_page_than_its_answer(printouts_service, form):
    # A longer and longer address moves every row below it down, past the end of page 1.
    answers = everything_answers(circumstances="I look after my grandson three days a week. " * 6)
    for extra in range(0, 26, 2):
        answers["address"] = dict(answers["address"], line2="Flat " + "9 " * (25 * extra))
        html = printouts_service.completed_copy_html(form, submission(answers, language="cy"),
                                                     language="cy")
        assert split_rows(printouts_service, html) == [], extra


@pytest.mark.parametrize("language", ["bn", "pa"])
def test_bengali_and_punjabi_money_and_numbers_read_as_on_british_letters(language):
    assert format_money("16190", language) == "£16,190.00"
    assert format_money("123456.5", language) == "£123,456.50"
    assert format_number("1234567.5", language) == "1,234,567.5"


@pytest.mark.parametrize("language, week, minutes", [
    ("en", "7\xa0Sept", "4.5 mins"), ("cy", "7\xa0Medi", "4.5 mun"), ("bn", "7\xa0সেপ", "4.5 মিনিট"),
])
def test_dashboard_weeks_and_times_are_written_in_the_pages_language(language, week, minutes):
    assert week_label(dt.date(2026, 9, 7), language) == week
    assert minutes_text(4.5, language) == minutes
    assert minutes_text(None, language) == "–"
