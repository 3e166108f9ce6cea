"""Hostile input in every other form of the app: sign-in, venue, kiosk, carry on, the helper's
screens, paper keying and the admin pages, for the role that sees each one.

Each page's own forms are read from its HTML (every named field, whatever its kind) and posted
back with hostile values: never a 500, a refusal is a page with an error summary, and nothing
typed comes back as markup.
"""

from __future__ import annotations

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from admin_support import ADMIN_ID, people, sign_in_at  # noqa: F401
from assisted_support import CODE, HELPER, VENUE, app, clock, forms, sign_in, start_resident, store  # noqa: F401
from assist.printouts.references import paper_reference
from conftest import csrf_token
from test_security_hostile_input import EVERY_FIELD, HOSTILE_SETTINGS, MARKUP, VALUE


def anonymous(app):
    return app.test_client()


def tablet(app):
    client = app.test_client()
    client.set_cookie("assist_venue", VENUE)
    return client


def kiosk(app):
    client = app.test_client()
    client.get(f"/kiosk/{VENUE}")
    return client


def helper(app):
    client = tablet(app)
    sign_in(client)
    return client


def naming_resident(app):
    """A helper who chose a form for a resident, asked whose form it is."""
    client = helper(app)
    page = client.get("/helpers/help")
    client.post("/helpers/help", data={"csrf_token": csrf_token(page), "form": "missed-bin"})
    return client


def asking_consent(app):
    """A helper with a resident, on the consent page."""
    client = helper(app)
    start_resident(client, "missed-bin", agree=False)
    return client


def with_resident(app):
    client = helper(app)
    start_resident(client, "missed-bin")
    return client


def carrying_on(app):
    """A browser that entered a carry-on code and is asked for its second check."""
    tablet = with_resident(app)
    page = tablet.get("/carry-on/save/missed-bin")
    tablet.post("/carry-on/save/missed-bin", data={"csrf_token": csrf_token(page), "check": "date_of_birth",
                                                    "check-day": "3", "check-month": "11", "check-year": "1948"})
    code = CODE.search(tablet.get("/carry-on/saved").get_data(as_text=True)).group(1)
    client = app.test_client()
    page = client.get("/carry-on/")
    client.post("/carry-on/", data={"csrf_token": csrf_token(page), "code": code})
    return client


def admin(app):
    client = app.test_client()
    sign_in_at(client, ADMIN_ID)
    return client


def paper_keying(app) -> str:
    form = forms(app)["missed-bin"]
    return f"/helpers/paper/{paper_reference(form, 'en')}/4711"


#: (page, how to get a browser that sees it)
PAGES = [
    ("/helpers/sign-in", tablet), ("/helpers/venue", anonymous), ("/carry-on/", anonymous),
    (f"/kiosk/{VENUE}", kiosk),
    ("/helpers/help", helper), ("/helpers/paper/", helper), (paper_keying, helper),
    ("/helpers/resident/who", naming_resident), ("/helpers/resident/consent", asking_consent),
    ("/carry-on/save/missed-bin", with_resident), ("/carry-on/check", carrying_on),
    ("/admin/helpers/new", admin), (f"/admin/helpers/{HELPER}/reset-pin", admin), ("/admin/venues", admin),
    ("/admin/", admin), ("/admin/submissions", admin), ("/admin/report", admin), ("/admin/audit", admin),
]


#: Buttons that close a venue or deactivate a helper: no typed input, and they would lock out the admin.
NO_INPUT_ACTIONS = ("/close", "/deactivate")


def page_forms(html: str) -> list[tuple[str, str, list[str]]]:
    """(method, action, field names) of every form on the page, the CSRF token left out."""
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    found = []
    for form in document.iter("form"):
        if (form.get("action") or "").endswith(NO_INPUT_ACTIONS):
            continue
        names = sorted({element.get("name") for tag in ("input", "textarea", "select", "button")
                        for element in form.iter(tag) if element.get("name") and element.get("name") != "csrf_token"})
        token = next((e.get("value") for e in form.iter("input") if e.get("name") == "csrf_token"), None)
        found.append(((form.get("method") or "get").lower(), form.get("action") or "", names, token))
    return found


#: Fewer examples per page than for the question pages: there are many pages, each needing a sign-in.
FORM_SETTINGS = settings(HOSTILE_SETTINGS, max_examples=6)
#: Values drawn for each example; a form with more fields reuses them.
MAX_FIELDS = 12


def check(client, url: str, method: str, action: str, values: dict, token: str | None):
    """Send ``values`` with one of ``url``'s forms: never a 500, a refusal is a whole error page, no markup typed comes back."""
    if method == "post":
        response = client.post(action or url, data={"csrf_token": token, **values})
    else:
        response = client.get(action or url, query_string=values)
    assert response.status_code != 500, (url, values)
    assert response.status_code in (200, 302, 303, 400, 403, 404), (url, response.status_code)
    html = response.get_data(as_text=True)
    if response.status_code == 400:  # the field's error, or (for a value no field offers) the error page
        assert "govuk-error-summary" in html or "Something went wrong with that request" in html, (url, values)
    for marker in MARKUP:
        assert marker not in html, (url, marker)


@pytest.mark.parametrize("url, device", PAGES, ids=[p if isinstance(p, str) else p.__name__ for p, _ in PAGES])
def test_hostile_values_in_every_form_of_every_page(app, people, url, device):
    url = url(app) if callable(url) else url
    browser = [device(app)]
    first = browser[0].get(url)
    assert first.status_code == 200, (url, first.status_code)
    assert page_forms(first.get_data(as_text=True)), f"{url} has no form"

    def forms_now() -> list:
        """The page's forms as this browser sees it now (an accepted value may have moved it on, signed
        it out or given it a new session and token: then a new browser)."""
        page = browser[0].get(url)
        if page.status_code != 200:
            browser[0] = device(app)
            page = browser[0].get(url)
        return page_forms(page.get_data(as_text=True))

    # Every form on the page with the same value in every field...
    for value in EVERY_FIELD:
        for index in range(len(forms_now())):
            here = forms_now()
            if index < len(here):
                method, action, names, token = here[index]
                check(browser[0], url, method, action, dict.fromkeys(names, value), token)

    # ...then random mixtures. The same draws whatever the page shows (its forms change as values are accepted).
    @FORM_SETTINGS
    @given(st.integers(0, 99), st.lists(VALUE, min_size=MAX_FIELDS, max_size=MAX_FIELDS))
    def post_hostile(choice, drawn):
        here = forms_now()
        if not here:  # nothing left to post on this page in this state
            return
        method, action, names, token = here[choice % len(here)]
        check(browser[0], url, method, action, {name: drawn[index % MAX_FIELDS] for index, name in enumerate(names)},
              token)

    post_hostile()
