"""Printing from the web: the resident's copy, paper forms, checklists, slips, print lists, and the CLI."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from support import complete_form
from printouts_support import catalog, flat, pdf_text

REFERENCE = re.compile(r'class="assist-reference" dir="ltr">([A-Z0-9-]+)<')


def demo_forms(app):
    return list(app.extensions["assist.forms"].values())


def submit(client, form) -> str:
    html = complete_form(client, form)
    match = REFERENCE.search(html)
    assert match, "no reference on the confirmation page"
    reference = match.group(1)
    assert f'href="/print/copy/{reference}"' in html  # the copy opens inside a page of the app
    assert "Print your copy" in html
    return reference


def test_resident_copy_for_the_session_that_sent_it(client, app):
    form = demo_forms(app)[0]
    reference = submit(client, form)
    response = client.get(f"/print/copy/{reference}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("inline")
    text = flat(pdf_text(response.data))
    assert reference in text
    assert "Sam Example" in text  # the name the walker typed, whole
    assert "Page 1 of" in text
    reader, root = catalog(response.data)
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"


def test_resident_copy_refused_to_anyone_else(client, app):
    form = demo_forms(app)[0]
    reference = submit(client, form)
    other = app.test_client()
    assert other.get(f"/print/copy/{reference}.pdf").status_code == 404
    assert client.get("/print/copy/BB-2222-2222.pdf").status_code == 404


def test_resident_copy_only_for_the_latest_submission(client, app):
    forms = demo_forms(app)
    first = submit(client, forms[0])
    second = submit(client, forms[-1] if len(forms) > 1 else forms[0])
    assert client.get(f"/print/copy/{second}.pdf").status_code == 200
    if second != first:
        assert client.get(f"/print/copy/{first}.pdf").status_code == 404


def test_start_page_links_to_paper_form_and_checklist(client, app):
    for form in demo_forms(app):
        html = client.get(f"/forms/{form.id}/").get_data(as_text=True)
        assert f'href="/print/forms/{form.id}/paper-form.pdf"' in html
        assert f'href="/print/forms/{form.id}/what-to-bring.pdf"' in html


def test_paper_form_pdf_has_every_question_and_is_cached(client, app):
    for form in demo_forms(app):
        response = client.get(f"/print/forms/{form.id}/paper-form.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = flat(pdf_text(response.data))
        for question in form.questions():
            assert flat(question.label) in text, (form.id, question.id)
        again = client.get(f"/print/forms/{form.id}/paper-form.pdf")
        assert again.data == response.data
    cached = list((app.extensions["assist.config"].data_dir / "printouts").glob("*.pdf"))
    assert len(cached) == len(demo_forms(app))


def test_paper_form_in_another_language(client, app):
    form = demo_forms(app)[0]
    languages = app.extensions["assist.config"].languages.available
    other = next((code for code in languages if code != "en"), None)
    if other is None:
        pytest.skip("only one language configured")
    response = client.get(f"/print/forms/{form.id}/paper-form.pdf?language={other}")
    assert response.status_code == 200
    reader, root = catalog(response.data)
    assert root["/Lang"] == other
    assert f"-{other.upper()}-" in flat(pdf_text(response.data))
    assert client.get(f"/print/forms/{form.id}/paper-form.pdf?language=xx").status_code == 404
    assert client.get("/print/forms/no-such-form/paper-form.pdf").status_code == 404


def test_what_to_bring_pdf(client, app):
    form = next(f for f in demo_forms(app) if f.what_to_bring)
    response = client.get(f"/print/forms/{form.id}/what-to-bring.pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data))
    assert flat(form.what_to_bring[0]) in text


def test_carry_on_slip_is_404_without_a_saved_form(client):
    response = client.get("/print/carry-on/K7M4-X2QT.pdf")
    assert response.status_code == 404
    assert "There is no saved form with this code" in response.get_data(as_text=True)


def test_carry_on_slip_from_a_resume_lookup(client, app):
    form = demo_forms(app)[0]
    saved = {"form_id": form.id, "code": "K7M4-X2QT", "expires": dt.date(2026, 4, 1), "answered": 4, "total": 12,
             "reached": form.pages[2].heading}
    app.extensions["assist.resume_lookup"] = lambda code: saved if code == "K7M4-X2QT" else None
    response = client.get("/print/carry-on/K7M4-X2QT.pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = flat(pdf_text(response.data))
    assert "K7M4-X2QT" in text and "1 April 2026" in text and "4 of 12 questions answered" in text
    assert client.get("/print/carry-on/2222-2222.pdf").status_code == 404


def test_print_lists(client, app):
    html = client.get("/print/").get_data(as_text=True)
    for form in demo_forms(app):
        assert f'href="/print/forms/{form.id}/paper-form.pdf?language=en"' in html
        assert f'href="/print/forms/{form.id}/what-to-bring.pdf"' in html
    venues = app.extensions["assist.config"].venues
    for venue in venues:
        assert f'href="/print/venues/{venue.id}"' in html
        page = client.get(f"/print/venues/{venue.id}")
        assert page.status_code == 200
        assert venue.name in page.get_data(as_text=True)
    assert client.get("/print/venues/no-such-venue").status_code == 404


# --- the command line ------------------------------------------------------------------------

def test_cli_print_blank(app, tmp_path):
    form = demo_forms(app)[0]
    output = tmp_path / "blank.pdf"
    result = app.test_cli_runner().invoke(args=["print", "blank", form.id, "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = flat(pdf_text(output.read_bytes()))
    assert flat(form.title) in text and "PAPER-" in text
    result = app.test_cli_runner().invoke(args=["print", "blank", "no-such-form", "-o", str(output)])
    assert result.exit_code != 0 and "no form" in result.output
    result = app.test_cli_runner().invoke(args=["print", "blank", form.id, "--lang", "xx", "-o", str(output)])
    assert result.exit_code != 0


def test_cli_print_copy(app, client, tmp_path):
    form = demo_forms(app)[0]
    reference = submit(client, form)
    output = tmp_path / "copy.pdf"
    result = app.test_cli_runner().invoke(args=["print", "copy", reference.lower(), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert reference in flat(pdf_text(output.read_bytes()))
    council = tmp_path / "council.pdf"
    result = app.test_cli_runner().invoke(args=["print", "copy", reference, "--council", "-o", str(council)])
    assert result.exit_code == 0, result.output
    assert "Council copy" in flat(pdf_text(council.read_bytes()))
    reader, root = catalog(council.read_bytes())
    assert b"pdfaid" in reader.xmp_metadata.stream.get_data()
    result = app.test_cli_runner().invoke(args=["print", "copy", "BB-2222-2222", "-o", str(output)])
    assert result.exit_code != 0


def test_the_copy_opens_inside_a_page_of_the_app_with_print(client, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    reference = submit(client, form)
    page = client.get(f"/print/copy/{reference}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"].startswith("no-store")
    assert f'src="/print/copy/{reference}.pdf"' in html and "Print your copy" in html
    assert app.test_client().get(f"/print/copy/{reference}").status_code == 404  # only for the session that sent it


def test_on_a_kiosk_the_copy_is_never_the_top_level_document(client, app):
    assert client.get("/kiosk/central-library").status_code == 200
    reference = submit(client, app.extensions["assist.forms"]["missed-bin"])
    top = client.get(f"/print/copy/{reference}.pdf", headers={"Sec-Fetch-Dest": "document"})
    assert top.status_code == 303 and top.headers["Location"].endswith(f"/print/copy/{reference}")
    framed = client.get(f"/print/copy/{reference}.pdf", headers={"Sec-Fetch-Dest": "iframe"})
    assert framed.status_code == 200 and framed.data.startswith(b"%PDF")
    assert framed.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed.headers["Content-Security-Policy"]
    page = client.get(f"/print/copy/{reference}")
    assert page.headers["X-Frame-Options"] == "DENY"  # every other page stays unframeable
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_on_a_residents_own_device_the_pdf_still_opens_on_its_own(client, app):
    reference = submit(client, app.extensions["assist.forms"]["missed-bin"])
    own = client.get(f"/print/copy/{reference}.pdf", headers={"Sec-Fetch-Dest": "document"})
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
