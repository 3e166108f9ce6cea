"""Accessibility of every page type in every checked language, in Debian's Chromium: axe-core's WCAG 2.2
A and AA rules, titles, error summaries, reflow, touch targets, and a whole form by keyboard alone.
The page types, languages and checks are declared once in assist/web/site/accessibility.py, which the
accessibility statement also renders; each test visits one group of page types in one language."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from accessibility_support import Checker, check_error_summary, new_context
from admin_support import people, session as make_session  # noqa: F401 - people is a fixture
from assisted_support import PIN, VENUE, answer_page, app, clock, sign_in, start_resident, store  # noqa: F401
from conftest import ROOT, screenshot
from keyboard_support import walk_form_by_keyboard
from kiosk_support import KIOSK
from support import example_raw, exit_values, fill_in_browser, page_from_url, walk_to

from assist.web.site.accessibility import LANGUAGES, QUESTION_TYPES, page_types

SUBMIT = "main form button.govuk-button:not([type=button]):not([value=upload])"  # not Clear signature or Upload file


def forms(app) -> dict:
    return app.extensions["assist.forms"]


def open_in(browser, base: str, language: str, start: str = "/", **options):
    context = new_context(browser, **options)
    page = context.new_page()
    page.goto(f"{base}{start}{'&' if '?' in start else '?'}lang={language}")
    return page


def copy_cookies(client, page, base: str, app) -> None:
    """Carry the test client's session (made quickly without a browser) into the browser profile."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def answer(page, current) -> None:
    """Fill in the page now open with valid answers that stay on the form's main route."""
    for question in current.questions:
        fill_in_browser(page, question, example_raw(question, exit_values(current)))


#: Answers each question type refuses, for optional questions (which show no error when left empty).
INVALID = {"email": "not an email address", "phone": "call me", "number": "lots", "money": "lots"}


def can_be_wrong(current) -> set:
    """The question types on a page that can be made to show an error: required, or given a wrong answer."""
    return {q.type for q in current.questions if q.type != "content" and (not q.optional or q.type in INVALID)}


def walk(page, checker: Checker, form, covered: set, errored: set, stop=None) -> None:
    """From the page now open, answer ``form`` up to check answers (or ``stop``), checking each page that
    shows a question type not seen yet or not yet seen in its error state (and that error state), and
    the add-another page once."""
    for _ in range(60):
        page.wait_for_load_state()
        if page.url.endswith("/check-answers") or (stop and stop(page.url)):
            return
        current, number = page_from_url(form, page.url)
        if current.kind == "repeat" and number is None:
            added = page.locator(".govuk-summary-card").count()
            if "add-another" not in checker.visited:
                checker.check(page, "add-another", form.id)
            page.check(f'input[name="add-another"][value="{"yes" if added < max(current.min, 1) else "no"}"]')
        else:
            new, wrong = {q.type for q in current.questions} - covered, can_be_wrong(current) - errored
            if new or wrong:
                covered.update(new)
                checker.check(page, "question", f"{form.id}/{current.id}")
            if wrong:
                for question in current.questions:
                    if question.optional and question.type in INVALID:
                        page.fill(f"#{question.id}", INVALID[question.type])
                page.locator(SUBMIT).first.click()
                checker.check(page, "question-error", f"{form.id}/{current.id}")
                check_error_summary(page, f"{form.id}/{current.id} [{checker.language}]")
                errored.update(can_be_wrong(current))
            answer(page, current)
        page.locator(SUBMIT).first.click()
    raise AssertionError(f"{form.id}: did not reach check answers")


@pytest.fixture
def base(live_server):
    return live_server


