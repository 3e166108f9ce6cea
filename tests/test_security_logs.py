"""No personal data in logs: whole journeys (online, with a helper, saved and carried on, refused
input, delivered to the council) with every logger at debug level, and not one answer in the output."""

from __future__ import annotations

import logging

from assisted_support import (CODE, SECRETS, answer_page, answer_until, location, sign_in,  # noqa: F401
                              start_resident)
from conftest import csrf_token
from delivery_support import clock, delivery_config, make_app, store  # noqa: F401

#: Distinctive answers that would only be in the log if an answer got there.
LOGGED_NEVER = (*SECRETS, "Sam Example", "sam@example.com", "07700 900982", "120.50", "1 High Street",
                "Demotown", "SW1A 1AA", "Rita Resident", "Quill-typo-9999")


def finish(client, url: str) -> str:
    page = client.get(url)
    response = client.post(url, data={"csrf_token": csrf_token(page)})
    return location(response)


def test_full_journeys_at_debug_level_log_no_answer(delivery_config, store, caplog):
    from assist.delivery import Worker

    app = make_app(delivery_config, store)
    store.add_venue("central-library", "Central Library")
    store.add_helper("Sam Helper", "1234", ["central-library"], helper_id="sam-helper")
    forms = app.extensions["assist.forms"]
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    for name in ("assist", "werkzeug", "weasyprint", "fontTools", "sqlite_utils"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    assert logging.getLogger("assist").isEnabledFor(logging.DEBUG)

    # Online, every form, with a wrong answer on the way (the error page repeats it).
    for form in forms.values():
        client = app.test_client()
        page = client.get(f"/forms/{form.id}/")
        url = location(client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}))
        client.post(url, data={"csrf_token": csrf_token(client.get(url)), **{
            name: "Quill-typo-9999" for q in form.page(url.rsplit("/", 1)[1]).questions for name in q.field_names}})
        url, _ = answer_until(client, form, url, lambda u: u.endswith("/check-answers"))
        finish(client, url)

    # With a helper: a resident's form, saved for later, carried on at the tablet, and sent.
    tablet = app.test_client()
    sign_in(tablet)
    form = forms["missed-bin"]
    url = answer_page(tablet, form, start_resident(tablet, form.id))
    save = tablet.get(f"/carry-on/save/{form.id}")
    tablet.post(f"/carry-on/save/{form.id}", data={"csrf_token": csrf_token(save), "check": "date_of_birth",
                                                   "check-day": "3", "check-month": "11", "check-year": "1948"})
    code = CODE.search(tablet.get("/carry-on/saved").get_data(as_text=True)).group(1)
    resumed = app.test_client()
    page = resumed.get("/carry-on/")
    resumed.post("/carry-on/", data={"csrf_token": csrf_token(page), "code": code})
    page = resumed.get("/carry-on/check")
    url = location(resumed.post("/carry-on/check", data={"csrf_token": csrf_token(page), "check-day": "3",
                                                         "check-month": "11", "check-year": "1948"}))
    url, _ = answer_until(resumed, form, url, lambda u: u.endswith("/check-answers"))
    finish(resumed, url)

    # The council's copies go out (PDF and JSON to the folder).
    result = Worker(store, forms, delivery_config).run_once()
    assert result.delivered >= len(forms)

    references = [row[0] for row in store.db.execute("select reference from submissions")]
    sent = [r for r in references if "zebedee" in repr(store.get_submission(r)["answers"]).lower()]
    assert len(sent) == len(forms) + 1  # the answers that must not be logged really went through

    logged = "\n".join(f"{record.getMessage()} {record.args!r} {record.exc_text or ''}" for record in caplog.records)
    assert caplog.records, "nothing was logged at all: the test would prove nothing"
    leaks = [secret for secret in LOGGED_NEVER if secret.lower() in logged.lower()]
    assert not leaks, f"answers in the log: {leaks}"
