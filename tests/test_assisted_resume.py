"""Save and carry on later: a short code plus a second check, a limit on wrong checks, expiry,
and carrying on at another venue, with another helper, or on the plain journey."""

from __future__ import annotations

from datetime import timedelta

from assisted_support import (  # noqa: F401 - fixtures
    HELPER, SECRETS, VENUE, answer_page, app, client, clock, forms, journey_id_of, location, post, sign_in,
    start_resident, store,
)
from conftest import csrf_token
from resume_support import DOB, WRONG_DOB, check, enter, save, saved_assisted
from assist.engine import is_valid_reference


def test_saving_gives_a_short_checked_code_and_keeps_only_hashes(client, app, store):
    form, code, journey_id, _ = saved_assisted(client, app, store)
    assert len(code) == 9 and is_valid_reference(code)
    assert not set(code.replace("-", "")) & set("01OIL")
    row = dict(zip(("code_hash", "check_hash", "expires_at"), store.db.execute(
        "select code_hash, check_hash, expires_at from resume_codes where journey_id = ?", [journey_id]).fetchone()))
    assert code not in repr(row) and code.replace("-", "") not in repr(row)
    assert "1948" not in row["check_hash"] and row["check_hash"].startswith("scrypt$")
    html = client.get("/carry-on/saved").get_data(as_text=True)
    assert "Print a carry-on slip" in html
    assert store.audit_log(event="save")[0]["journey_id"] == journey_id


