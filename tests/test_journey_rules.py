"""Rules across answers on screen: a resident whose answers do not agree is told so in the GOV.UK
error summary, linked to the right input, with what they typed kept; routes on any earlier answer."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import CheckingClient, TEMPLATES, csrf_token
from test_engine_conditions import FORM, TODAY


@pytest.fixture
def app(config, tmp_path, monkeypatch):
    from assist import create_app
    from assist.engine import questions_date

    monkeypatch.setattr(questions_date, "today", lambda: TODAY)
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "pass.toml").write_text(FORM, encoding="utf-8")
    app = create_app(dataclasses.replace(config, forms=dataclasses.replace(config.forms, directory=forms)),
                     testing=True)
    app.test_client_class = CheckingClient
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


def post(client, url: str, data: dict):
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page), **data})


def begin(client, form_id: str = "pass") -> None:
    start = client.get(f"/forms/{form_id}/")
    client.post(f"/forms/{form_id}/start", data={"csrf_token": csrf_token(start)})


def test_a_tick_box_route_leads_to_the_exit(client):
    begin(client)
    response = post(client, "/forms/pass/reasons", {"reasons": "none"})
    assert response.headers["Location"].endswith("/forms/pass/cannot-continue/cannot-apply")


def test_required_if_and_must_rules_show_in_the_error_summary_and_keep_what_was_typed(client):
    begin(client)
    post(client, "/forms/pass/reasons", {"reasons": ["age", "other"]})
    other = post(client, "/forms/pass/other-reason", {"other-reason": "", "has-badge": "no"})
    html = other.get_data(as_text=True)
    assert other.status_code == 400
    assert '<a href="#other-reason">Enter your other reason</a>' in html
    assert "(optional)" not in html
    post(client, "/forms/pass/other-reason", {"other-reason": "Hospital visits", "has-badge": "no"})
    post(client, "/forms/pass/stolen", {"stolen": "no"})
    young = post(client, "/forms/pass/date-of-birth",
                 {"date-of-birth-day": "4", "date-of-birth-month": "12", "date-of-birth-year": "1960"})
    html = young.get_data(as_text=True)
    assert young.status_code == 400
    assert ('<a href="#date-of-birth-day">Your date of birth must show you are 66 or over, or do not choose '
            '‘I am 66 or over’</a>') in html
    assert 'value="1960"' in html and 'value="12"' in html
    old_enough = post(client, "/forms/pass/date-of-birth",
                      {"date-of-birth-day": "3", "date-of-birth-month": "12", "date-of-birth-year": "1960"})
    assert old_enough.headers["Location"].endswith("/forms/pass/photo-guide")


def test_a_route_on_an_answer_given_pages_earlier_skips_the_photo_pages(client):
    begin(client)
    post(client, "/forms/pass/reasons", {"reasons": "age"})
    post(client, "/forms/pass/other-reason", {"other-reason": "", "has-badge": "no"})
    post(client, "/forms/pass/stolen", {"stolen": "yes"})
    response = post(client, "/forms/pass/date-of-birth",
                    {"date-of-birth-day": "1", "date-of-birth-month": "5", "date-of-birth-year": "1950"})
    assert response.headers["Location"].endswith("/forms/pass/contact")
    neither = post(client, "/forms/pass/contact", {"phone": "", "email": ""})
    assert '<a href="#phone">Enter a phone number or an email address</a>' in neither.get_data(as_text=True)
    sent = post(client, "/forms/pass/contact", {"phone": "", "email": "rita@example.org"})
    assert sent.headers["Location"].endswith("/forms/pass/check-answers")
