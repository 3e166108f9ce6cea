"""The resident's journey through every demo form, in the Flask test client."""

from __future__ import annotations

import re

import pytest

from assist.engine import Journey, is_valid_reference
from conftest import csrf_token
from support import complete_form, example_raw, exit_values, page_from_url, walk_to

REFERENCE = re.compile(r'class="assist-reference" dir="ltr">([A-Z0-9-]+)<')


def demo_forms(app):
    return list(app.extensions["assist.forms"].values())


def first_page(form, predicate):
    return next((p for p in form.pages if predicate(p)), None)


def start(client, form) -> str:
    response = client.get(f"/forms/{form.id}/")
    response = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(response)})
    assert response.status_code == 302
    return response.headers["Location"]


def test_home_lists_every_form_with_a_link(client, app):
    html = client.get("/").get_data(as_text=True)
    for form in demo_forms(app):
        assert f'href="/forms/{form.id}/"' in html
        assert form.title in html


def test_start_page_says_what_to_bring(client, app):
    form = next(f for f in demo_forms(app) if f.what_to_bring)
    html = client.get(f"/forms/{form.id}/").get_data(as_text=True)
    assert "Start now" in html
    for item in form.what_to_bring:
        assert item in html


def test_every_demo_form_completes_with_a_reference(client, app):
    store = app.extensions["assist.store"]
    for form in demo_forms(app):
        html = complete_form(client, form, items_per_repeat=2)
        reference = REFERENCE.search(html).group(1)
        assert is_valid_reference(reference)
        assert "Application complete" in html
        submission = store.get_submission(reference)
        assert submission["form_id"] == form.id
        assert submission["form_version"] == form.version


def test_empty_required_answer_shows_error_summary_and_keeps_other_input(client, app):
    form = next(f for f in demo_forms(app) if first_page(f, lambda p: any(q.type == "date" for q in p.questions) and p.kind != "repeat"))
    page = first_page(form, lambda p: any(q.type == "date" for q in p.questions) and p.kind != "repeat")
    url = walk_to(client, form, page)
    question = next(q for q in page.questions if q.type == "date")
    token = csrf_token(client.get(url))
    response = client.post(url, data={"csrf_token": token, f"{question.id}-day": "31", f"{question.id}-month": "", f"{question.id}-year": "1960"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r"<title>\s*Error:", html)
    assert 'class="govuk-error-summary"' in html
    assert f'href="#{question.id}-month"' in html
    assert "must include a month" in html
    assert 'value="31"' in html and 'value="1960"' in html
    assert "This field is required" not in html


def test_change_from_check_answers_returns_to_check_answers(client, app):
    form = demo_forms(app)[0]
    complete_until_check_answers(client, form)
    html = client.get(f"/forms/{form.id}/check-answers").get_data(as_text=True)
    change = re.search(rf'href="(/forms/{form.id}/[a-z0-9-]+\?change=1)"', html).group(1)
    page, _ = page_from_url(form, change)
    token = csrf_token(client.get(change))
    data = {"csrf_token": token}
    for question in page.questions:
        data.update(example_raw(question, exit_values(page)))
    response = client.post(change, data=data)
    assert response.headers["Location"].split("#")[0].endswith(f"/forms/{form.id}/check-answers")


def complete_until_check_answers(client, form, skip_optional: bool = False):
    """Answer every page of ``form`` on the resident's path, up to check answers."""
    url = start(client, form)
    for _ in range(100):
        if url.endswith("/check-answers"):
            return
        page, number = page_from_url(form, url)
        response = client.get(url)
        data = {"csrf_token": csrf_token(response)}
        if page.kind == "repeat" and number is None:
            data["add-another"] = "no" if "govuk-summary-card__title" in response.get_data(as_text=True) else "yes"
        else:
            for question in page.questions:
                if not (skip_optional and question.optional):
                    data.update(example_raw(question, exit_values(page)))
        url = client.post(url, data=data).headers["Location"]
    raise AssertionError("never reached check answers")


def test_skipped_optional_question_shows_not_provided(client, app):
    form = next(f for f in demo_forms(app) if any(q.optional for q in f.questions()))
    complete_until_check_answers(client, form, skip_optional=True)
    html = client.get(f"/forms/{form.id}/check-answers").get_data(as_text=True)
    assert "Not provided" in html


def test_an_answer_that_routes_to_an_exit_page_shows_it(client, app):
    form, page, route = next(
        (f, p, r) for f in demo_forms(app) for p in f.pages for r in p.routes if r.exit
    )
    url = walk_to(client, form, page)
    token = csrf_token(client.get(url))
    response = client.post(url, data={"csrf_token": token, page.questions[0].id: route.if_value})
    assert response.headers["Location"].endswith(f"/cannot-continue/{route.exit}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert form.exits[route.exit].title in html
    assert f'href="{url}"' in html  # back to change the answer


def test_repeating_group_add_change_remove_and_minimum(client, app):
    form, page = next((f, p) for f in demo_forms(app) for p in f.pages if p.kind == "repeat" and p.min >= 1)
    url = walk_to(client, form, page)
    # with no items yet, the summary sends the resident to the first item
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{page.id}/1")
    for number in (1, 2):
        item_url = f"/forms/{form.id}/{page.id}/{number}"
        data = {"csrf_token": csrf_token(client.get(item_url))}
        for question in page.questions:
            data.update(example_raw(question))
        assert client.post(item_url, data=data).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert html.count('class="govuk-summary-card__title"') == 2
    remove = f"/forms/{form.id}/{page.id}/2/remove"
    response = client.post(remove, data={"csrf_token": csrf_token(client.get(remove)), "remove": "yes"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert html.count('class="govuk-summary-card__title"') == 1
    # no answer to "add another" is an error, not a crash
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url))})
    assert response.status_code == 400
    assert "Select yes if you need to add another" in response.get_data(as_text=True)


