"""Fixtures and walkers for the assisted-mode tests: an app with a clock the tests can move,
a venue with a helper, and steps through the helper's screens with the test client."""

from __future__ import annotations

import re

import pytest

from assist.moments import ManualClock as Clock
from conftest import CheckingClient, TEMPLATES, csrf_token
from support import example_raw, exit_values, page_from_url

VENUE = "central-library"
HELPER = "sam-helper"
PIN = "1234"
CODE = re.compile(r'class="assist-code" dir="ltr">([A-Z0-9-]+)<')

#: Distinctive answers: if any of these shows up where it must not, the test sees it.
SECRETS = ("Zebedee", "Quillfeather", "zebedee.q@example.com", "07700 900461", "JG 98 76 54 C")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(config, clock):
    from assist.storage import Store

    store = Store(config.database_path, clock=clock)
    store.migrate()
    yield store
    store.close()


@pytest.fixture
def app(config, store):
    from assist import create_app

    app = create_app(config, store=store, testing=True)
    app.jinja_env.bytecode_cache = TEMPLATES
    app.test_client_class = CheckingClient
    store.add_venue(VENUE, "Central Library")
    for venue in store.list_venues():
        if venue["id"] != VENUE:
            store.db.execute("update venues set active = 0 where id = ?", [venue["id"]])
    store.add_helper("Sam Helper", PIN, [VENUE], helper_id=HELPER)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def forms(app) -> dict:
    return app.extensions["assist.forms"]


def location(response) -> str:
    assert response.status_code in (302, 303), (response.status_code, response.get_data(as_text=True)[:2000])
    return response.headers["Location"]


def helper_name(client, helper: str) -> str:
    """What ``helper`` (an id) types as their name: their display name, or the id when nobody has it."""
    found = client.application.extensions["assist.store"].get_helper(helper)
    return found["display_name"] if found else helper


def sign_in(client, helper=HELPER, pin=PIN):
    """Sign in on the tablet as ``helper`` (an id), typing their name."""
    page = client.get("/helpers/sign-in")
    return client.post("/helpers/sign-in", data={"csrf_token": csrf_token(page), "name": helper_name(client, helper),
                                                 "pin": pin})


def post(client, url, data=None, token_from=None):
    """POST ``data`` to ``url`` with a CSRF token from ``token_from`` (default: a page that has one)."""
    page = client.get(token_from or "/helpers/sign-in")
    if page.status_code in (302, 303):
        page = client.get(page.headers["Location"])
    return client.post(url, data={"csrf_token": csrf_token(page), **(data or {})})


def start_resident(client, form_id: str, name: str = "Rita Resident", agree: bool = True) -> str:
    """Help a resident → form → who → what to bring → consent; returns the first question's URL."""
    page = client.get(f"/helpers/help?form={form_id}")
    assert page.status_code == 200
    response = client.post("/helpers/help", data={"csrf_token": csrf_token(page), "form": form_id})
    assert location(response).endswith("/helpers/resident/who")
    page = client.get("/helpers/resident/who")
    response = client.post("/helpers/resident/who", data={"csrf_token": csrf_token(page), "resident-name": name})
    assert location(response).endswith("/helpers/resident/what-to-bring")
    assert client.get("/helpers/resident/what-to-bring").status_code == 200
    if not agree:
        return ""
    page = client.get("/helpers/resident/consent")
    response = client.post("/helpers/resident/consent", data={"csrf_token": csrf_token(page), "answer": "agree"})
    return location(response)


def secret_raw(question, avoid=frozenset()) -> dict:
    """Like :func:`support.example_raw`, with distinctive values that must never leak."""
    raw = example_raw(question, avoid)
    replaced = {}
    for key, value in raw.items():
        if isinstance(value, str):
            value = (value.replace("sam@example.com", "zebedee.q@example.com")
                     .replace("Sam Example", "Zebedee Quillfeather")
                     .replace("07700 900982", "07700 900461")
                     .replace("ab 12 34 56 c", "JG 98 76 54 C"))
            if value == "Sam":
                value = "Zebedee"
            if value == "Example":
                value = "Quillfeather"
            limit = question.options.get("max_length")
            if limit and len(value) > limit:
                value = value[:limit].strip()
        replaced[key] = value
    return replaced


def answer_page(client, form, url: str, raw=secret_raw) -> str:
    """Answer the page at ``url`` with valid answers; return where it goes next."""
    response = client.get(url)
    if response.status_code in (302, 303):
        return response.headers["Location"]
    assert response.status_code == 200, (url, response.status_code)
    page, number = page_from_url(form, url)
    data = {"csrf_token": csrf_token(response)}
    if page.kind == "repeat" and number is None:
        data["add-another"] = "no" if "govuk-summary-card__title" in response.get_data(as_text=True) else "yes"
    else:
        for question in page.questions:
            data.update(raw(question, exit_values(page)))
    return location(client.post(url, data=data))


def answer_until(client, form, url: str, stop, max_steps: int = 80) -> tuple[str, list[str]]:
    """Answer pages from ``url`` until ``stop(url)``; returns the URL reached and the URLs visited."""
    visited = []
    for _ in range(max_steps):
        if stop(url):
            return url, visited
        visited.append(url)
        url = answer_page(client, form, url)
    raise AssertionError(f"never stopped; last {url}")


def journey_id_of(store, helper_id=HELPER) -> str:
    return store.db.execute(
        "select id from journeys where helper_id = ? order by started_at desc, rowid desc limit 1", [helper_id]
    ).fetchone()[0]
