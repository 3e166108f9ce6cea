"""Honest faults: a database that cannot be written says so, keeps what was typed, and is logged once."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlite_utils import Database

from conftest import csrf_token
from support import example_raw, page_from_url, question_pages

TYPED = "12 Acacia Avenue, flat 3"


def fail_writes(monkeypatch, message="database or disk is full"):
    """Every insert, update or delete the store sends to SQLite fails as it would on a full or read-only disk."""
    real = Database.execute

    def execute(self, sql, parameters=None):
        if sql.lstrip().split(None, 1)[0].lower() in {"insert", "update", "delete", "replace"}:
            raise sqlite3.OperationalError(message)
        return real(self, sql, parameters)

    monkeypatch.setattr(Database, "execute", execute)


def street_page(client, app):
    """The missed-bin form walked to its street address page (a text question); its path and page."""
    form = app.extensions["assist.forms"]["missed-bin"]
    for url in question_pages(client, form):
        page = page_from_url(form, url)[0]
        if page.id == "street-address":
            return url, page
    raise AssertionError("no street address page")


def check_answers(client, app) -> str:
    form = app.extensions["assist.forms"]["missed-bin"]
    list(question_pages(client, form))
    return f"/forms/{form.id}/check-answers"


def post_street(client, url, page):
    token = csrf_token(client.get(url))
    name = page.questions[0].field_names[0]
    return client.post(url, data={"csrf_token": token, name: TYPED}), name


def draft_answers(app) -> list[dict]:
    store = app.extensions["assist.store"]
    ids = [row[0] for row in store.db.execute("select journey_id from drafts").fetchall()]
    return [store.get_journey(journey_id)["answers"] for journey_id in ids]


def test_a_question_page_that_cannot_be_saved_says_so_and_keeps_what_was_typed(client, app, monkeypatch):
    url, page = street_page(client, app)
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response, name = post_street(client, url, page)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "no-store" in response.headers["Cache-Control"]
    assert "Your answers were not saved" in html
    assert "have been saved" not in html
    assert f'name="{name}"' in html and f'value="{TYPED}"' in html  # still in the input, to press Continue again
    assert not any(TYPED == answers.get(page.questions[0].id) for answers in draft_answers(app))
    again = client.post(url, data={"csrf_token": csrf_token(response), name: TYPED})
    assert again.status_code == 302  # the disk has room again: the same Continue saves it
    assert any(TYPED in str(answers.get(page.questions[0].id)) for answers in draft_answers(app))


def test_a_page_that_cannot_be_saved_is_translated(client, app, monkeypatch):
    url, page = street_page(client, app)
    client.get("/?lang=cy")
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response, _ = post_street(client, url, page)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Ni chadwyd eich atebion" in html and "Your answers were not saved" not in html


def test_an_item_of_a_repeating_group_that_cannot_be_saved_keeps_what_was_typed(client, app, monkeypatch):
    form = next(f for f in app.extensions["assist.forms"].values() if any(p.kind == "repeat" for p in f.pages))
    for url in question_pages(client, form):
        response = client.get(url)
        if response.status_code == 302 and page_from_url(form, response.headers["Location"])[1] == 1:
            url = response.headers["Location"]
            break
    else:
        raise AssertionError("no repeating group's first item")
    page = page_from_url(form, url)[0]
    data = {"csrf_token": csrf_token(client.get(url))}
    for question in page.questions:
        data.update(example_raw(question))
    typed = next(v for v in data.values() if isinstance(v, str) and len(v) > 3 and v != data["csrf_token"])
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert "Your answers were not saved" in html and f'value="{typed}"' in html
    assert client.post(url, data={**data, "csrf_token": csrf_token(response)}).status_code == 302


def test_sending_that_cannot_be_saved_says_it_was_not_sent(client, app, monkeypatch):
    url = check_answers(client, app)
    token = csrf_token(client.get(url))
    store = app.extensions["assist.store"]
    with monkeypatch.context() as patch:
        fail_writes(patch, "attempt to write a readonly database")
        response = client.post(url, data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "Your application was not sent" in html and "Accept and send" in html
    assert store.db.execute("select count(*) from submissions").fetchone()[0] == 0
    again = client.post(url, data={"csrf_token": csrf_token(response)})
    assert again.status_code == 302 and again.headers["Location"].endswith("/confirmation")
    assert store.db.execute("select count(*) from submissions").fetchone()[0] == 1


def test_any_other_post_that_cannot_be_saved_answers_503_not_saved(client, app, monkeypatch):
    start = client.get("/forms/missed-bin/")
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response = client.post("/forms/missed-bin/start", data={"csrf_token": csrf_token(start)})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "was not saved" in response.get_data(as_text=True)


def test_a_database_that_cannot_be_written_is_logged_once_with_what_to_do(client, app, monkeypatch, caplog, data_dir):
    url, page = street_page(client, app)
    caplog.set_level(logging.WARNING)
    with monkeypatch.context() as patch:
        fail_writes(patch)
        for _ in range(3):
            assert post_street(client, url, page)[0].status_code == 503
        assert client.get("/healthz").status_code == 503
    loud = [r for r in caplog.records if r.levelno >= logging.CRITICAL]
    assert len(loud) == 1
    message = loud[0].getMessage()
    assert "is full" in message and str(data_dir) in message and "free space" in message
    assert TYPED not in caplog.text  # nothing the resident typed
    assert post_street(client, url, page)[0].status_code == 302
    assert "can be written again" in caplog.text


def test_healthz_is_ok_only_when_the_database_can_be_written(client, monkeypatch, data_dir):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    with monkeypatch.context() as patch:
        fail_writes(patch)
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded" and body["database"].startswith("database cannot be written")
    assert str(data_dir) not in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200


def test_livez_answers_without_the_database(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Database, "execute", broken)
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert client.get("/healthz").status_code == 503


@pytest.fixture
def small_disk(tmp_path):
    """A 32 MB tmpfs of the test's own, mounted where root allows it."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root; the injected failures above cover the same paths")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; the file that did it."""
    filler = disk / f"filler-{uuid.uuid4().hex}"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
        try:
            while True:
                out.write(b"\0")
                out.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_says_not_saved_and_recovers_when_space_is_freed(small_disk, monkeypatch, caplog):
    from assist import create_app
    from assist.config import load_config

    monkeypatch.setenv("ASSIST_DATA_DIR", str(small_disk / "data"))
    monkeypatch.delenv("ASSIST_CONFIG", raising=False)
    app = create_app(load_config(Path(__file__).parent.parent / "config.toml"), testing=True)
    client = app.test_client()
    url, page = street_page(client, app)
    token = csrf_token(client.get(url))
    name = page.questions[0].field_names[0]
    filler = fill(small_disk)
    caplog.set_level(logging.WARNING)
    statuses = []
    for number in range(40):  # the WAL's free pages take the first few; then the disk is full
        response = client.post(url, data={"csrf_token": token, name: f"{TYPED} {number}"})
        statuses.append(response.status_code)
        if response.status_code != 302:
            break
    assert statuses[-1] == 503, statuses
    assert f'value="{TYPED} {number}"' in response.get_data(as_text=True)
    assert "Your answers were not saved" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 503
    assert client.get("/livez").status_code == 200
    assert len([r for r in caplog.records if r.levelno >= logging.CRITICAL]) == 1
    filler.unlink()
    assert client.post(url, data={"csrf_token": token, name: TYPED}).status_code == 302
    assert client.get("/healthz").status_code == 200
