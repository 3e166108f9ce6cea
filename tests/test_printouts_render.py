"""Printouts rendered from the engine's model and read back from the PDF (no web app needed)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import segno

from printouts_support import (  # noqa: F401 - printouts_service is a fixture
    catalog, everything_answers, everything_form, fake_config, flat, pdf_pages, pdf_text, poppler_text,
    printouts_service,
    structure_rows, submission,
)
from support import needed_tool

ROOT = Path(__file__).resolve().parents[1]


def margin_qr_modules(pdf: bytes, size: int, dpi: int = 300) -> list[list[bool]]:
    """For each page of ``pdf``, the ``size`` × ``size`` modules (dark or light) of the QR code drawn
    in its top right-hand margin, read from the page rendered by poppler's ``pdftoppm``: the code's
    top row starts and ends with a finder pattern, so its first and last dark pixels are its edges."""
    from PIL import Image

    found = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([needed_tool("pdftoppm", "poppler-utils"), "-r", str(dpi), "-gray", "-png", "-",
                        f"{folder}/page"], input=pdf, check=True)
        for path in sorted(Path(folder).glob("page-*.png")):
            with Image.open(path) as picture:
                width, height = picture.size
                corner = picture.convert("L").crop((width * 3 // 4, 0, width, height * 9 // 100))
            dark = lambda x, y: corner.getpixel((x, y)) < 128  # noqa: E731
            top = next(y for y in range(corner.height) if any(dark(x, y) for x in range(corner.width)))
            row = [x for x in range(corner.width) if dark(x, top + 2)]
            module = (row[-1] + 1 - row[0]) / size
            found.append([[dark(int(row[0] + (x + 0.5) * module), int(top + (y + 0.5) * module))
                           for x in range(size)] for y in range(size)])
    return found


@pytest.fixture
def form(tmp_path):
    return everything_form(tmp_path)


def demo_forms():
    from assist.engine import load_forms

    return list(load_forms(ROOT / "forms").values())


# --- completed copy --------------------------------------------------------------------------

def test_copy_shows_every_answer_in_order_with_reference_and_pages(printouts_service, form):
    pdf = printouts_service.completed_copy(form, submission(everything_answers()))
    text = flat(pdf_text(pdf))
    expected = ["Gwenllian Ŵyn-Jones", "5 March 1950", "QQ 12 34 56 C", "1 Stryd Fawr", "DT1 1AA",
                "01632 960001", "I rent it", "£450", "2 people", "Universal Credit",
                "Personal Independence Payment", "I look after my grandson"]
    positions = [text.find(answer) for answer in expected]
    assert all(p >= 0 for p in positions), dict(zip(expected, positions))
    assert positions == sorted(positions), "answers are not in the order asked"
    assert "ET-7K4M-2QXT" in text
    assert "5 March 2026, 14:05" in text
    pages = pdf_pages(pdf)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in flat(page)
        assert "ET-7K4M-2QXT" in flat(page).replace("\u2066", "").replace("\u2069", "")


def test_copy_says_not_provided_for_skipped_and_numbers_repeat_items(printouts_service, form):
    text = flat(pdf_text(printouts_service.completed_copy(form, submission(everything_answers()))))
    assert text.count("Not provided") == 2  # postcode of last address, email
    assert "Person 1" in text and "Person 2" in text
    assert text.find("Person 1") < text.find("Dafydd Ŵyn") and text.find("Person 2") < text.find("Dafydd Ŵyn")
    assert "1 July 1980" in text and "20 January 2012" in text


def test_copy_leaves_out_pages_the_route_skipped(printouts_service, form):
    answers = everything_answers()
    answers.update({"tenure": "own", "lives-with-others": "no", "benefits": ["uc"]})
    for skipped in ("rent", "household", "circumstances"):
        answers.pop(skipped)
    text = flat(pdf_text(printouts_service.completed_copy(form, submission(answers))))
    assert "How much rent" not in text
    assert "Person 1" not in text
    assert "Tell us anything else" not in text
    assert "I own it" in text


def test_copy_has_declaration_who_made_it_what_happens_next_and_contact(printouts_service, form):
    text = flat(pdf_text(printouts_service.completed_copy(form, submission(everything_answers()))))
    assert "I confirm that the information I have given is correct." in text
    assert "I agree: Confirmed" in text
    assert "Sent by the applicant with help from a helper. At Central Library." in text
    assert "We will write to you within 4 weeks." in text
    assert "Demo Borough Council" in text and "01632 960 100" in text and "Town Hall" in text


def test_council_copy_is_archival_and_says_how_it_was_sent(printouts_service, form):
    pdf = printouts_service.completed_copy(form, submission(everything_answers()), for_council=True, archival=True)
    text = flat(pdf_text(pdf))
    assert "Council copy" in text and "helper-12" in text and "assisted" in text
    reader, root = catalog(pdf)
    metadata = reader.xmp_metadata
    assert metadata is not None and b"pdfaid" in metadata.stream.get_data()
    assert "/StructTreeRoot" in root


def test_pdf_is_tagged_with_language_and_title(printouts_service, form):
    pdf = printouts_service.completed_copy(form, submission(everything_answers()))
    reader, root = catalog(pdf)
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Apply for everything – Your copy – ET-7K4M-2QXT"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()


def _structure_types(pdf: bytes) -> dict:
    reader, root = catalog(pdf)
    found: dict = {}

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 60 or not hasattr(node, "get"):
            return
        kind = node.get("/S")
        if kind:
            found.setdefault(str(kind), []).append(node)
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get"):
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    return found


def test_structure_has_headings_tables_and_qr_alt_text(printouts_service, form):
    pdf = printouts_service.completed_copy(form, submission(everything_answers()))
    found = _structure_types(pdf)
    assert "/H1" in found and "/H2" in found
    assert "/Table" in found and "/TH" in found and "/TD" in found
    figures = found.get("/Figure", [])
    assert any("ET-7K4M-2QXT" in str(figure.get("/Alt", "")) for figure in figures)


def test_screen_readers_meet_each_question_then_its_answer_in_the_forms_order(printouts_service, form):
    pdf = printouts_service.completed_copy(form, submission(everything_answers()))
    rows = [(re.sub(r"^\d+\. ", "", header), cells) for header, cells in structure_rows(pdf) if cells]
    assert rows[:3] == [("Reference", ["ET-7K4M-2QXT"]), ("Sent", ["5 March 2026, 14:05"]), ("Form version", ["2026.2"])]
    answers = [(header, " ".join(cells)) for header, cells in rows[3:]]
    assert answers == [
        ("What is your name?", "Gwenllian Ŵyn-Jones"), ("What is your date of birth?", "5 March 1950"),
        ("What is your National Insurance number?", "QQ 12 34 56 C"),
        ("What is your address?", "1 Stryd Fawr Demotown DT1 1AA"),
        ("What is the postcode of your last address?", "Not provided"),
        ("What is your phone number?", "01632 960001"), ("What is your email address?", "Not provided"),
        ("Do you rent or own your home?", "I rent it"), ("How much rent do you pay each month?", "£450.00"),
        ("How many people pay towards the bills?", "2 people"),
        ("Which benefits do you get?", "Universal Credit Personal Independence Payment"),
        ("Does anyone else live with you?", "Yes"),
        ("Their full name", "ليلى حداد"), ("Their date of birth", "1 July 1980"),
        ("Their full name", "Dafydd Ŵyn"), ("Their date of birth", "20 January 2012"),
        ("Tell us anything else about your circumstances", "I look after my grandson three days a week."),
    ]
    labels = [q.label for page in form.pages for q in page.questions if q.type not in ("content", "declaration")]
    # The same order as the form definition asks them (a repeating group's questions once per item).
    asked = list(dict.fromkeys(header for header, _ in answers))
    assert asked == [label for label in labels if label in asked]


def test_non_latin_answers_extract(printouts_service, form):
    answers = everything_answers(circumstances="Rwy’n byw ger y bŵth ffôn. مرحبا بكم في المكتبة")
    answers["full-name"] = {"first": "ليلى", "last": "حداد"}
    pdf = printouts_service.completed_copy(form, submission(answers))
    text = pdf_text(pdf)
    assert "bŵth ffôn" in text
    assert "ليلى" in text and "حداد" in text
    assert "المكتبة" in text
    poppler = flat(poppler_text(pdf))  # a second, independent reader
    assert "bŵth ffôn" in poppler and "Gwenllian" not in poppler and "المكتبة" in poppler


def test_right_to_left_copy_sets_language_and_keeps_numbers_left_to_right(printouts_service, form):
    answers = everything_answers(circumstances="رقم الهاتف 01632 960 001 من فضلك")
    pdf = printouts_service.completed_copy(form, submission(answers, language="ar"), language="ar")
    reader, root = catalog(pdf)
    assert root["/Lang"] == "ar"
    text = flat(pdf_text(pdf))
    assert "01632 960 001" in text  # not "001 960 01632"
    assert "ET-7K4M-2QXT" in text
    html = printouts_service.completed_copy_html(form, submission(answers), language="ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<bdi dir="ltr" class="ltr">01632 960 001</bdi>' in html


def test_long_answer_renders_whole_without_overflow(printouts_service, form):
    words = ("My condition means that I cannot walk far without severe pain and I need to stop often. " * 60)
    long_answer = (words[:3480] + " THE-END-MARK").strip()
    assert len(long_answer) >= 3490
    pdf = printouts_service.completed_copy(form, submission(everything_answers(long_answer)))
    text = flat(pdf_text(pdf))
    assert "THE-END-MARK" in text
    assert text.count("I cannot walk far without severe pain") >= 38  # nothing cut off
    unbroken = "x" * 3500  # no spaces at all: must still wrap inside the page
    html = printouts_service.completed_copy_html(form, submission(everything_answers(unbroken)))
    assert_nothing_overflows(printouts_service.renderer, html)
    assert_nothing_overflows(printouts_service.renderer,
                             printouts_service.completed_copy_html(form, submission(everything_answers(long_answer))))


def assert_nothing_overflows(renderer, html):
    """Every line of text of every page lies within the page's content area."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from assist.printouts.assets import BASE_URL

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=renderer.fetcher).render(
        stylesheets=renderer.stylesheets, font_config=renderer.font_config)
    checked = 0
    for page in document.pages:
        page_box = page._page_box
        left = page_box.margin_left
        right = page.width - page_box.margin_right
        for child in page_box.children:
            if isinstance(child, boxes.MarginBox):
                continue
            for box in child.descendants():
                if isinstance(box, boxes.LineBox):
                    checked += 1
                    assert box.position_x >= left - 0.5, box
                    assert box.position_x + box.width <= right + 0.5, (box, box.position_x + box.width, right)
    assert checked > 50


