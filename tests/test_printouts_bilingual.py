"""Bilingual printouts: Welsh and English on one paper form or copy (``cy+en``), answers once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo

from assist.i18n.catalogues import catalogue
from printouts_support import catalog, fake_config, flat, pdf_text

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {"bin-type": "recycling", "postcode": "SW1A 1AA", "street-address": "14 Station Road",
           "collection-date": "2026-03-24", "bin-out-in-time": "yes", "more-details": None,
           "phone": "+447700900982", "email": None}


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The Welsh catalogue compiled afresh from translations/cy (as `make` does)."""
    directory = tmp_path_factory.mktemp("translations")
    (directory / "cy" / "LC_MESSAGES").mkdir(parents=True)
    with open(directory / "cy" / "LC_MESSAGES" / "messages.mo", "wb") as fileobj:
        write_mo(fileobj, catalogue("cy"))
    return directory


@pytest.fixture(scope="module")
def gettexts(compiled):
    from assist.printouts.i18n import gettext_for

    return gettext_for("cy", compiled), gettext_for("en", compiled)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    from assist.printouts import Printouts

    return Printouts(fake_config(tmp_path_factory.mktemp("printouts-data")))


@pytest.fixture(scope="module")
def missed_bin():
    from assist.engine import load_form

    return load_form(ROOT / "forms" / "missed-bin.toml")


def submission(language):
    return {"reference": "MB-7K4M-2QXT", "form_id": "missed-bin", "form_version": "2026.1",
            "submitted_at": "2026-03-25T10:05:00+00:00", "mode": "assisted", "venue_id": "central-library",
            "helper_id": "helper-1", "language": language, "answers": dict(ANSWERS)}


