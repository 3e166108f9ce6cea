"""Fixtures and steps for the kiosk and shared-device tests: an app with a movable clock (and,
for the browser, idle limits of a few seconds), a kiosk venue and a helper there."""

from __future__ import annotations

import dataclasses
import re

import pytest

from assisted_support import HELPER, PIN, SECRETS, Clock, clock, secret_raw, store  # noqa: F401 - re-exported
from conftest import TEMPLATES, CheckingClient, csrf_token

VENUE = "central-library"
KIOSK = f"/kiosk/{VENUE}"


def build_app(config, store, *, kiosk_idle_minutes=None, kiosk_warning_seconds=None,
              assisted_idle_minutes=None, assisted_warning_seconds=None):
    """The app with a helper at the kiosk's venue; idle settings replaced where given (the browser
    tests use a few seconds: ``kiosk_idle_minutes=0.1``)."""
    from assist import create_app

    changes = {name: value for name, value in {
        "kiosk_idle_minutes": kiosk_idle_minutes, "kiosk_warning_seconds": kiosk_warning_seconds,
        "assisted_idle_minutes": assisted_idle_minutes, "assisted_warning_seconds": assisted_warning_seconds,
    }.items() if value is not None}
    if changes:
        config = dataclasses.replace(config, sessions=dataclasses.replace(config.sessions, **changes))
    app = create_app(config, store=store, testing=True)
    app.test_client_class = CheckingClient
    app.jinja_env.bytecode_cache = TEMPLATES
    if store.get_helper(HELPER) is None:
        store.add_helper("Sam Helper", PIN, [VENUE], helper_id=HELPER)
    return app


@pytest.fixture
def app(config, store):
    return build_app(config, store)


@pytest.fixture
def client(app):
    return app.test_client()


def forms(app) -> dict:
    return app.extensions["assist.forms"]


def start_kiosk_form(client, form_id: str) -> str:
    """At the kiosk: open the start screen, start ``form_id``; returns the first question's URL."""
    assert client.get(KIOSK).status_code == 200
    page = client.get(f"/forms/{form_id}/")
    response = client.post(f"/forms/{form_id}/start", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def token(client, url: str = KIOSK) -> str:
    response = client.get(url)
    if response.status_code in (302, 303):
        response = client.get(response.headers["Location"])
    return csrf_token(response)


def journey_ids(client) -> list[str]:
    with client.session_transaction() as session:
        return list((session.get("journeys") or {}).values())


def autocomplete_values(html: str) -> list[str]:
    return re.findall(r'autocomplete="([^"]*)"', html)
