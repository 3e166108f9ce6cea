"""The second check of a saved form: how many tries are left, said before the first and after each
wrong one; and a date of birth the form already has is the check, not asked again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from assisted_support import (  # noqa: F401 - fixtures
    answer_until, app, client, clock, forms, journey_id_of, location, post, sign_in, start_resident, store,
)
from conftest import csrf_token
from resume_support import DOB, WRONG_DOB, check, enter, save, saved_assisted


def visible(response) -> str:
    """The page's text as read, tags dropped and spaces joined."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def finished(client, app, store):
    form, code, journey_id, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    return code, journey_id, url


# --- how many tries ------------------------------------------------------------------------------

def test_the_check_page_says_how_many_tries_there_are_before_the_first(client, app, store):
    code, _, _ = finished(client, app, store)
    resident = app.test_client()
    enter(resident, code)
    text = visible(resident.get("/carry-on/check"))
    assert "You have 5 tries. After that, the saved answers are deleted." in text


def test_the_number_of_tries_comes_from_resume_attempts(client, app, store):
    config = app.extensions["assist.config"]
    app.extensions["assist.config"] = dataclasses.replace(
        config, sessions=dataclasses.replace(config.sessions, resume_attempts=3))
    code, journey_id, _ = finished(client, app, store)
    resident = app.test_client()
    enter(resident, code)
    assert "You have 3 tries. After that" in visible(resident.get("/carry-on/check"))
    for left in (2, 1):
        assert f"You have {left} tr" in visible(check(resident, WRONG_DOB))
    assert check(resident, WRONG_DOB).status_code == 403
    assert store.get_journey(journey_id)["answers"] == {}


def test_each_wrong_try_says_how_many_are_left_and_that_the_answers_go_after_the_last(client, app, store):
    code, journey_id, url = finished(client, app, store)
    said = []
    for _ in range(4):
        resident = app.test_client()  # tries count against the code, wherever they are made
        enter(resident, code)
        response = check(resident, WRONG_DOB)
        assert response.status_code == 400
        text = visible(response)
        # In the error summary and by the field; the typed date stays in the fields.
        assert text.count("That does not match what was given when the form was saved.") == 2
        assert 'value="4"' in response.get_data(as_text=True)
        said.append(re.search(r"You have \d+ tr\w+ left\. After that, the saved answers are deleted\.", text).group())
    assert said == [f"You have {n} {'try' if n == 1 else 'tries'} left. After that, the saved answers are deleted."
                    for n in (4, 3, 2, 1)]
    # The count is not repeated below the field while the error says it.
    assert "You have 1 try left" in said[-1] and visible(response).count("You have 1 try left") == 2


def test_a_new_visit_after_wrong_tries_says_how_many_are_left(client, app, store):
    code, _, _ = finished(client, app, store)
    elsewhere = app.test_client()
    enter(elsewhere, code)
    check(elsewhere, WRONG_DOB)
    check(elsewhere, WRONG_DOB)
    later = app.test_client()
    enter(later, code)
    text = visible(later.get("/carry-on/check"))
    assert "You have 3 tries left. After that, the saved answers are deleted." in text


def test_a_right_check_after_wrong_ones_carries_on(client, app, store):
    code, _, url = finished(client, app, store)
    resident = app.test_client()
    enter(resident, code)
    check(resident, WRONG_DOB)
    assert location(check(resident, DOB)).endswith(url)


def test_tries_are_said_in_the_residents_language(client, app, store):
    code, _, _ = finished(client, app, store)
    resident = app.test_client()
    resident.get("/carry-on/?lang=cy")
    enter(resident, code)
    assert "Mae gennych 5 cynnig. Wedi hynny" in visible(resident.get("/carry-on/check"))
    assert "Mae 4 cynnig ar ôl gennych." in visible(check(resident, WRONG_DOB))
    arabic = app.test_client()
    arabic.get("/carry-on/?lang=ar")
    enter(arabic, code)
    assert "تبقّت لديك 3 محاولات." in visible(check(arabic, WRONG_DOB))
    assert "تبقّت لديك محاولتان (2)." in visible(check(arabic, WRONG_DOB))


# --- the date of birth the form already has ------------------------------------------------------

def answered_date_of_birth(client, app, store):
    """A helper's resident answers Council Tax Reduction up to their date of birth and a page more."""
    sign_in(client)
    form = forms(app)["council-tax-reduction"]
    url, _ = answer_until(client, form, start_resident(client, form.id), lambda url: url.endswith("/address"))
    journey_id = journey_id_of(store)
    born = dt.date.fromisoformat(store.get_journey(journey_id)["answers"]["date-of-birth"])
    return form, journey_id, url, {"check-day": str(born.day), "check-month": str(born.month),
                                   "check-year": str(born.year)}


