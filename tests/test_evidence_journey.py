"""Evidence on screen: a resident adds photos and PDFs of their documents to the Blue Badge form,
sees them back, removes and adds again; bad files are refused with GOV.UK messages and lose nothing."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from conftest import csrf_token
from evidence_support import example_pdf
from support import example_photo, walk_to

FORM = "blue-badge"


@pytest.fixture
def config(config):
    """The demo config with a 1MB upload limit, so an oversized file is cheap to make."""
    from assist.config import Uploads
    return dataclasses.replace(config, uploads=Uploads(max_file_mb=1, max_journey_mb=3))


@pytest.fixture
def form(app):
    return app.extensions["assist.forms"][FORM]


@pytest.fixture
def store(app):
    return app.extensions["assist.store"]


def _jpeg_with_gps() -> bytes:
    image = Image.open(io.BytesIO(example_photo(1600, 1200)))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerZeta"
    exif[0x0110] = "ModelOmega"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 40.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"PhoneMakerZeta" in data
    return data


def _at(client, form, page_id):
    url = walk_to(client, form, form.page(page_id))
    return url, client.get(url)


def _post(client, url, page, data: bytes, name: str, **extra):
    return client.post(url, data={"csrf_token": csrf_token(page), "proof-of-address": (io.BytesIO(data), name),
                                  **extra}, content_type="multipart/form-data")


def _draft(store, client, form):
    journey_id = _journey_id(client, form)
    return store.get_journey(journey_id)["answers"]


def _journey_id(client, form):
    with client.session_transaction() as session:
        return session["journeys"][form.id]


def _evidence_count(store, question_id="proof-of-address") -> int:
    return store.db.execute("select count(*) from evidence where question_id = ?", [question_id]).fetchone()[0]


def test_a_photo_is_kept_upright_without_its_location_and_shown_back(client, form, store):
    url, page = _at(client, form, "proof-of-address")
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)
    assert 'accept="image/*,image/heic,image/heif,application/pdf,.pdf"' in page.get_data(as_text=True)
    assert 'capture="environment"' in page.get_data(as_text=True)
    response = _post(client, url, page, _jpeg_with_gps(), "IMG_0042.JPG", action="upload")
    assert response.status_code == 303 and response.headers["Location"].endswith("/proof-of-address")
    again = client.get(url)
    html = again.get_data(as_text=True)
    assert "IMG_0042.jpg" in html and "Add another file" in html and "Remove<span" in html
    [kept] = _draft(store, client, form)["proof-of-address"]
    assert kept["name"] == "IMG_0042.jpg" and kept["type"] == "image/jpeg"
    image = client.get(f"/forms/{FORM}/evidence/{kept['id']}")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["Cache-Control"] == "no-store"
    assert b"PhoneMakerZeta" not in image.data and not Image.open(io.BytesIO(image.data)).getexif()
    thumbnail = client.get(f"/forms/{FORM}/evidence/{kept['id']}?size=thumbnail")
    assert max(Image.open(io.BytesIO(thumbnail.data)).size) <= 320


def test_another_browser_cannot_see_the_photo(client, app, form, store):
    url, page = _at(client, form, "proof-of-address")
    _post(client, url, page, example_photo(), "letter.jpg", action="upload")
    [kept] = _draft(store, client, form)["proof-of-address"]
    stranger = app.test_client()
    walk_to(stranger, form, form.page("proof-of-address"))
    assert stranger.get(f"/forms/{FORM}/evidence/{kept['id']}").status_code == 404


def test_a_text_file_named_jpg_is_refused_and_nothing_else_is_lost(client, form, store):
    url, page = _at(client, form, "proof-of-address")
    before = _draft(store, client, form)
    response = _post(client, url, page, b"just some words, not a photo", "letter.jpg")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and "The selected file must be a JPG, PNG, HEIC or PDF" in html
    assert _draft(store, client, form) == before and before.get("full-name")
    assert _evidence_count(store) == 0


def test_a_file_over_the_limit_is_refused_with_no_server_error_and_nothing_written(client, form, store):
    url, page = _at(client, form, "proof-of-address")
    just_over = b"\xff\xd8\xff\xe0" + b"0" * (1024 * 1024 + 10)
    response = _post(client, url, page, just_over, "big.jpg")
    assert response.status_code == 400
    assert "The selected file must be smaller than 1MB" in response.get_data(as_text=True)
    far_over = b"\xff\xd8\xff\xe0" + b"0" * (3 * 1024 * 1024)
    response = _post(client, url, page, far_over, "huge.jpg")
    assert response.status_code == 303  # too large to read: back to the page, which says why
    again = client.get(response.headers["Location"])
    assert again.status_code == 400 and "The selected file must be smaller than 1MB" in again.get_data(as_text=True)
    assert client.get(url).status_code == 200  # said once
    assert _evidence_count(store) == 0 and _draft(store, client, form).get("proof-of-address") is None


def test_continue_without_a_file_asks_for_one(client, form):
    url, page = _at(client, form, "proof-of-address")
    response = client.post(url, data={"csrf_token": csrf_token(page)}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Select proof of your address" in response.get_data(as_text=True)


def test_add_another_remove_and_continue(client, form, store):
    url, page = _at(client, form, "proof-of-address")
    _post(client, url, page, example_photo(), "front.jpg", action="upload")
    page = client.get(url)
    _post(client, url, page, example_pdf(3), "statement.pdf", action="upload")
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert "front.jpg" in html and "statement.pdf" in html and "PDF, 3 pages" in html
    assert "Add another file" not in html  # two is the most this question takes
    files = _draft(store, client, form)["proof-of-address"]
    response = client.post(url, data={"csrf_token": csrf_token(page), "remove": files[0]["id"]})
    assert response.status_code == 303
    assert [f["name"] for f in _draft(store, client, form)["proof-of-address"]] == ["statement.pdf"]
    assert _evidence_count(store) == 1
    page = client.get(url)
    response = client.post(url, data={"csrf_token": csrf_token(page)}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sharing-information")


def test_the_journey_limit_counts_every_file_kept(client, form, store, monkeypatch):
    url, page = _at(client, form, "proof-of-address")
    monkeypatch.setattr(type(store), "evidence_size", lambda self, journey_id: 3 * 1024 * 1024)
    response = _post(client, url, page, example_photo(), "front.jpg")
    assert response.status_code == 400
    assert "The files you have added must be smaller than 3MB in all" in response.get_data(as_text=True)
    assert _evidence_count(store) == 0


def test_a_landscape_photo_is_refused_for_the_badge_photo(client, form, store):
    url = walk_to(client, form, form.page("photo"))
    page = client.get(url)
    assert 'capture="user"' in page.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(page), "photo": (io.BytesIO(example_photo(1600, 900)),
                                                                                   "me.jpg")})
    assert response.status_code == 400
    assert "The photo must be upright (portrait)" in response.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(page), "photo": (io.BytesIO(example_photo()), "me.jpg")})
    assert response.status_code == 302
    [photo] = _draft(store, client, form)["photo"]
    assert abs(photo["width"] / photo["height"] - 35 / 45) < 0.01


def test_finish_and_clear_deletes_the_files_and_submitting_keeps_them(client, app, form, store):
    url, page = _at(client, form, "proof-of-address")
    _post(client, url, page, example_photo(), "front.jpg")
    journey_id = _journey_id(client, form)
    store.discard_journey(journey_id)
    assert store.db.execute("select count(*) from evidence").fetchone()[0] == 0
    from support import complete_form
    other = app.test_client()
    complete_form(other, form)
    reference = store.db.execute("select reference from submissions").fetchone()[0]
    kept = store.submission_evidence(reference)
    assert {f.question_id for f in kept} == {"photo", "proof-of-address", "proof-of-benefit"}


def _scanning_app(config, address):
    from assist import create_app
    from assist.config import Uploads
    from conftest import CheckingClient

    app = create_app(dataclasses.replace(config, uploads=Uploads(scanner=address)), testing=True)
    app.test_client_class = CheckingClient
    return app


@pytest.fixture
def fake_clamd():
    """A fake clamd on loopback (tests/test_uploads_scanning.py), stopped with ``.stop()`` or at the end."""
    import socketserver
    import threading

    from test_uploads_scanning import FakeClamd

    class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), FakeClamd)
    server.behaviour, server.commands, server.received, server.chunk_sizes = "scan", [], [], []
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    stopped = []

    def stop():
        if not stopped:
            server.shutdown()
            server.server_close()
            thread.join()
            stopped.append(True)

    server.stop, server.address = stop, f"tcp://127.0.0.1:{server.server_address[1]}"
    yield server
    stop()


def test_a_file_the_virus_scanner_finds_infected_is_refused_and_not_kept(config, fake_clamd):
    from test_uploads_scanning import EICAR

    app = _scanning_app(config, fake_clamd.address)
    client = app.test_client()
    form = app.extensions["assist.forms"][FORM]
    store = app.extensions["assist.store"]
    url, page = _at(client, form, "proof-of-address")
    response = _post(client, url, page, example_photo() + EICAR, "letter.jpg")
    assert response.status_code == 400
    assert "The selected file contains a virus" in response.get_data(as_text=True)
    assert _evidence_count(store) == 0
    response = _post(client, url, page, example_photo(), "letter.jpg")
    assert response.status_code == 302 and _evidence_count(store) == 1


def test_while_the_virus_scanner_does_not_answer_uploads_are_refused(config, fake_clamd):
    app = _scanning_app(config, fake_clamd.address)
    client = app.test_client()
    form = app.extensions["assist.forms"][FORM]
    url, page = _at(client, form, "proof-of-address")
    fake_clamd.stop()
    response = _post(client, url, page, example_photo(), "letter.jpg")
    assert response.status_code == 400
    assert "could not be checked for viruses. Try again later" in response.get_data(as_text=True)
    assert _evidence_count(app.extensions["assist.store"]) == 0


def test_a_hostile_file_name_is_shown_as_text(client, form, store):
    url, page = _at(client, form, "proof-of-address")
    name = "<img src=x onerror=alert(1)>\u202egpj.exe"  # browsers send a quote in a file name as %22
    _post(client, url, page, example_photo(), name + ".jpg", action="upload")
    html = client.get(url).get_data(as_text=True)
    assert "<img src=x" not in html and "\u202e" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_files_on_a_page_the_answers_now_skip_are_deleted_when_the_form_is_sent(client, app, form, store):
    from support import complete_form
    url = walk_to(client, form, form.page("proof-of-benefit"))
    page = client.get(url)
    client.post(url, data={"csrf_token": csrf_token(page),
                           "proof-of-benefit": (io.BytesIO(example_photo()), "award.jpg")})
    assert _evidence_count(store, "proof-of-benefit") == 1
    # The resident changes their answer: no mobility award, so no award letter is asked for.
    mobility = f"/forms/{FORM}/mobility-benefit"
    page = client.get(mobility + "?change=1")
    client.post(mobility + "?change=1", data={"csrf_token": csrf_token(page), "mobility-benefit": "no"})
    html = complete_form(client, form)  # carries on from where the answers stand
    assert "BB-" in html
    reference = store.db.execute("select reference from submissions").fetchone()[0]
    assert "proof-of-benefit" not in store.get_submission(reference)["answers"]
    assert _evidence_count(store, "proof-of-benefit") == 0
    assert {f.question_id for f in store.submission_evidence(reference)} == {"photo", "proof-of-address"}
