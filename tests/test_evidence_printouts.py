"""Evidence on paper: the council's copy carries the photos (tagged, with alt text naming the question
and the file) and lists the PDFs; the resident's copy only names what was sent; the blank paper form
says what to attach and where to stick the photo; the checklist says what to bring."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from admin_support import ADMIN_ID, people, sign_in_at  # noqa: F401 - people is a fixture
from assisted_support import app, client, clock, store  # noqa: F401 - fixtures
from printouts_support import fake_config, flat, pdf_text, poppler_text, printouts_service  # noqa: F401
from evidence_support import example_pdf
from support import example_photo

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "BB-ABCD-EFGH"
MM = 96 / 25.4  # CSS pixels (the structure tree's layout boxes) per millimetre


def _document_photo(width: int, height: int) -> bytes:
    """A JPEG like a photo of a letter: a coloured letterhead and lines of "text"."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, width - 40, 160), fill=(30, 60, 120))
    for y in range(220, height - 60, 40):
        draw.rectangle((60, y, width - 60 - (y * 7 % 300), y + 14), fill=(90, 90, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=75)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def blue_badge():
    from assist.engine import load_form

    return load_form(ROOT / "forms" / "blue-badge.toml")


def submit_blue_badge(db, form, *, keep_all: bool = False) -> str:
    """A Blue Badge submission through the store, as the journey makes it: a passport-style photo,
    two photos and a 3-page PDF of the award letter, and proof of address (a photo, and a second
    photo whose bytes are gone unless ``keep_all``)."""
    journey = db.start_journey(form.id, form.version, "en", mode="assisted")

    def add(question_id, media_type, data, name, width=None, height=None, pages=None):
        file_id = db.add_evidence(journey, question_id, media_type, data, None)
        return {"id": file_id, "name": name, "type": media_type, "size": len(data), "width": width,
                "height": height, "pages": pages}

    gone = add("proof-of-address", "image/jpeg", _document_photo(800, 1100), "bank-letter.jpg", 800, 1100)
    answers = {
        "who-for": "myself", "lives-in-area": "yes", "mobility-benefit": "yes",
        "full-name": {"first": "Sam", "last": "Example"}, "date-of-birth": "1950-03-05", "ni-number": "QQ123456C",
        "address": {"line1": "1 High Street", "line2": "", "town": "Demotown", "county": "", "postcode": "SW1A 1AA"},
        "phone": "+441632960001", "email": None, "had-badge-before": "no",
        "health-conditions": "Arthritis in both knees.",
        "photo": [add("photo", "image/jpeg", example_photo(700, 900), "IMG_0001.jpg", 700, 900)],
        "proof-of-benefit": [
            add("proof-of-benefit", "image/jpeg", _document_photo(1500, 2000), "IMG_0042.jpg", 1500, 2000),
            add("proof-of-benefit", "image/jpeg", _document_photo(2000, 1500), "IMG_0043.jpg", 2000, 1500),
            add("proof-of-benefit", "application/pdf", example_pdf(3), "statement.pdf", pages=3),
        ],
        "proof-of-address": [add("proof-of-address", "image/jpeg", _document_photo(1400, 2000), "council-tax.jpg",
                                 1400, 2000), gone],
        "sharing-information": True,
    }
    db.save_answers(journey, answers, "sharing-information")
    if not keep_all:  # deleted under retention, say: the answer still names it
        with db.transaction() as connection:
            connection.execute("delete from evidence where id = ?", [gone["id"]])
    return db.submit(journey, lambda: REFERENCE, answers)


@pytest.fixture
def sent(store, blue_badge):  # noqa: F811
    reference = submit_blue_badge(store, blue_badge)
    return store.get_submission(reference), store.submission_evidence(reference)


@pytest.fixture
def council_copy(printouts_service, blue_badge, sent):  # noqa: F811
    submission, evidence = sent
    return printouts_service.completed_copy(blue_badge, submission, for_council=True, archival=True,
                                            evidence=evidence)


def image_objects(pdf: bytes) -> dict[int, tuple[int, int]]:
    """Every image XObject drawn on the PDF's pages (inside form XObjects too): ``{object number: (w, h)}``."""
    from pypdf import PdfReader

    found: dict[int, tuple[int, int]] = {}

    def look(resources, depth=0):
        xobjects = (resources or {}).get("/XObject") or {}
        for reference in xobjects.values():
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Image":
                found[reference.idnum] = (int(xobject["/Width"]), int(xobject["/Height"]))
            elif xobject.get("/Subtype") == "/Form" and depth < 5:
                look(xobject.get("/Resources"), depth + 1)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        look(page.get("/Resources"))
    return found


def figures(pdf: bytes) -> list[dict]:
    """The Figure elements of the PDF's structure tree, in order, with their alt text and layout box."""
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found = []

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 80 or not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            box = [float(v) for v in (node.get("/A") or {}).get("/BBox", [0, 0, 0, 0])]
            found.append({"alt": str(node.get("/Alt", "")), "width": (box[2] - box[0]) / MM,
                          "height": (box[3] - box[1]) / MM})
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                walk(kid, depth + 1)

    walk(root["/StructTreeRoot"])
    return found


# --- the council's copy ----------------------------------------------------------------------

def test_council_copy_embeds_every_photo_kept(council_copy):
    images = image_objects(council_copy)
    # the passport-style photo (printed twice, embedded once), two award letter pages, the council tax bill
    assert sorted(images.values()) == sorted([(700, 900), (1500, 2000), (2000, 1500), (1400, 2000)])


def test_each_photo_is_a_figure_whose_alt_text_names_the_question_and_the_file(council_copy):
    alts = [figure["alt"] for figure in figures(council_copy)]
    assert "Add your benefit award letter: photo 1 of 2, IMG_0042.jpg" in alts
    assert "Add your benefit award letter: photo 2 of 2, IMG_0043.jpg" in alts
    assert "Add proof of your address: photo 1 of 2, council-tax.jpg" in alts
    assert "Add a photo of your face for the badge: IMG_0001.jpg, at passport size (35mm by 45mm)" in alts
    assert "Add a photo of your face for the badge: IMG_0001.jpg, larger view" in alts


def test_photos_fit_the_text_column_and_at_most_sixty_percent_of_a_page(council_copy):
    photos = [f for f in figures(council_copy) if "photo" in f["alt"] and "IMG_00" in f["alt"]]
    assert photos
    for figure in photos:
        assert figure["width"] <= 178.5 and figure["height"] <= 0.6 * 257 + 0.5, figure


def test_the_passport_style_photo_is_printed_at_passport_size_and_larger(council_copy):
    passport = next(f for f in figures(council_copy) if "at passport size" in f["alt"])
    assert passport["width"] == pytest.approx(35, abs=0.5) and passport["height"] == pytest.approx(45, abs=0.5)
    larger = next(f for f in figures(council_copy) if "larger view" in f["alt"])
    assert larger["width"] > 60 and larger["height"] > 80


def test_evidence_comes_straight_after_the_question_it_answers(printouts_service, blue_badge, sent):  # noqa: F811
    submission, evidence = sent
    html = printouts_service.completed_copy_html(blue_badge, submission, for_council=True, evidence=evidence)
    order = [html.index(text) for text in (
        "Add a photo of your face for the badge</bdi>", 'alt="Add a photo of your face',
        "Add your benefit award letter</bdi>", 'alt="Add your benefit award letter: photo 1 of 2',
        "– PDF, 3 pages – sent", "Add proof of your address</bdi>",
        'alt="Add proof of your address: photo 1 of 2', "Declaration")]
    assert order == sorted(order)
    assert 'src="data:image/jpeg;base64,' in html


def test_a_pdf_is_listed_with_its_page_count_and_a_file_no_longer_kept_says_so(council_copy):
    text = flat(pdf_text(council_copy))
    assert "statement.pdf – PDF, 3 pages – sent with this application" in text
    assert "bank-letter.jpg The file is no longer kept" in text


def test_a_council_copy_without_the_files_given_still_names_them(printouts_service, blue_badge, sent):  # noqa: F811
    submission, _ = sent
    pdf = printouts_service.completed_copy(blue_badge, submission, for_council=True)
    assert image_objects(pdf) == {}
    assert "IMG_0042.jpg (photo)" in flat(pdf_text(pdf))


@pytest.fixture(scope="module")
def gettexts(tmp_path_factory):
    """``gettext`` for Welsh, Arabic and English, from the catalogues compiled afresh."""
    from babel.messages.mofile import write_mo

    from assist.i18n.catalogues import catalogue
    from assist.printouts import gettext_for

    directory = tmp_path_factory.mktemp("translations")
    for language in ("cy", "ar"):
        (directory / language / "LC_MESSAGES").mkdir(parents=True)
        with open(directory / language / "LC_MESSAGES" / "messages.mo", "wb") as fileobj:
            write_mo(fileobj, catalogue(language))
    return {language: gettext_for(language, directory) for language in ("cy", "ar", "en")}


def test_the_welsh_and_english_council_copy_keeps_alt_text_plain(printouts_service, blue_badge, sent,  # noqa: F811
                                                                  gettexts):
    submission, evidence = sent
    html = printouts_service.completed_copy_bilingual_html(
        blue_badge, submission, gettexts=(gettexts["cy"], gettexts["en"]), for_council=True, evidence=evidence)
    alts = re.findall(r'<img class="(?:evidence|passport)-image" src="data:[^"]+" alt="([^"]*)"', html)
    assert len(alts) == 5 and not any("<span" in alt or "&lt;span" in alt for alt in alts)
    assert any(alt.endswith("IMG_0042.jpg") and " / " in alt for alt in alts)


def test_an_arabic_council_copy_reads_right_to_left_around_the_file_names(printouts_service, blue_badge,  # noqa: F811
                                                                         sent, gettexts):
    submission, evidence = sent
    html = printouts_service.completed_copy_html(blue_badge, submission, language="ar", gettext=gettexts["ar"],
                                                 for_council=True, evidence=evidence)
    assert '<html lang="ar" dir="rtl">' in html
    # the line's direction comes from the Arabic around the file name, not from the name
    assert '<bdi dir="rtl">\u2068IMG_0042.jpg\u2069 (صورة)</bdi>' in html
    assert 'alt="أضف خطاب منح الإعانة الخاص بك: الصورة 1 من 2، IMG_0042.jpg"' in html
    assert "المستندات الداعمة للسؤال 19" in html and "لم يعد هذا الملف محفوظًا" in html


# --- the resident's copy ---------------------------------------------------------------------

def test_residents_copy_names_what_was_sent_and_never_shows_the_images(printouts_service, blue_badge, sent):  # noqa: F811
    submission, evidence = sent
    for pdf in (printouts_service.completed_copy(blue_badge, submission),
                printouts_service.completed_copy(blue_badge, submission, evidence=evidence)):
        assert image_objects(pdf) == {}
        text = flat(pdf_text(pdf))
        for line in ("IMG_0001.jpg (photo)", "IMG_0042.jpg (photo)", "statement.pdf (PDF, 3 pages)",
                     "council-tax.jpg (photo)", "bank-letter.jpg (photo)"):
            assert line in text, line
        assert "Evidence for question" not in text and "sent with this application" not in text
        assert not [f for f in figures(pdf) if "photo" in f["alt"]]


# --- the blank paper form and the checklist -------------------------------------------------

def test_blank_form_says_what_to_attach_and_where_to_stick_the_photo(printouts_service, blue_badge):  # noqa: F811
    pdf = printouts_service.blank_form(blue_badge)
    text = flat(poppler_text(pdf))
    assert "Attach a copy of your PIP or DLA award letter from the last 12 months (not the original)" in text
    assert "Attach a copy of a council tax bill" in text
    assert "Attach a recent colour photo of your face" in text
    assert text.count("Do not send originals: we cannot return them.") == 3
    assert "Stick your photo here" in text and "Write your name on the back of the photo." in text
    assert "upload" not in text.lower()


def test_blank_form_and_checklist_name_what_to_attach_from_the_questions_name_or_label(
        printouts_service, blue_badge, tmp_path):  # noqa: F811
    from assist.engine import load_form

    path = tmp_path / "proof.toml"
    path.write_text('id = "proof"\nversion = "1"\ntitle = "Send proof"\n'
                    '[[pages]]\nid = "lease"\n[[pages.questions]]\nid = "lease"\ntype = "file"\n'
                    'label = "Add your tenancy agreement"\nname = "your tenancy agreement"\n'
                    '[[pages]]\nid = "other"\n[[pages.questions]]\nid = "other"\ntype = "file"\n'
                    'label = "Add anything else"\n', encoding="utf-8")
    form = load_form(path)
    text = flat(pdf_text(printouts_service.blank_form(form)))
    assert "Attach your tenancy agreement" in text and "Attach: Add anything else" in text
    assert "Stick your photo here" not in text
    checklist = flat(pdf_text(printouts_service.checklist(form)))
    assert "your tenancy agreement" in checklist and "Add anything else" in checklist
    assert "You do not need to bring anything" not in checklist
    # what the form's own list already names is not said twice
    text = flat(pdf_text(printouts_service.checklist(blue_badge)))
    assert text.count("proof of your address") == 1 and text.count("award letter") == 1


# --- who prints the council's copy with its evidence -----------------------------------------

def test_the_delivery_workers_council_copy_carries_the_photos(config, store, blue_badge, tmp_path):  # noqa: F811
    from assist.delivery import Worker
    from assist.printouts import Printouts

    reference = submit_blue_badge(store, blue_badge, keep_all=True)
    worker = Worker(store, {blue_badge.id: blue_badge}, config, printouts=Printouts(fake_config(tmp_path)),
                    destinations={})
    pdf = worker.parcel(reference, f"{reference}-test").pdf
    assert len(image_objects(pdf)) == 5
    assert "Add proof of your address: photo 2 of 2, bank-letter.jpg" in [f["alt"] for f in figures(pdf)]


def test_the_command_lines_council_copy_carries_the_photos(app, store, tmp_path):  # noqa: F811
    reference = submit_blue_badge(store, app.extensions["assist.forms"]["blue-badge"])
    output = tmp_path / "copy.pdf"
    result = app.test_cli_runner().invoke(args=["print", "copy", reference, "--council", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert len(image_objects(output.read_bytes())) == 4
    resident = tmp_path / "resident.pdf"
    result = app.test_cli_runner().invoke(args=["print", "copy", reference, "-o", str(resident)])
    assert result.exit_code == 0, result.output
    assert image_objects(resident.read_bytes()) == {}


def test_the_admins_council_copy_carries_the_photos(client, people, app):  # noqa: F811
    reference = submit_blue_badge(people, app.extensions["assist.forms"]["blue-badge"])
    sign_in_at(client, ADMIN_ID)
    response = client.get(f"/admin/submissions/{reference}/council-copy.pdf")
    assert response.status_code == 200
    assert len(image_objects(response.data)) == 4