def test_finish_after_saving_keeps_the_draft_for_its_code_only(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    response = post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    assert location(response).endswith("/helpers/")
    assert store.get_journey(journey_id)["status"] == "in_progress"
    assert client.get(url).status_code == 302  # nothing of it on the tablet
    assert client.get("/carry-on/saved").status_code == 302


def test_resume_with_code_and_date_of_birth_on_the_plain_journey(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    resident = app.test_client()  # at home, or at another place
    assert "Carry on with a saved form" in resident.get("/").get_data(as_text=True)
    assert location(enter(resident, code.lower().replace("-", " "))).endswith("/carry-on/check")
    response = check(resident, DOB)
    assert location(response).endswith(url)
    html = resident.get(url).get_data(as_text=True)
    assert resident.get(url).status_code == 200
    journey = store.get_journey(journey_id)
    assert journey["mode"] == "online" and journey["helper_id"] is None
    # Earlier answers are there to carry on from.
    first = form.pages[0]
    html = resident.get(f"/forms/{form.id}/{first.id}").get_data(as_text=True)
    assert 'checked' in html
    assert store.audit_log(event="resume")[0]["journey_id"] == journey_id


def test_resume_at_another_venue_with_another_helper_asks_for_consent_again(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    store.add_venue("post-office", "High Street Post Office")
    store.add_helper("Pat Postie", "2468", ["post-office"], helper_id="pat")
    other = app.test_client()
    other.set_cookie("assist_venue", "post-office")
    page = other.get("/helpers/sign-in")
    assert "High Street Post Office" in page.get_data(as_text=True)
    other.post("/helpers/sign-in", data={"csrf_token": csrf_token(page), "name": "Pat Postie", "pin": "2468"})
    enter(other, code)
    response = check(other, DOB)
    assert location(response).endswith("/helpers/resident/who")
    journey = store.get_journey(journey_id)
    assert (journey["mode"], journey["venue_id"], journey["helper_id"]) == ("assisted", "post-office", "pat")
    assert journey["consent_at"] is None
    assert location(other.get(url)).endswith("/helpers/resident/who") or location(other.get(url)).endswith("/consent")
    page = other.get("/helpers/resident/who")
    other.post("/helpers/resident/who", data={"csrf_token": csrf_token(page), "resident-name": "Rita"})
    page = other.get("/helpers/resident/consent")
    response = other.post("/helpers/resident/consent", data={"csrf_token": csrf_token(page), "answer": "agree"})
    assert location(response).endswith(url)


def test_wrong_second_checks_are_limited_per_code_and_then_the_draft_is_deleted(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    wrong = WRONG_DOB
    for attempt in range(4):
        other = app.test_client()  # a fresh browser each time: the limit is on the code
        enter(other, code)
        response = check(other, wrong)
        assert response.status_code == 400
        assert "does not match" in response.get_data(as_text=True)
    other = app.test_client()
    enter(other, code)
    response = check(other, wrong)
    assert response.status_code == 403
    assert "You need to start the form again" in response.get_data(as_text=True)
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert store.get_journey(journey_id)["answers"] == {}
    # Even the right check no longer opens it.
    other = app.test_client()
    response = enter(other, code)
    assert response.status_code == 400
    assert "locked" in response.get_data(as_text=True)
    events = [e["event"] for e in store.audit_log(journey_id=journey_id)]
    assert events.count("resume_failed") == 4 and "resume_locked" in events


def test_a_mistyped_code_is_caught_by_its_check_character(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    swapped = code[1] + code[0] + code[2:] if code[0] != code[1] else code[:-1] + ("2" if code[-1] != "2" else "3")
    response = enter(app.test_client(), swapped)
    assert response.status_code == 400
    assert "Check the code" in response.get_data(as_text=True)
    assert store.db.execute("select failed_attempts from resume_codes").fetchone()[0] == 0


def test_codes_expire_and_expired_drafts_are_deleted(client, app, store, clock):
    form, code, journey_id, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    days = app.extensions["assist.config"].sessions.draft_expiry_days
    clock.advance(days=days - 1)
    assert store.expire_journeys(clock() - timedelta(hours=1)) == 0
    assert store.get_journey(journey_id)["status"] == "in_progress"
    clock.advance(days=1, seconds=1)
    response = enter(app.test_client(), code)
    assert response.status_code == 400
    assert "no saved form with this code, or it has expired" in response.get_data(as_text=True)
    assert store.get_journey(journey_id)["status"] == "abandoned"
    assert store.get_journey(journey_id)["answers"] == {}
    assert store.db.execute("select count(*) from drafts where journey_id = ?", [journey_id]).fetchone()[0] == 0
    assert store.db.execute("select count(*) from resume_codes").fetchone()[0] == 0


def test_expire_resume_codes_deletes_expired_drafts_in_the_background(client, app, store, clock):
    form, code, journey_id, url = saved_assisted(client, app, store)
    clock.advance(days=app.extensions["assist.config"].sessions.draft_expiry_days, seconds=1)
    assert store.expire_resume_codes() == 1
    assert store.get_journey(journey_id)["status"] == "abandoned"


def test_the_slip_is_only_for_the_browser_that_saved(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    lookup = app.extensions["assist.resume_lookup"]
    with app.test_request_context():
        assert lookup(code) is None  # another browser, or a code typed into the address bar
    response = app.test_client().get(f"/print/carry-on/{code}.pdf")
    assert response.status_code == 404


def test_save_needs_a_real_date_of_birth(client, app, store):
    sign_in(client)
    form = forms(app)["missed-bin"]
    start_resident(client, form.id)
    page = client.get(f"/carry-on/save/{form.id}")
    response = client.post(f"/carry-on/save/{form.id}", data={"csrf_token": csrf_token(page), "check": "date_of_birth",
                                                              "check-day": "31", "check-month": "2", "check-year": "1950"})
    assert response.status_code == 400
    assert "Date of birth must be a real date" in response.get_data(as_text=True)


def test_postcode_can_be_the_second_check(client, app, store):
    sign_in(client)
    form = forms(app)["missed-bin"]
    url = answer_page(client, form, start_resident(client, form.id))
    code = save(client, form.id, {"check": "postcode", "check-postcode": "sw1a 1aa"})
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    other = app.test_client()
    enter(other, code)
    assert "What is your postcode?" in other.get("/carry-on/check").get_data(as_text=True)
    assert location(check(other, {"check-postcode": "SW1A1AA"})).endswith(url)


def test_submitting_a_resumed_form_forgets_its_code(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    resident = app.test_client()
    enter(resident, code)
    url = location(check(resident, DOB))
    for _ in range(30):
        if url.endswith("/check-answers"):
            break
        url = answer_page(resident, form, url)
    resident.post(url, data={"csrf_token": csrf_token(resident.get(url))})
    assert store.get_journey(journey_id)["status"] == "submitted"
    assert store.db.execute("select count(*) from resume_codes").fetchone()[0] == 0
    assert enter(app.test_client(), code).status_code == 400