# --- blank paper form ------------------------------------------------------------------------

def _quoted(labels) -> str:
    return "‘" + "’ or ‘".join(labels) + "’"


def _number_from(form, page_id: str):
    """The paper number of the first question to answer on ``page_id`` or after it (content is not numbered)."""
    numbered = [(page.id, q.id) for page in form.pages for q in page.questions if q.type != "content"]
    ids = [page.id for page in form.pages]
    later = [number for number, (on, _) in enumerate(numbered, start=1) if ids.index(on) >= ids.index(page_id)]
    return later[0] if later else None


def expected_route_lines(form, page) -> list[str]:
    """What the paper says after ``page`` for its routes, from the definition alone: one line per
    destination, every answer that leads there named."""
    by_destination: dict[tuple, list[str]] = {}
    for route in page.routes:
        label = page.questions[0].choice_label(route.if_value)
        by_destination.setdefault((route.goto, route.exit), []).append(label)
    lines = []
    for (goto, exit_id), labels in by_destination.items():
        answer = _quoted(labels)
        number = None if exit_id or goto == "check-answers" else _number_from(form, goto)
        if exit_id:
            lines.append(f"If you answered {answer}, you cannot use this form: {form.exits[exit_id].title}")
        elif number is None:
            lines.append(f"If you answered {answer}, go to the end of the form")
        else:
            lines.append(f"If you answered {answer}, go to question {number}")
    return lines


