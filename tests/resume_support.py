"""Steps through save and carry on later with the test client: save, enter the code, the second check."""

from __future__ import annotations

from assisted_support import CODE, answer_page, forms, journey_id_of, location, sign_in, start_resident
from conftest import csrf_token

DOB = {"check-day": "3", "check-month": "11", "check-year": "1948"}
WRONG_DOB = {"check-day": "4", "check-month": "11", "check-year": "1948"}


def save(client, form_id: str, check: dict | None = None) -> str:
    """Save the journey in progress; returns the code shown."""
    page = client.get(f"/carry-on/save/{form_id}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page), "check": "date_of_birth", **(DOB if check is None else check)}
    response = client.post(f"/carry-on/save/{form_id}", data=data)
    assert location(response).endswith("/carry-on/saved")
    html = client.get("/carry-on/saved").get_data(as_text=True)
    return CODE.search(html).group(1)


def enter(client, code: str):
    """Type the code on the carry-on page."""
    page = client.get("/carry-on/")
    return client.post("/carry-on/", data={"csrf_token": csrf_token(page), "code": code})


def check(client, answer: dict):
    """Answer the second check (date of birth or postcode fields)."""
    page = client.get("/carry-on/check")
    return client.post("/carry-on/check", data={"csrf_token": csrf_token(page), **answer})


def saved_assisted(client, app, store):
    """A helper saves a resident's Missed bin form after two answers; returns (form, code, journey id, next URL)."""
    sign_in(client)
    form = forms(app)["missed-bin"]
    url = start_resident(client, form.id)
    url = answer_page(client, form, url)
    url = answer_page(client, form, url)
    code = save(client, form.id)
    return form, code, journey_id_of(store), url