def test_saving_uses_the_date_of_birth_in_the_form_without_asking_again(client, app, store):
    form, journey_id, url, born = answered_date_of_birth(client, app, store)
    page = client.get(f"/carry-on/save/{form.id}")
    html = page.get_data(as_text=True)
    assert "To carry on, you will be asked your date of birth, as you gave it in this form." in visible(page)
    assert 'name="check-day"' not in html  # not asked again
    assert 'name="check-postcode"' in html  # the other choice, as before
    code = save(client, form.id, {"check": "date_of_birth"})
    saved = visible(client.get("/carry-on/saved"))
    assert "your date of birth, as you gave it in this form" in saved
    assert born["check-year"] not in saved  # the date itself is not shown
    row = store.db.execute("select check_kind, check_hash from resume_codes where journey_id = ?",
                           [journey_id]).fetchone()
    assert row[0] == "date_of_birth" and row[1].startswith("scrypt$") and born["check-year"] not in row[1]
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    resident = app.test_client()
    enter(resident, code)
    assert check(resident, DOB).status_code == 400  # not the date typed on the save page before
    assert location(check(resident, born)).endswith(url)
    assert store.audit_log(event="resume")[0]["journey_id"] == journey_id


def test_date_fields_typed_on_the_save_page_cannot_replace_the_forms_date_of_birth(client, app, store):
    form, journey_id, url, born = answered_date_of_birth(client, app, store)
    code = save(client, form.id, {"check": "date_of_birth", **DOB})
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    resident = app.test_client()
    enter(resident, code)
    assert check(resident, DOB).status_code == 400
    assert location(check(resident, born)).endswith(url)


def test_postcode_can_still_be_chosen_when_the_form_has_the_date_of_birth(client, app, store):
    form, journey_id, url, born = answered_date_of_birth(client, app, store)
    page = client.get(f"/carry-on/save/{form.id}")
    response = client.post(f"/carry-on/save/{form.id}", data={"csrf_token": csrf_token(page), "check": "postcode"})
    assert response.status_code == 400 and "Enter the postcode" in visible(response)
    code = save(client, form.id, {"check": "postcode", "check-postcode": "ls1 4ap"})
    assert "You will need the code and your postcode." in visible(client.get("/carry-on/saved"))
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    resident = app.test_client()
    enter(resident, code)
    assert "What is your postcode?" in visible(resident.get("/carry-on/check"))
    assert check(resident, born).status_code == 400  # date fields are not the check now
    assert location(check(resident, {"check-postcode": "LS14AP"})).endswith(url)


def test_a_form_whose_date_of_birth_is_not_answered_yet_asks_for_it(client, app, store):
    sign_in(client)
    form = forms(app)["council-tax-reduction"]
    url, _ = answer_until(client, form, start_resident(client, form.id), lambda url: url.endswith("/full-name"))
    page = client.get(f"/carry-on/save/{form.id}")
    assert 'name="check-day"' in page.get_data(as_text=True)
    assert "as you gave it in this form" not in visible(page)
    code = save(client, form.id)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    resident = app.test_client()
    enter(resident, code)
    assert location(check(resident, DOB)).endswith(url)


# --- whose date of birth ---------------------------------------------------------------------------

CHILD_FIRST = '''
id = "child-first"
version = "1"
title = "A child's date of birth first"

[[pages]]
id = "child-date-of-birth"

  [[pages.questions]]
  id = "child-date-of-birth"
  type = "date"
  date_of_birth = true
  label = "What is the child's date of birth?"
  name = "the child's date of birth"

[[pages]]
id = "people"
kind = "repeat"
title = "People"
item_name = "person"

  [[pages.questions]]
  id = "person-date-of-birth"
  type = "date"
  date_of_birth = true
  label = "What is your date of birth?"

[[pages]]
id = "date-of-birth"

  [[pages.questions]]
  id = "date-of-birth"
  type = "date"
  date_of_birth = true
  label = "What is your date of birth?"
'''


def test_only_the_residents_own_date_of_birth_is_used(tmp_path):
    from assist.engine.definitions import load_form
    from assist.web.assisted.second_check import own_date_of_birth

    path = tmp_path / "child-first.toml"
    path.write_text(CHILD_FIRST, encoding="utf-8")
    form = load_form(path)
    someone_else = {"child-date-of-birth": "2016-09-05", "people": [{"person-date-of-birth": "1950-01-02"}]}
    assert own_date_of_birth(form, someone_else) is None  # a child's, or in a repeating group: asked instead
    assert own_date_of_birth(form, {**someone_else, "date-of-birth": "1961-07-30"}) == "1961-07-30"


def test_in_arabic_the_date_boxes_are_in_the_order_of_the_forms_own_date_questions(client, app, store):
    code, _, _ = finished(client, app, store)
    resident = app.test_client()
    resident.get("/carry-on/?lang=ar")
    enter(resident, code)
    check_page = resident.get("/carry-on/check").get_data(as_text=True)
    assert re.search(r'<html[^>]*dir="rtl"', check_page)
    # Day on the right, as in the form's own date questions (templates/_fields.html), not forced
    # left to right; the digits in each box stay left to right (the stylesheet's date-input rule).
    assert 'dir="ltr"' not in re.search(r'<div class="govuk-date-input"[^>]*>', check_page).group()