def struct_languages(pdf: bytes) -> dict[str, int]:
    """How many tagged elements carry each ``/Lang`` in the PDF's structure tree."""
    reader, root = catalog(pdf)
    counts: dict[str, int] = {}
    stack = [root["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if "/Lang" in node:
            counts[str(node["/Lang"])] = counts.get(str(node["/Lang"]), 0) + 1
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        stack.extend(kids if isinstance(kids, list) else [kids])
    return counts


# --- the bilingual text ----------------------------------------------------------------------

def test_bilingual_text_as_html_plain_text_and_format():
    from markupsafe import escape

    from assist.printouts.bilingual import Bilingual, both, merge
    from assist.printouts.renderer import bidi, paragraphs

    text = Bilingual("Cyfeirnod {reference} <b>", "Reference {reference} <b>")
    assert str(text) == "Cyfeirnod {reference} <b> / Reference {reference} <b>"
    html = str(escape(text))
    assert '<span lang="cy" class="bi bi-first">Cyfeirnod {reference} &lt;b&gt;</span>' in html
    assert '<span lang="en" class="bi bi-second">Reference {reference} &lt;b&gt;</span>' in html
    assert '<span lang="cy"' in str(bidi(text)) and "&lt;span" not in str(bidi(text))
    filled = text.format(reference="AB-1")
    assert (filled.first, filled.second) == ("Cyfeirnod AB-1 <b>", "Reference AB-1 <b>")
    place = Bilingual("Yn {venue}.", "At {venue}.").format(venue=Bilingual("Llyfrgell", "Library"))
    assert (place.first, place.second) == ("Yn Llyfrgell.", "At Library.")
    assert both("Demo Borough Council", "Demo Borough Council") == "Demo Borough Council"
    assert not isinstance(both("same", "same"), Bilingual)
    pairs = paragraphs(Bilingual("Un.\n\nDau.", "One.\n\nTwo."))
    assert [(p.first, p.second) for p in pairs] == [("Un.", "One."), ("Dau.", "Two.")]
    merged = merge({"document_title": "T cy", "lines": ["Ailgylchu"], "n": 1},
                   {"document_title": "T en", "lines": ["Recycling"], "n": 1})
    assert merged == {"document_title": "T cy / T en", "lines": ["Ailgylchu"], "n": 1}
    assert type(merged["document_title"]) is str


# --- blank paper form ------------------------------------------------------------------------

def test_bilingual_blank_form_has_every_question_in_welsh_and_english(service, missed_bin, gettexts):
    welsh, english = gettexts
    pdf = service.blank_form_bilingual(missed_bin, gettexts=gettexts)
    text = flat(pdf_text(pdf))
    translated = 0
    for question in missed_bin.questions():
        assert flat(english(question.label)) in text, question.id
        assert flat(welsh(question.label)) in text, question.id
        translated += welsh(question.label) != english(question.label)
    assert translated == len(list(missed_bin.questions())), "the demo form should be fully translated"
    # Interface text in both languages, Welsh first.
    for welsh_text, english_text in (("Sut i lenwi’r ffurflen hon", "How to fill in this form"),
                                     ("Datganiad", "Declaration")):
        assert welsh_text in text and english_text in text
        assert text.index(welsh_text) < text.index(english_text)
    assert "Tudalen 1 o" in text and "Page 1 of" in text
    # The PDF says Welsh for the document, and marks each span's language in its structure.
    reader, root = catalog(pdf)
    assert root["/Lang"] == "cy" and "/StructTreeRoot" in root
    languages = struct_languages(pdf)
    assert languages.get("cy", 0) > 20 and languages.get("en", 0) > 20, languages
    # Document title (shown by viewers) is plain text in both languages.
    assert "/" in str(reader.metadata.title) and "<span" not in str(reader.metadata.title)


def test_bilingual_blank_form_is_cached_apart_from_the_welsh_one(service, missed_bin, gettexts):
    from assist.printouts.bilingual import BILINGUAL

    welsh, _ = gettexts
    assert service.blank_key(missed_bin, BILINGUAL) != service.blank_key(missed_bin, "cy")
    assert BILINGUAL in service.blank_key(missed_bin, BILINGUAL)
    both_languages = service.blank_form_bilingual(missed_bin, gettexts=gettexts)
    welsh_only = service.blank_form(missed_bin, language="cy", gettext=welsh)
    assert both_languages != welsh_only
    assert service.blank_form_bilingual(missed_bin, gettexts=gettexts) is both_languages  # from memory
    files = [p.name for p in service.cache.directory.glob("*.pdf")]
    assert any("-cy+en-" in name for name in files) and any("-cy-" in name for name in files)


def test_bilingual_blank_html_uses_no_flexbox_or_grid(service, missed_bin, gettexts):
    html = service.blank_form_bilingual_html(missed_bin, gettexts=gettexts)
    assert '<html lang="cy"' in html and 'lang="en"' in html
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "printouts" / "print.css").read_text(encoding="utf-8"), flags=re.S)
    assert not re.search(r"display:\s*(inline-)?(flex|grid)|\bflex[-:]|\bgrid[-:]", css)


# --- completed copy --------------------------------------------------------------------------

def test_bilingual_copy_has_both_languages_headings_and_answers_once(service, missed_bin, gettexts):
    welsh, english = gettexts
    pdf = service.completed_copy_bilingual(missed_bin, submission("cy"), gettexts=gettexts)
    text = flat(pdf_text(pdf))
    for welsh_text, english_text in (("Eich atebion", "Your answers"), ("Cysylltu â ni", "Contact us"),
                                     ("Eich copi", "Your copy")):
        assert welsh_text in text and english_text in text, (welsh_text, english_text)
    for question in missed_bin.questions():
        if question.id in ANSWERS:
            assert flat(welsh(question.label)) in text and flat(english(question.label)) in text, question.id
    # Answers once, in the language the form was filled in.
    assert text.count("14 Station Road") == 1
    assert text.count("Ailgylchu") == 1 and "Recycling" not in text
    assert text.count("24 Mawrth 2026") == 1 and "24 March 2026" not in text
    assert text.count("MB-7K4M-2QXT") >= 2
    reader, root = catalog(pdf)
    assert root["/Lang"] == "cy"
    languages = struct_languages(pdf)
    assert languages.get("cy") and languages.get("en")

    english_copy = flat(pdf_text(service.completed_copy_bilingual(missed_bin, submission("en"), gettexts=gettexts)))
    assert english_copy.count("Recycling") == 1 and "Ailgylchu" not in english_copy
    assert "Eich atebion" in english_copy and "Your answers" in english_copy