def expected_condition_line(form, page) -> str:
    """What the paper says before a page asked only for some answers, from the definition alone."""
    from assist.engine.conditions import Comparison
    from assist.engine.instructions import page_conditions

    condition = page.show_if
    said = page_conditions(form)[page.id]
    if not isinstance(condition, Comparison) or said is None or "questions" in said.template:
        return said.render() if said is not None else ""  # combined, or said once for a run of pages
    question = form.question(condition.question)
    values = condition.value if isinstance(condition.value, list) else [condition.value]
    answer = _quoted([question.choice_label(value) for value in values])
    number = [q.id for p in form.pages for q in p.questions if q.type != "content"].index(question.id) + 1
    what = {"equals": f"you answered {answer} to question {number}",
            "any_of": f"you answered {answer} to question {number}",
            "not_equals": f"you did not answer {answer} to question {number}",
            "includes": f"you selected {answer} in question {number}"}[condition.op]
    section = " section" if page.is_repeat or len(page.questions) > 1 else ""
    return f"Only answer this{section} if {what}"


@pytest.mark.parametrize("use_demo", [False, True], ids=["every-thing", "demo-forms"])
def test_blank_form_has_every_question_and_routing_instruction(printouts_service, form, use_demo):
    forms = demo_forms() if use_demo else [form]
    assert forms
    for each in forms:
        pdf = printouts_service.blank_form(each)
        text = flat(pdf_text(pdf))
        for question in each.questions():
            label = flat(question.label)
            number = each.number_of(question.id)
            assert label in text, (each.id, question.id)
            if number:
                assert f"{number} {label}" in text, (each.id, question.id)
        routed = 0
        for page in each.pages:
            for line in expected_route_lines(each, page):
                assert flat(line) in text, (each.id, page.id, line)
                routed += 1
            if page.show_if:
                assert flat(expected_condition_line(each, page)) in text, (each.id, page.id)
        assert routed or not any(page.routes for page in each.pages)


