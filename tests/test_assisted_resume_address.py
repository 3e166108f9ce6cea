"""The web address to carry on at home: on the "saved" page and the carry-on slip, large, with the
code and beside the QR code; from ``council.forms_url`` when it is set. The slip prints no answers."""

from __future__ import annotations

import dataclasses
import re

from assisted_support import (  # noqa: F401 - fixtures
    SECRETS, answer_until, app, client, clock, forms, journey_id_of, location, post, sign_in, start_resident,
    store,
)
from printouts_support import flat, pdf_text
from resume_support import check, enter, save, saved_assisted

PUBLIC = "https://forms.demo-borough.example.gov.uk"


def visible(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def with_forms_url(app, url: str = PUBLIC):
    config = app.extensions["assist.config"]
    app.extensions["assist.config"] = dataclasses.replace(
        config, council=dataclasses.replace(config.council, forms_url=url))


def slip_text(client, code: str) -> str:
    response = client.get(f"/print/carry-on/{code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return flat(pdf_text(response.data))


def test_the_saved_page_gives_the_address_to_carry_on_at_home(client, app, store):
    _, code, _, _ = saved_assisted(client, app, store)
    text = visible(client.get("/carry-on/saved"))
    assert "To carry on at home" in text
    assert "go to this web address and enter your code: http://localhost/carry-on" in text
    assert code in text


def test_the_address_as_printed_opens_the_carry_on_page(client, app, store):
    _, code, _, url = saved_assisted(client, app, store)
    post(client, "/carry-on/saved/done", token_from="/carry-on/saved")
    home = app.test_client()
    response = home.get("/carry-on")  # typed without the last /
    assert response.status_code == 308 and response.headers["Location"].endswith("/carry-on/")
    assert "Enter the code from your carry-on slip" in visible(home.get("/carry-on/"))


def test_the_councils_forms_url_is_the_address_when_it_is_set(client, app, store):
    with_forms_url(app, PUBLIC + "/")
    _, code, _, _ = saved_assisted(client, app, store)
    text = visible(client.get("/carry-on/saved"))
    assert "forms.demo-borough.example.gov.uk/carry-on" in text
    assert "https://" not in text.split("enter your code:", 1)[1][:40]  # typed as short as it works
    assert "localhost" not in text
    # The QR code on the slip opens the same page, with the code filled in.
    with client:
        client.get("/carry-on/saved")
        saved = app.extensions["assist.resume_lookup"](code)
    assert saved["resume_url"] == f"{PUBLIC}/carry-on/?code={code}"
    assert saved["carry_on_address"] == "forms.demo-borough.example.gov.uk/carry-on"
    slip = slip_text(client, code)
    assert "To carry on at home, go to forms.demo-borough.example.gov.uk/carry-on" in slip
    assert "localhost" not in slip


def test_a_plain_http_address_keeps_its_scheme(client, app, store):
    with_forms_url(app, "http://forms.library.example")
    _, code, _, _ = saved_assisted(client, app, store)
    assert "http://forms.library.example/carry-on" in visible(client.get("/carry-on/saved"))


def test_the_slip_gives_the_code_and_the_address_and_no_answers(client, app, store):
    sign_in(client)
    form = forms(app)["council-tax-reduction"]
    answer_until(client, form, start_resident(client, form.id), lambda url: url.endswith("/start-date"))
    answers = store.get_journey(journey_id_of(store))["answers"]
    code = save(client, form.id, {"check": "date_of_birth"})  # the date of birth the form has
    text = slip_text(client, code)
    assert code in text
    assert "To carry on at home, go to http://localhost/carry-on" in text
    assert "At home, you can also go to http://localhost/carry-on on a computer, tablet or phone" in text
    assert "your date of birth, as you gave it in this form" in text
    born = answers["date-of-birth"]
    assert born[:4] not in text and born not in text
    for secret in SECRETS:
        assert secret not in text
    for value in answers.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in text, value


def test_the_slip_names_the_postcode_when_that_is_the_check(client, app, store):
    sign_in(client)
    form = forms(app)["missed-bin"]
    answer_until(client, form, start_resident(client, form.id), lambda url: url.endswith("/street-address"))
    code = save(client, form.id, {"check": "postcode", "check-postcode": "LS1 4AP"})
    text = slip_text(client, code)
    assert "You will also be asked for your postcode" in text
    assert "date of birth" not in text
    assert "LS1 4AP" not in text and "LS14AP" not in text


def test_the_slip_in_arabic_keeps_the_address_left_to_right(client, app, store):
    _, code, _, _ = saved_assisted(client, app, store)
    client.get("/carry-on/saved?lang=ar")
    response = client.get(f"/print/carry-on/{code}.pdf")
    assert response.status_code == 200
    text = flat(pdf_text(response.data))
    assert "http://localhost/carry-on" in text and code in text
    assert "To carry on at home" not in text  # said in Arabic


def test_the_address_on_the_saved_page_is_said_in_the_residents_language(client, app, store):
    _, code, _, _ = saved_assisted(client, app, store)
    arabic = visible(client.get("/carry-on/saved?lang=ar", follow_redirects=True))
    assert "http://localhost/carry-on" in arabic and code in arabic
    assert "To carry on at home" not in arabic
    assert 'dir="ltr">http://localhost/carry-on<' in client.get("/carry-on/saved").get_data(as_text=True)