def test_pressing_submit_twice_makes_one_submission(client, app):
    form = demo_forms(app)[0]
    complete_until_check_answers(client, form)
    check = f"/forms/{form.id}/check-answers"
    token = csrf_token(client.get(check))
    first = client.post(check, data={"csrf_token": token})
    second = client.post(check, data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    store = app.extensions["assist.store"]
    assert store.count_submissions() == 1


def test_going_back_after_submitting_shows_no_answers(client, app):
    form = demo_forms(app)[0]
    complete_until_check_answers(client, form)
    check = f"/forms/{form.id}/check-answers"
    html = client.get(check).get_data(as_text=True)
    answered_urls = set(re.findall(rf'href="(/forms/{form.id}/[a-z0-9-]+)\?change=1"', html))
    client.post(check, data={"csrf_token": csrf_token(client.get(check))})
    for url in answered_urls | {check}:
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/forms/{form.id}/")
    assert "Sam Example" not in client.get(f"/forms/{form.id}/").get_data(as_text=True)


def test_pages_off_the_residents_path_redirect(client, app):
    form = demo_forms(app)[0]
    start(client, form)
    last = [p for p in form.pages if p.kind != "repeat"][-1]
    response = client.get(f"/forms/{form.id}/{last.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forms/{form.id}/{form.pages[0].id}")


def test_without_a_journey_question_pages_go_to_the_start_page(client, app):
    form = demo_forms(app)[0]
    response = client.get(f"/forms/{form.id}/{form.pages[0].id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/forms/{form.id}/")


def test_draft_records_progress_without_answers_in_statistics(client, app):
    form = demo_forms(app)[0]
    url = start(client, form)
    page, _ = page_from_url(form, url)
    data = {"csrf_token": csrf_token(client.get(url))}
    for question in page.questions:
        data.update(example_raw(question, exit_values(page)))
    client.post(url, data=data)
    store = app.extensions["assist.store"]
    journey_id = client.get_cookie("assist_session") and next(iter(_session(client)["journeys"].values()))
    journey = store.get_journey(journey_id)
    assert journey["form_version"] == form.version
    assert journey["language"] == "en"
    assert journey["mode"] == "online"
    assert journey["last_page"] == page.id
    assert journey["started_at"] and journey["last_activity_at"]


def _session(client):
    with client.session_transaction() as session:
        return dict(session)


def test_idle_draft_is_deleted_and_the_resident_told(client, app, monkeypatch):
    form = demo_forms(app)[0]
    start(client, form)
    journey_id = next(iter(_session(client)["journeys"].values()))
    from assist.web.core import resident
    from datetime import timedelta

    monkeypatch.setattr(resident, "idle_limit", lambda: timedelta(seconds=-1))
    response = client.get(f"/forms/{form.id}/{form.pages[0].id}")
    assert response.headers["Location"].endswith(f"/forms/{form.id}/")
    assert "answers were deleted" in client.get(f"/forms/{form.id}/").get_data(as_text=True)
    assert app.extensions["assist.store"].get_journey(journey_id)["answers"] == {}


def test_pages_are_never_cached_and_carry_security_headers(client, app):
    form = demo_forms(app)[0]
    url = start(client, form)
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store"
    assert "nonce-" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_page_shared_by_two_residents_carries_only_each_ones_own_csrf_token(client, app):
    form = demo_forms(app)[0]
    url = start(client, form)
    client.get(url)  # the first resident's visit puts the page in the shared cache
    other = app.test_client()
    assert start(other, form) == url
    html = other.get(url).get_data(as_text=True)
    assert len(set(re.findall(r'name="csrf_token" value="([^"]+)"', html))) == 1
    # The page's own form works for the second resident too: the answer is checked, not refused as forged
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    answered = other.post(url, data={"csrf_token": token})
    assert answered.status_code == 400 and "There is a problem" in answered.get_data(as_text=True)
    assert "came from somewhere else" not in answered.get_data(as_text=True)


def test_missing_csrf_token_gets_a_clear_page(client, app):
    form = demo_forms(app)[0]
    response = client.post(f"/forms/{form.id}/start", data={})
    assert response.status_code == 400
    assert "Nothing you had already saved has been lost" in response.get_data(as_text=True)


def test_unknown_form_and_page_are_404(client, app):
    assert client.get("/forms/no-such-form/").status_code == 404
    form = demo_forms(app)[0]
    start(client, form)
    assert client.get(f"/forms/{form.id}/no-such-page").status_code == 404


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