def test_blank_form_write_in_boxes_and_instructions(printouts_service, form):
    html = printouts_service.blank_form_html(form)
    text = flat(pdf_text(printouts_service.blank_form(form)))
    assert "Tick one" in text and "Tick all that apply" in text
    assert "Day Month Year" in text
    assert "If you answered ‘I own it’, go to question 10" in text
    assert "If you answered ‘Something else’, you cannot use this form: We cannot help with this form" in text
    assert "Call us on 01632 960 100." in text  # the exit page's next steps are printed
    assert "Only answer this section if you answered ‘Yes’ to question 12" in text
    assert "Only answer this if you selected ‘Personal Independence Payment’ in question 11" in text
    assert "Person 1" in text and "Person 3" in text and "Person 4" not in text
    assert "If you need to tell us about more than 3, use a separate sheet of paper" in text
    assert "Signature" in text and "Name, in capital letters" in text
    assert "Where to send or bring this form" in text and "Town Hall" in text
    assert "your National Insurance number" in text and "a recent gas bill" in text
    ni = html.split('id="q-ni-number"')[1].split('id="q-')[0]
    assert ni.count('class="char"') == 9
    postcode = html.split('id="q-postcode-only"')[1].split('id="q-')[0]
    assert postcode.count('class="char"') == 7
    date = html.split('id="q-date-of-birth"')[1].split('id="q-')[0]
    assert date.count('class="char"') == 8
    long_text = html.split('id="q-circumstances"')[1].split('id="q-')[0]
    assert long_text.count('class="line"') >= 8
    assert "display: flex" not in html and "display: grid" not in html


def test_blank_form_every_page_has_form_version_and_paper_reference(printouts_service, form):
    from assist.printouts import paper_reference

    pdf = printouts_service.blank_form(form)
    reference = paper_reference(form, "en")
    assert reference.startswith("PAPER-ET-2026.2-EN-")
    pages = pdf_pages(pdf)
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        page = flat(page)
        assert reference in page
        assert "Form every-thing, version 2026.2" in page
        assert f"Page {number} of {len(pages)}" in page
    # The QR code of the paper reference is drawn in every page's top right-hand corner. WeasyPrint
    # draws the SVG as paths in the page itself (no image XObject), so each page is rendered and the
    # code's modules are read off the picture and compared with the code segno makes of the reference.
    expected = [[bool(module) for module in row] for row in segno.make(reference, error="m", micro=False).matrix]
    drawn = margin_qr_modules(pdf, len(expected))
    assert len(drawn) == len(pages)
    for number, modules in enumerate(drawn, start=1):
        assert modules == expected, f"page {number}: not the QR code of {reference}"


def test_blank_form_is_cached_in_memory_and_on_disk(tmp_path, form):
    from assist.printouts import Printouts

    printouts = Printouts(fake_config(tmp_path))
    first = printouts.blank_form(form, language="cy")
    files = list((tmp_path / "printouts").glob("*.pdf"))
    assert len(files) == 1 and files[0].name.startswith("every-thing-2026.2-cy-")
    assert printouts.blank_form(form, language="cy") is first  # the very same bytes: not rendered again
    fresh = Printouts(fake_config(tmp_path), renderer=printouts.renderer)  # another process, same files
    assert fresh.blank_form(form, language="cy") == first
    assert printouts.blank_form(form, language="en") != first


def test_welsh_blank_form_sets_language(printouts_service, form):
    pdf = printouts_service.blank_form(form, language="cy")
    reader, root = catalog(pdf)
    assert root["/Lang"] == "cy"
    assert "PAPER-ET-2026.2-CY-" in flat(pdf_text(pdf))


def test_paper_reference_identifies_form_version_and_language(form):
    from assist.printouts import paper_reference, parse_paper_reference

    reference = paper_reference(form, "cy")
    assert parse_paper_reference(reference, [form]) == (form, "2026.2", "cy")
    assert parse_paper_reference(reference.lower().replace("-", " "), {form.id: form}) == (form, "2026.2", "cy")
    assert paper_reference(form, "en") != reference
    wrong_version = reference.replace("2026.2", "2026.3")
    assert parse_paper_reference(wrong_version, [form]) is None
    code = reference.rsplit("-", 1)[1]
    swapped = reference[:-4] + code[1] + code[0] + code[2:]
    if swapped != reference:
        assert parse_paper_reference(swapped, [form]) is None
    assert parse_paper_reference("BB-7K4M-2QXT", [form]) is None