def test_bilingual_council_copy_is_archival(service, missed_bin, gettexts):
    pdf = service.completed_copy_bilingual(missed_bin, submission("cy"), gettexts=gettexts,
                                           for_council=True, archival=True)
    text = flat(pdf_text(pdf))
    # Bilingual: every heading in both languages, Welsh first.
    assert "Copi’r cyngor" in text and "Council copy" in text
    assert text.index("Copi’r cyngor") < text.index("Council copy")
    assert "Ar gyfer y cyngor" in text and "For the council" in text
    reader, root = catalog(pdf)
    assert b"pdfaid" in reader.xmp_metadata.stream.get_data() and "/StructTreeRoot" in root


# --- web and command line --------------------------------------------------------------------

def test_web_bilingual_paper_form_and_links(client, app):
    from assist.printouts.bilingual import available

    form = app.extensions["assist.forms"]["missed-bin"]
    if not available(app.extensions["assist.config"].languages.available):
        assert client.get(f"/print/forms/{form.id}/paper-form.pdf?language=cy%2Ben").status_code == 404
        return
    response = client.get(f"/print/forms/{form.id}/paper-form.pdf?language=cy%2Ben")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "cy-en.pdf" in response.headers["Content-Disposition"]
    reader, root = catalog(response.data)
    assert root["/Lang"] == "cy"
    text = flat(pdf_text(response.data))
    assert "How to fill in this form" in text and "Sut i lenwi’r ffurflen hon" in text
    # A "+" typed into the address arrives as a space: the same form.
    assert client.get(f"/print/forms/{form.id}/paper-form.pdf?language=cy+en").data == response.data
    link = f'href="/print/forms/{form.id}/paper-form.pdf?language=cy%2Ben"'
    assert link in client.get("/print/").get_data(as_text=True)
    start = client.get(f"/forms/{form.id}/").get_data(as_text=True)
    assert link in start and '<span lang="cy">Cymraeg</span> / <span lang="en">English</span>' in start


def test_web_bilingual_not_offered_without_welsh(client, app, monkeypatch):
    import dataclasses

    config = app.extensions["assist.config"]
    without = tuple(code for code in config.languages.available if code != "cy")
    monkeypatch.setitem(app.extensions, "assist.config", dataclasses.replace(
        config, languages=dataclasses.replace(config.languages, available=without)))
    form = app.extensions["assist.forms"]["missed-bin"]
    assert client.get(f"/print/forms/{form.id}/paper-form.pdf?language=cy%2Ben").status_code == 404
    assert "language=cy%2Ben" not in client.get("/print/").get_data(as_text=True)
    assert "language=cy%2Ben" not in client.get(f"/forms/{form.id}/").get_data(as_text=True)


def test_cli_bilingual_blank_form(app, tmp_path):
    from assist.printouts.bilingual import available

    if not available(app.extensions["assist.config"].languages.available):
        pytest.skip("Welsh and English are not both configured")
    output = tmp_path / "missed-bin-cy-en.pdf"
    result = app.test_cli_runner().invoke(args=["print", "blank", "missed-bin", "--bilingual", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(output.read_bytes()))
    assert "How to fill in this form" in text and "Sut i lenwi’r ffurflen hon" in text


def test_cli_and_web_bilingual_copy(app, client, tmp_path):
    from assist.printouts.bilingual import available
    from test_printouts_web import submit

    if not available(app.extensions["assist.config"].languages.available):
        pytest.skip("Welsh and English are not both configured")
    form = app.extensions["assist.forms"]["missed-bin"]
    reference = submit(client, form)
    response = client.get(f"/print/copy/{reference}.pdf?language=cy%2Ben")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = flat(pdf_text(response.data))
    assert "Eich atebion" in text and "Your answers" in text and reference in text
    assert app.test_client().get(f"/print/copy/{reference}.pdf?language=cy%2Ben").status_code == 404
    output = tmp_path / "copy-cy-en.pdf"
    result = app.test_cli_runner().invoke(args=["print", "copy", reference, "--bilingual", "--council",
                                                "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(output.read_bytes()))
    assert "Copi’r cyngor" in text and "Council copy" in text and reference in text
