"""Whole journeys in Welsh and Arabic: no English on the way, right-to-left pages, language switching."""

from __future__ import annotations

import re

import html5lib
import pytest

from assist.i18n.catalogues import extract_messages, translated
from conftest import csrf_token
from support import complete_form, example_raw, exit_values, page_from_url

#: Text that is data, not interface: the council's and venues' names, the demo answers, form ids.
DATA = ("Demo Borough Council", "Demo Council", "Central Library", "Sam Example", "Demotown", "High Street",
        "Demoshire", "France", "Example")


def visible_text(html: str) -> str:
    """The text a resident sees (and hears from a screen reader): no scripts, no other languages' names."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    root = document if document.tag == "html" else document.find(".//html")
    page_lang = root.get("lang")
    parts: list[str] = []

    def walk(element, skip=False):
        if element.tag in ("script", "style", "template") or element.get("lang") not in (None, page_lang):
            skip = True  # e.g. "English" in the language switcher is marked lang="en"
        if not skip and element.text:
            parts.append(element.text)
        for child in element:
            walk(child, skip)
            if child.tail and not skip:
                parts.append(child.tail)
        for name in ("aria-label", "title", "alt", "placeholder", "value"):
            if not skip and element.get(name) and element.tag != "input":
                parts.append(element.get(name))

    walk(root)
    return re.sub(r"\s+", " ", " ".join(parts))


def english_leaks(text: str, language: str, sources) -> list[str]:
    """English messages (interface and form text) in ``text`` that ``language`` translates differently."""
    have = translated(language)
    for data in DATA:
        text = text.replace(data, " ")
    # Names kept as they are (school names) and English names of benefits given in brackets on
    # purpose, so residents can match them to their letters: "بدل الرعاية (Attendance Allowance)".
    for msgid, string in have.items():
        if string == msgid:
            text = text.replace(msgid, " ")
    text = re.sub(r"\([A-Za-z’' -]+\)", " ", text)
    leaks = []
    for msgid in sources:
        if re.search(r"\{\w+\}|%\(\w+\)s|%%", msgid) or have.get(msgid, msgid) == msgid:
            continue
        if len(msgid) < 4 and msgid not in ("No",):  # "or", "PIN": too short to tell apart from data
            continue
        if re.search(rf"(?<![\w-]){re.escape(msgid)}(?![\w-])", text):
            leaks.append(msgid)
    return leaks


@pytest.fixture(scope="module")
def sources():
    return list(extract_messages())


def walk_recording(client, form) -> list[tuple[str, str]]:
    """Complete ``form``, returning ``(url, html)`` of every page the test client was given."""
    pages: list[tuple[str, str]] = []
    original = client.open

    def recording_open(*args, **kwargs):
        response = original(*args, **kwargs)
        if response.mimetype == "text/html" and response.status_code == 200:
            pages.append((str(args[0]) if args else "", response.get_data(as_text=True)))
        return response

    client.open = recording_open
    try:
        complete_form(client, form)
    finally:
        client.open = original
    return pages


def error_page(client, form) -> str:
    """The first question page of ``form`` sent empty: the error summary and messages."""
    response = client.get(f"/forms/{form.id}/")
    response = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(response)})
    url = response.headers["Location"]
    page, _ = page_from_url(form, url)
    while page is not None and all(q.type == "content" for q in page.questions):
        response = client.post(url, data={"csrf_token": csrf_token(client.get(url))})
        url = response.headers["Location"]
        page, _ = page_from_url(form, url)
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url))})
    assert response.status_code == 400  # the page again, with the error summary
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["cy", "ar"])
def test_every_form_in_a_complete_language_shows_no_english(client, app, language, sources):
    client.get(f"/?lang={language}")
    for form in app.extensions["assist.forms"].values():
        pages = walk_recording(client, form)
        pages.append(("home", client.get("/").get_data(as_text=True)))
        pages.append(("error", error_page(client, form)))
        pages.append(("404", client.get("/no-such-page").get_data(as_text=True)))
        for url, html in pages:
            assert f'lang="{language}"' in html[:600], url
            leaks = english_leaks(visible_text(html), language, sources)
            assert not leaks, f"{form.id} {url}: English on a {language} page: {leaks}"


def test_right_to_left_pages_carry_dir_rtl_and_left_to_right_ones_do_not(client, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    for language, direction in (("ar", "rtl"), ("ur", "rtl"), ("cy", "ltr"), ("bn", "ltr"), ("pa", "ltr")):
        html = client.get(f"/forms/{form.id}/?lang={language}", follow_redirects=True).get_data(as_text=True)
        assert re.search(rf'<html lang="{language}" dir="{direction}"', html)  # on the root: the whole page


def test_references_phone_numbers_and_postcodes_stay_left_to_right(client, app):
    client.get("/?lang=ar")
    form = app.extensions["assist.forms"]["missed-bin"]
    html = complete_form(client, form)
    assert re.search(r'<strong class="assist-reference" dir="ltr">[A-Z0-9-]+</strong>', html)
    assert re.search(r'<span dir="ltr">01632 960 001</span>', html)  # the council's phone number


def test_phone_postcode_and_ni_inputs_are_left_to_right(client, app):
    client.get("/?lang=ur")
    form = app.extensions["assist.forms"]["missed-bin"]
    response = client.get(f"/forms/{form.id}/")
    response = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(response)})
    url = response.headers["Location"]
    seen = set()
    for _ in range(12):
        page, _ = page_from_url(form, url)
        if page is None:
            break
        html = client.get(url).get_data(as_text=True)
        for question in page.questions:
            if question.type in ("phone", "postcode", "email"):
                field = re.search(rf'<input[^>]*name="{question.id}"[^>]*>', html).group(0)
                assert 'dir="ltr"' in field, field
                seen.add(question.type)
        data = {"csrf_token": csrf_token(client.get(url))}
        for question in page.questions:
            data.update(example_raw(question, exit_values(page)))
        url = client.post(url, data=data).headers["Location"]
    assert {"phone", "postcode", "email"} <= seen


def test_switching_language_mid_form_keeps_the_answers(client, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    response = client.get(f"/forms/{form.id}/")
    response = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(response)})
    url = response.headers["Location"]
    assert url.endswith("/bin-type")
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url)), "bin-type": "recycling"})
    next_url = response.headers["Location"]
    client.post(next_url, data={"csrf_token": csrf_token(client.get(next_url)), "postcode": "sw1a 1aa"})

    # Switch to Arabic on the postcode page: the switcher redirects back to the same page.
    switched = client.get(f"{next_url}?lang=ar")
    assert switched.status_code == 302 and switched.headers["Location"].endswith(next_url.split("?")[0])
    html = client.get(next_url).get_data(as_text=True)
    assert 'lang="ar"' in html and 'value="SW1A 1AA"' in html
    html = client.get(url).get_data(as_text=True)
    assert re.search(r'value="recycling"[^>]*checked', html)
    assert "إعادة التدوير" in html  # the chosen option's label, now in Arabic

    # And to Welsh, then back to English: still the same answers, stored as values not labels.
    client.get(f"{url}?lang=cy")
    assert re.search(r'value="recycling"[^>]*checked', client.get(url).get_data(as_text=True))
    client.get(f"{url}?lang=en")
    assert re.search(r'value="recycling"[^>]*checked', client.get(url).get_data(as_text=True))
    with client.session_transaction() as session:
        journey_id = next(v for k, v in session.items() if "journey" in k and isinstance(v, (str, dict)))
    store = app.extensions["assist.store"]
    journeys = [j for j in [store.get_journey(journey_id)] if j] if isinstance(journey_id, str) else []
    for journey in journeys:
        assert journey["answers"]["bin-type"] == "recycling"


def test_first_visit_takes_the_language_from_accept_language(client):
    html = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="cy"' in html
    html = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en"' in html


def test_the_chosen_language_beats_the_browser_and_lasts_the_session(client):
    client.get("/?lang=bn")
    html = client.get("/", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert '<html lang="bn"' in html


def test_switcher_names_each_language_in_its_own_script_on_every_page(client, app):
    form = app.extensions["assist.forms"]["blue-badge"]
    for path in ("/", f"/forms/{form.id}/", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        nav = re.search(r'<nav class="assist-language-switcher".*?</nav>', html, re.S).group(0)
        for code, name in (("cy", "Cymraeg"), ("pl", "Polski"), ("ar", "العربية"), ("ur", "اردو"),
                           ("bn", "বাংলা"), ("pa", "ਪੰਜਾਬੀ")):
            assert re.search(rf'hreflang="{code}"[^>]*>{name}</a>', nav), (path, code)
        assert 'aria-current="true" lang="en"' in nav


@pytest.mark.parametrize("language, day, money", [("cy", "12 Mai", "£120.50"), ("pl", "12 maja", "120,50\xa0£"),
                                                  ("ar", "12 مايو", "120.50\xa0£")])
def test_dates_and_money_are_written_the_languages_way_on_check_answers(client, app, language, day, money):
    client.get(f"/?lang={language}")
    form = app.extensions["assist.forms"]["council-tax-reduction"]
    pages = walk_recording(client, form)
    check = next(html for url, html in pages if "check-answers" in url)
    assert day in check and money in check