# --- slip and checklist ----------------------------------------------------------------------

def test_carry_on_slip_shows_code_expiry_progress_and_no_answers(printouts_service, form):
    pdf = printouts_service.carry_on_slip(form, code="K7M4-X2QT", expires=dt.date(2026, 4, 1), answered=7,
                                          total=15, reached="What is your address?")
    text = flat(pdf_text(pdf))
    assert "K7M4-X2QT" in text and "1 April 2026" in text and "7 of 15 questions answered" in text
    assert "Apply for everything" in text and "What is your address?" in text
    assert "your date of birth" in text
    assert "Gwenllian" not in text
    figures = _structure_types(pdf).get("/Figure", [])
    assert any("K7M4-X2QT" in str(f.get("/Alt", "")) for f in figures)


def test_what_to_bring_checklist(printouts_service, form):
    text = flat(pdf_text(printouts_service.checklist(form)))
    assert "What to bring" in text
    assert "your National Insurance number" in text and "a recent gas bill" in text
    assert "About you" in text and "Your household" in text


# --- the URL fetcher -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://example.com/x.png", "https://example.com/x.css", "file:///etc/passwd", "ftp://example.com/x",
    "assist-printouts:///../assist/config.py", "assist-printouts://host/print.css",
    "assist-printouts:///%2e%2e/setup.cfg", "assist-printouts:///missing.css",
])
def test_url_fetcher_refuses_network_and_files(url):
    from assist.printouts import AssetFetcher, RefusedURL

    with pytest.raises(RefusedURL):
        AssetFetcher().fetch(url)


def test_url_fetcher_serves_own_assets_and_data_urls():
    from assist.printouts import AssetFetcher

    fetcher = AssetFetcher()
    assert b"@page" in fetcher.fetch("assist-printouts:///print.css").read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


def test_rendering_never_fetches_from_network_or_files(printouts_service, monkeypatch, caplog):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("tried to open a URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    renderer = printouts_service.renderer
    html = ('<html lang="en"><head><title>t</title><link rel="stylesheet" href="https://evil.example/x.css">'
            '</head><body><img src="http://evil.example/x.png" alt="x"><img src="file:///etc/hostname" alt="y">'
            '<p>safe</p></body></html>')
    with caplog.at_level("ERROR"):
        pdf = renderer.pdf(html)
    assert pdf.startswith(b"%PDF")
    assert "printouts only load their own files" in caplog.text


def test_answers_cannot_inject_markup(printouts_service, form):
    answers = everything_answers(circumstances='<img src="http://evil.example/x.png"> <b>bold</b>')
    html = printouts_service.completed_copy_html(form, submission(answers))
    assert "<img src=\"http://evil.example" not in html
    assert "&lt;img src=" in html


@pytest.mark.parametrize("strange", [5, {"a": 1}, ["x", 3], True, "not a date", ""])
def test_strange_stored_answers_never_break_the_copy(printouts_service, form, strange):
    answers = everything_answers()
    for key in ("date-of-birth", "benefits", "tenure", "address", "full-name", "rent", "income", "household"):
        answers[key] = strange
    html = printouts_service.completed_copy_html(form, submission(answers))
    assert "ET-7K4M-2QXT" in html


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_repeating_groups_slots_stay_whole_on_a_page(printouts_service, language):
    """School meals: each child's four questions (twenty schools, fourteen year groups) on one page,
    long lists of short options printed in columns so a slot fits; the group's heading never left
    alone on a page (Arabic lines are taller)."""
    from babel.support import Translations

    form = next(each for each in demo_forms() if each.id == "school-meals")
    catalogue = Translations.load(str(Path(__file__).resolve().parent.parent / "translations"), [language])
    pdf = printouts_service.blank_form(form, language=language, gettext=catalogue.gettext)
    pages = [flat(text) for text in pdf_pages(pdf)]
    label = flat(catalogue.gettext("What is the child’s full name?"))
    year = flat(catalogue.gettext("What year are they in?"))
    children = [n for n in range(len(pages)) for _ in range(pages[n].count(label))]
    years = [n for n in range(len(pages)) for _ in range(pages[n].count(year))]
    assert len(children) == 3 and children == years
    assert len(pages) <= 10
    # No page but the last is nearly empty (only its running header, a heading and its number).
    assert all(len(text) > 300 for text in pages[:-1]), [len(text) for text in pages]