@pytest.mark.parametrize("language", LANGUAGES)
def test_resident_pages(browser, base, app, client, language):
    page = open_in(browser, base, language)
    checker = Checker(language)
    checker.check(page, "home")
    page.locator(".govuk-footer a[href='/accessibility']").click()
    checker.check(page, "statement")
    covered: set = set()
    errored: set = set()

    missed_bin = forms(app)["missed-bin"]
    page.goto(f"{base}/forms/{missed_bin.id}/")
    checker.check(page, "start", missed_bin.id)
    page.locator(SUBMIT).first.click()
    walk(page, checker, missed_bin, covered, errored, stop=lambda url: url.endswith("/bin-out-in-time"))
    question = missed_bin.question("bin-out-in-time")
    page.check(f'input[name="{question.id}"][value="{sorted(exit_values(missed_bin.page("bin-out-in-time")))[0]}"]')
    page.locator(SUBMIT).first.click()
    checker.check(page, "exit", missed_bin.id)

    school_meals = forms(app)["school-meals"]
    page.goto(f"{base}/forms/{school_meals.id}/")
    page.locator(SUBMIT).first.click()
    walk(page, checker, school_meals, covered, errored)
    checker.check(page, "check-answers", school_meals.id)
    page.locator(SUBMIT).first.click()
    checker.check(page, "confirmation", school_meals.id)

    # The rest of the question types, on a form the test client answers up to them (no browser needed).
    tax = forms(app)["council-tax-reduction"]
    client.get(f"/?lang={language}")
    url = walk_to(client, tax, next(p for p in tax.pages if {q.type for q in p.questions} - covered
                                    or can_be_wrong(p) - errored))
    copy_cookies(client, page, base, app)
    page.goto(f"{base}{url}")
    walk(page, checker, tax, covered, errored, stop=lambda url: set(QUESTION_TYPES) <= covered
         and set(QUESTION_TYPES) - {"content"} <= errored)
    # The signature, on the Blue Badge declaration.
    badge = forms(app)["blue-badge"]
    signing = next((p for p in badge.pages if {q.type for q in p.questions} - covered), None)
    if signing is not None:
        url = walk_to(client, badge, signing)
        copy_cookies(client, page, base, app)
        page.goto(f"{base}{url}")
        walk(page, checker, badge, covered, errored, stop=lambda url: set(QUESTION_TYPES) <= covered
             and set(QUESTION_TYPES) - {"content"} <= errored)

    assert covered == set(QUESTION_TYPES)
    assert errored == set(QUESTION_TYPES) - {"content"}  # content pages ask nothing, so cannot be wrong
    if language != "en":
        screenshot(page, f"accessibility-{language}-question")
    checker.assert_no_problems()
    assert checker.visited == {kind.id for kind in page_types("resident")}
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_form_by_keyboard_alone(browser, base, app, language):
    page = open_in(browser, base, language)
    form = forms(app)["missed-bin"]
    page.goto(f"{base}/forms/{form.id}/")
    walk_form_by_keyboard(page, form)
    expect(page.locator(".govuk-panel")).to_be_visible()
    assert re.search(r"[A-Z]{2}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator(".govuk-panel").inner_text())
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_helper_pages(browser, base, app, store, client, language):
    store.add_helper("Lou Locked", PIN, [VENUE], helper_id="lou-locked")
    page = open_in(browser, base, language, "/helpers/sign-in")
    checker = Checker(language)
    checker.check(page, "helper-sign-in")
    for _ in range(app.extensions["assist.config"].security.pin_attempts):
        page.fill("input[name=name]", "Lou Locked")  # a refused sign-in clears both fields
        page.fill("input[name=pin]", "0000")
        page.locator(SUBMIT).first.click()
    checker.check(page, "helper-lockout")
    check_error_summary(page, f"lockout [{language}]")
    page.fill("input[name=name]", "Sam Helper")
    page.fill("input[name=pin]", PIN)
    page.locator(SUBMIT).first.click()
    checker.check(page, "helper-home")

    tax = forms(app)["council-tax-reduction"]
    page.goto(f"{base}/helpers/help?form={tax.id}")
    checker.check(page, "consent", "help a resident")
    page.locator(SUBMIT).first.click()
    checker.check(page, "consent", "who")
    page.fill("#resident-name", "Rita Resident")
    page.locator(SUBMIT).first.click()
    checker.check(page, "consent", "what to bring")
    page.locator("main a.govuk-button").first.click()
    checker.check(page, "consent")
    page.locator("button[name=answer][value=agree]").click()
    checker.check(page, "assisted-question", page_from_url(tax, page.url)[0].id)
    page.locator("main a[href*='/carry-on/save/']").click()
    checker.check(page, "save")
    page.check("input[name=check][value=postcode]")
    page.fill("#check-postcode", "SW1A 1AA")
    page.locator(SUBMIT).first.click()
    checker.check(page, "save", "saved")
    code = page.locator(".assist-code").inner_text()
    page.locator(SUBMIT).first.click()

    # A resident's private question, reached quickly through the test client on the same server.
    client.get(f"/?lang={language}")
    sign_in(client)
    url = start_resident(client, tax.id)
    while not url.endswith("/weekly-income"):
        url = answer_page(client, tax, url)
    copy_cookies(client, page, base, app)
    page.goto(f"{base}{url}")
    checker.check(page, "assisted-question", "private")
    page.locator("form[action='/helpers/resident/hand-over'] button").click()
    checker.check(page, "hand-over")
    if language == "ar":
        screenshot(page, "accessibility-ar-hand-over")
    page.locator("form[action='/helpers/resident/give-back'] button").click()

    page.goto(f"{base}/carry-on/")
    checker.check(page, "carry-on")
    page.fill("#code", code)
    page.locator(SUBMIT).first.click()
    checker.check(page, "carry-on", "second check")

    from assist.printouts.references import paper_reference

    page.goto(f"{base}/helpers/paper/")
    page.wait_for_url(re.compile(r".*/helpers/unlock\?"))  # the tablet was given back: the PIN opens helper pages
    page.fill("#pin", PIN)
    page.locator(SUBMIT).first.click()
    page.wait_for_url(f"{base}/helpers/paper/")
    checker.check(page, "paper-keying")
    copy = f"{base}/helpers/paper/{paper_reference(forms(app)['school-meals'], language)}/K7MX2"
    page.goto(copy)
    checker.check(page, "paper-keying", "keying")
    page.goto(f"{copy}/sections/1")
    checker.check(page, "paper-keying", "section")
    page.locator("form#paper-section button[value=continue]").click()
    checker.check(page, "paper-keying", "section errors")
    check_error_summary(page, f"paper section [{language}]")
    page.goto(f"{copy}/check")
    checker.check(page, "paper-keying", "check answers")
    checker.assert_no_problems()
    assert checker.visited == {kind.id for kind in page_types("helper")}
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_kiosk_pages(browser, base, app, language):
    context = new_context(browser, {"width": 1080, "height": 1920})
    page = context.new_page()
    page.clock.install()
    page.goto(f"{base}{KIOSK}?lang={language}")
    checker = Checker(language, kiosk=True)
    checker.check(page, "kiosk-start")
    form = forms(app)["missed-bin"]
    page.locator(f'a[href="/forms/{form.id}/"]').click()
    page.locator(f'form[action="/forms/{form.id}/start"] button').click()
    checker.check(page, "kiosk-question")
    sessions = app.extensions["assist.config"].sessions
    page.clock.fast_forward(int((sessions.kiosk_idle_minutes * 60 - sessions.kiosk_warning_seconds + 1) * 1000))
    expect(page.locator("#assist-timeout")).to_be_visible()
    expect(page.locator("[data-timeout-continue]")).to_be_focused()
    checker.check(page, "kiosk-timeout")
    if language == "ar":
        screenshot(page, "accessibility-ar-kiosk-timeout")
    checker.assert_no_problems()
    assert checker.visited == {kind.id for kind in page_types("kiosk")}
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_admin_pages(browser, base, app, people, clock, language):
    make_session(people, clock, "missed-bin", outcome="submitted", pages=["bin-type"])
    reference = people.find_submissions(limit=1)[0]["reference"]
    context = new_context(browser, {"width": 1280, "height": 900})
    context.add_cookies([{"name": "assist_venue", "value": VENUE, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/helpers/sign-in?lang={language}")
    page.fill("input[name=name]", "Ada Admin")
    page.fill("input[name=pin]", PIN)
    page.locator(SUBMIT).first.click()
    checker = Checker(language)
    page.goto(f"{base}/admin/")
    checker.check(page, "admin-dashboard")
    for path in ("/admin/submissions", f"/admin/submissions/{reference}", "/admin/helpers", "/admin/helpers/new",
                 "/admin/venues", "/admin/forms", "/admin/audit", "/admin/retention", "/admin/report",
                 "/helpers/deliveries/"):
        page.goto(f"{base}{path}")
        checker.check(page, "admin-lists", path)
    checker.assert_no_problems()
    assert checker.visited == {kind.id for kind in page_types("admin")}
    page.context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_statement_lists_what_the_suite_checks_and_every_footer_links_to_it(client, app, language):
    from html import unescape

    from flask_babel import force_locale

    from assist.web.site.accessibility import AXE_VERSION, CHECKS, EXEMPTIONS, PAGE_TYPES

    axe = json.loads((ROOT / "node_modules" / "axe-core" / "package.json").read_text(encoding="utf-8"))
    assert axe["version"] == AXE_VERSION  # the statement names the axe-core the suite runs
    client.get(f"/?lang={language}")
    for path in ("/", "/forms/missed-bin/", "/helpers/sign-in", "/accessibility"):
        assert 'href="/accessibility"' in client.get(path).get_data(as_text=True), path
    html = unescape(client.get("/accessibility").get_data(as_text=True))
    council = app.extensions["assist.config"].council
    assert council.name in html and council.contact_email in html and council.contact_phone in html
    assert "www.equalityadvisoryservice.com" in html
    with app.test_request_context(), force_locale(language):
        for item in (*PAGE_TYPES, *CHECKS):
            assert str(item.name) in html, item.id
        for exemption in EXEMPTIONS:
            assert str(exemption.reason) in html, exemption.rule
