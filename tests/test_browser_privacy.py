"""Shared-device privacy in a real browser (Debian's Chromium through Playwright): a kiosk journey,
the timeout warning, finish and clear, the next resident on the same browser profile, and a
helper's hand-over round trip. Screenshots go to test-output/screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assisted_support import HELPER, PIN, SECRETS, secret_raw
from conftest import screenshot
from kiosk_support import KIOSK, VENUE, build_app
from support import exit_values, fill_in_browser, page_from_url

KIOSK_SIZE = {"width": 1080, "height": 1920}
TABLET_SIZE = {"width": 768, "height": 1024}


@pytest.fixture
def store(config):
    from assist.storage import Store

    store = Store(config.database_path)  # the real clock: the browser waits in real time
    store.migrate()
    yield store
    store.close()


@pytest.fixture
def app(config, store, request):
    settings = getattr(request, "param", {})  # short idle limits: parametrize("app", [...], indirect=True)
    app = build_app(config, store, **settings)
    app.config["ASSIST_HELP_POLL_SECONDS"] = 1
    return app


def new_page(browser, size=TABLET_SIZE, **options):
    context = browser.new_context(viewport=size, **options)
    return context.new_page()


@pytest.fixture
def kiosk(browser):
    """A browser profile at kiosk size (portrait 1080×1920)."""
    page = new_page(browser, KIOSK_SIZE)
    yield page
    page.context.close()


def answer_until_check(page, form, shots: str | None = None, stop=None):
    for step in range(60):
        page.wait_for_load_state()
        if page.url.endswith("/check-answers") or (stop and stop(page)):
            return
        current, number = page_from_url(form, page.url)
        if current.kind == "repeat" and number is None:
            added = page.locator(".govuk-summary-card").count()
            page.check(f'input[name="add-another"][value="{"yes" if added < current.min else "no"}"]')
        else:
            for question in current.questions:
                fill_in_browser(page, question, secret_raw(question, exit_values(current)))
        if shots and step < 2:
            screenshot(page, f"{shots}-step-{step}")
        page.get_by_role("button", name="Continue", exact=True).click()
    raise AssertionError("did not reach check answers")


def leaks(page) -> list[str]:
    """Any distinctive answer visible on the page, in its form fields, or in the browser's storage."""
    text = page.content()
    values = page.evaluate("""() => {
        const out = [...document.querySelectorAll('input, textarea, select')].map(e => e.value)
        for (const store of [localStorage, sessionStorage]) {
            for (let i = 0; i < store.length; i++) out.push(store.key(i), store.getItem(store.key(i)))
        }
        return out.join(' ')
    }""")
    cached = page.evaluate("""async () => {
        if (!('caches' in window)) return ''
        const parts = []
        for (const name of await caches.keys()) {
            const cache = await caches.open(name)
            for (const request of await cache.keys()) {
                const response = await cache.match(request)
                parts.push(request.url, await response.text())
            }
        }
        return parts.join(' ')
    }""")
    everything = " ".join([text, values, cached]).lower()
    return [secret for secret in SECRETS if secret.lower() in everything]


def storage_is_empty(page) -> bool:
    return page.evaluate("localStorage.length === 0 && sessionStorage.length === 0")


def start_at_kiosk(page, base, form):
    page.goto(f"{base}{KIOSK}")
    page.locator(f'a[href="/forms/{form.id}/"]').click()
    page.locator(f'form[action="/forms/{form.id}/start"] button').click()


# --- the kiosk journey ------------------------------------------------------------------------------------


def test_full_kiosk_journey_with_language_text_size_and_contrast(kiosk, live_server, app, store):
    page = kiosk
    page.goto(f"{live_server}{KIOSK}")
    screenshot(page, "kiosk-start-1080x1920")
    assert page.locator("html.assist-kiosk").count() == 1
    # Languages are buttons named in their own script; choosing one changes the page and back again.
    welsh = page.get_by_role("link", name="Cymraeg")
    assert welsh.get_attribute("lang") == "cy"
    welsh.click()
    assert page.locator("html").get_attribute("lang") == "cy"
    screenshot(page, "kiosk-start-welsh-1080x1920")
    page.get_by_role("link", name="English").click()
    # Larger text and high contrast, for this visit.
    base_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="Largest text").click()
    page.get_by_role("button", name="High contrast").click()
    assert page.get_by_role("button", name="High contrast").get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > base_size * 1.3
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    screenshot(page, "kiosk-start-largest-contrast-1080x1920")
    # No way into helper or admin areas from the kiosk.
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if "/helpers" in h or "/admin" in h]

    form = app.extensions["assist.forms"]["missed-bin"]
    start_at_kiosk(page, live_server, form)
    # Every control on a kiosk page is at least 44px in both directions.
    small = page.evaluate("""() => [...document.querySelectorAll('main a, main button, main input, .assist-device-bar button')]
        .filter(e => e.offsetParent !== null && !e.closest('.govuk-visually-hidden'))
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44).map(([h]) => h)""")
    assert small == [], small
    answer_until_check(page, form, shots="kiosk-missed-bin-1080x1920")
    screenshot(page, "kiosk-check-answers-1080x1920")
    page.get_by_role("button", name=re.compile("Accept and send|Send")).click()
    assert "Application complete" in page.locator(".govuk-panel").inner_text()
    screenshot(page, "kiosk-confirmation-1080x1920")
    journey = store.db.execute("select mode, venue_id, status from journeys order by started_at desc limit 1").fetchone()
    assert tuple(journey) == ("kiosk", VENUE, "submitted")
    # After printing (or not): finish and clear, back to a clean start screen.
    page.get_by_role("button", name="Finish and clear this device").click()
    page.wait_for_url(f"**{KIOSK}")
    assert page.locator("html").get_attribute("class") == "govuk-template assist-kiosk"
    assert "has been cleared" in page.locator(".govuk-notification-banner").inner_text()
    assert leaks(page) == [] and storage_is_empty(page)


@pytest.mark.parametrize("app", [{"kiosk_idle_minutes": 0.1, "kiosk_warning_seconds": 4}], indirect=True,
                         ids=["idle-6s-warning-4s"])
def test_timeout_warning_extends_then_expires_back_to_the_start(kiosk, live_server, app, store):
    page = kiosk
    form = app.extensions["assist.forms"]["missed-bin"]
    start_at_kiosk(page, live_server, form)
    fill_in_browser(page, form.question("bin-type"), secret_raw(form.question("bin-type"), set()))
    page.get_by_role("button", name="Continue", exact=True).click()
    page.fill("#postcode", "SW1A 1AA")
    journey_id, before = store.db.execute(
        "select id, last_activity_at from journeys order by started_at desc limit 1").fetchone()

    dialog = page.get_by_role("dialog", name="Do you need more time?")
    dialog.wait_for(state="visible", timeout=8000)
    assert dialog.get_attribute("aria-modal") == "true"
    assert page.evaluate("document.activeElement.matches('[data-timeout-continue]')")
    assert re.search(r"\d+ seconds?", dialog.inner_text())
    screenshot(page, "kiosk-timeout-warning-1080x1920")
    expect(page.locator("[data-timeout-continue]")).to_be_focused()
    page.keyboard.press("Enter")  # "Continue", by keyboard
    dialog.wait_for(state="hidden", timeout=4000)
    expect(page.locator("#postcode")).to_be_focused(timeout=2000)
    assert page.input_value("#postcode") == "SW1A 1AA"  # extending loses nothing
    after = store.db.execute("select last_activity_at from journeys where id = ?", [journey_id]).fetchone()[0]
    assert after >= before and store.get_journey(journey_id)["status"] == "in_progress"

    # No answer this time: the screen goes back to the start and the draft is deleted on the server.
    dialog.wait_for(state="visible", timeout=8000)
    page.wait_for_url(f"{live_server}{KIOSK}", timeout=10000)
    assert "You were away for too long" in page.locator(".govuk-notification-banner").inner_text()
    journey = store.get_journey(journey_id)
    assert journey["status"] == "cleared" and journey["answers"] == {}
    assert store.db.execute("select count(*) from drafts where journey_id = ?", [journey_id]).fetchone()[0] == 0
    screenshot(page, "kiosk-after-timeout-1080x1920")
    page.go_back()
    assert leaks(page) == []
    assert page.locator("#postcode").count() == 0 or page.input_value("#postcode") == ""


@pytest.mark.parametrize("app", [{"kiosk_idle_minutes": 0.15, "kiosk_warning_seconds": 3}], indirect=True,
                         ids=["idle-9s-warning-3s"])
def test_the_kiosk_copy_prints_inside_the_app_and_goes_with_the_visit(kiosk, live_server, app, store):
    page = kiosk
    form = app.extensions["assist.forms"]["missed-bin"]
    start_at_kiosk(page, live_server, form)
    answer_until_check(page, form)
    page.get_by_role("button", name=re.compile("Accept and send|Send")).click()
    reference = page.locator(".assist-reference").inner_text().strip()
    page.get_by_role("link", name="Print your copy").click()
    page.wait_for_url(f"{live_server}/print/copy/{reference}")
    # The copy is shown inside a page of the app: its header, Finish and clear and idle timer stay.
    assert page.evaluate("document.contentType") == "text/html"
    assert page.locator("iframe[data-print-frame]").get_attribute("src") == f"/print/copy/{reference}.pdf"
    expect(page.get_by_role("button", name="Print your copy")).to_be_visible()
    expect(page.get_by_role("button", name="Finish and clear this device")).to_be_visible()
    screenshot(page, "kiosk-copy-in-place-1080x1920")
    # Opened on its own, the PDF goes back inside its page: never the top-level document on a kiosk.
    page.wait_for_load_state("load")  # the copy in its frame too
    page.goto(f"{live_server}/print/copy/{reference}.pdf")
    assert page.url == f"{live_server}/print/copy/{reference}"
    assert page.evaluate("document.contentType") == "text/html"
    # Nobody comes back: the timer runs on the copy's page too, and the copy goes with the visit.
    page.wait_for_url(f"{live_server}{KIOSK}", timeout=20000)
    assert "You were away for too long" in page.locator(".govuk-notification-banner").inner_text()
    assert page.goto(f"{live_server}/print/copy/{reference}").status == 404


def test_finish_and_clear_then_back_refresh_and_history_show_nothing(page, live_server, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    responses = []
    page.on("response", lambda r: responses.append(r) if r.request.resource_type == "document" else None)
    start_at_kiosk(page, live_server, form)
    answer_until_check(page, form)
    assert leaks(page), page.content()
    for response in responses:
        assert response.headers.get("cache-control", "").startswith("no-store"), response.url
    assert all(secret.lower() not in page.url.lower() for secret in SECRETS)
    screenshot(page, "kiosk-check-answers-768x1024")
    page.get_by_role("button", name="Finish and clear this device").click()
    # Answers not yet sent: the kiosk asks first, and offers to save them instead.
    expect(page.get_by_role("heading", name="Finish and clear this device?")).to_be_visible()
    expect(page.get_by_role("button", name="Save and carry on later")).to_be_visible()
    screenshot(page, "kiosk-finish-confirm-768x1024")
    page.get_by_role("button", name="Delete my answers and finish").click()
    page.wait_for_url(f"**{KIOSK}")
    assert leaks(page) == [] and storage_is_empty(page)
    for _ in range(6):
        page.go_back()
        assert leaks(page) == [], page.url
    page.reload()
    assert leaks(page) == []
    for _ in range(3):
        page.go_forward()
        assert leaks(page) == [], page.url
    history = page.evaluate("history.length")
    assert history >= 2
    screenshot(page, "kiosk-after-finish-back-768x1024")


def test_the_next_resident_sees_nothing_of_the_last_even_in_the_same_fields(browser, live_server, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    context = browser.new_context(viewport=TABLET_SIZE)
    page = context.new_page()
    start_at_kiosk(page, live_server, form)
    answer_until_check(page, form, stop=lambda p: p.url.endswith("/collection-date"))
    page.get_by_role("button", name="Finish and clear this device").click()
    page.get_by_role("button", name="Delete my answers and finish").click()  # answers not sent: asked first

    # The next resident, same browser profile (same cookies, same autofill store).
    start_at_kiosk(page, live_server, form)
    assert leaks(page) == []
    fill_in_browser(page, form.question("bin-type"), secret_raw(form.question("bin-type"), set()))
    page.get_by_role("button", name="Continue", exact=True).click()
    for field, first_letters in (("#postcode", "S"), ("#street-address", "Ze")):
        if page.locator(field).count() == 0:
            break
        assert page.input_value(field) == ""
        assert page.locator(field).get_attribute("autocomplete") == "off"
        assert page.evaluate("document.getElementById('question-form').getAttribute('autocomplete')") == "off"
        page.click(field)
        page.keyboard.type(first_letters)
        assert page.input_value(field) == first_letters
        assert page.evaluate("document.querySelectorAll(':autofill, :-webkit-autofill').length") == 0
        assert leaks(page) == []
        page.fill(field, "SW1A 1AA" if field == "#postcode" else "2 Other Road")
        page.get_by_role("button", name="Continue", exact=True).click()
    assert leaks(page) == [] and storage_is_empty(page)
    context.close()


def test_own_device_keeps_autocomplete_tokens(page, live_server, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    page.goto(f"{live_server}/forms/{form.id}/")
    page.get_by_role("button", name="Start now").click()
    fill_in_browser(page, form.question("bin-type"), secret_raw(form.question("bin-type"), set()))
    page.get_by_role("button", name="Continue", exact=True).click()
    assert page.locator("#postcode").get_attribute("autocomplete") == "postal-code"
    assert page.locator("html.assist-kiosk").count() == 0
    assert page.get_by_role("button", name="Ask for help").count() == 0


def test_helper_hand_over_round_trip_then_finish_and_clear(page, live_server, app, store):
    form = app.extensions["assist.forms"]["missed-bin"]
    page.goto(f"{live_server}/helpers/sign-in")
    page.fill('input[name="name"]', "Sam Helper")
    page.fill("#pin", PIN)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/helpers/help?form={form.id}")
    page.get_by_role("button", name="Continue").click()
    page.fill("#resident-name", "Rita Resident")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="I agree").click()
    assert page_from_url(form, page.url)[0] is not None
    expect(page.locator(".assist-helper-bar")).to_be_visible()
    # Shared tablet: autofill off even for the helper.
    assert page.evaluate("document.getElementById('question-form').getAttribute('autocomplete')") == "off"
    screenshot(page, "assisted-helper-question-768x1024")

    page.get_by_role("button", name="Hand the tablet to the resident").click()
    page.locator(".assist-private-bar").wait_for()
    assert page.locator(".assist-helper-bar").count() == 0
    assert page.get_by_role("button", name="Finish and clear this device").count() == 0
    screenshot(page, "assisted-private-mode-768x1024")
    fill_in_browser(page, form.question("bin-type"), secret_raw(form.question("bin-type"), set()))
    page.get_by_role("button", name="Continue", exact=True).click()
    # The helper pages need the PIN while the resident has the tablet.
    page.goto(f"{live_server}/helpers/today")
    assert "/helpers/unlock" in page.url
    page.go_back()
    page.get_by_role("button", name=re.compile("Give the tablet back")).click()
    page.locator(".assist-helper-bar").wait_for()
    journey_id = store.db.execute("select id from journeys where helper_id = ? order by started_at desc limit 1",
                                  [HELPER]).fetchone()[0]
    assert store.typed_by(journey_id).get("bin-type") == "resident"
    answer_until_check(page, form)
    page.get_by_role("button", name="Finish and clear this tablet").click()
    # The answers are not sent: asked first, with "Save and carry on later" instead.
    expect(page.get_by_role("button", name="Save and carry on later")).to_be_visible()
    page.get_by_role("button", name="Delete the answers and finish").click()
    # Cleared; the tablet was handed over, so the helper's own pages want the PIN again.
    assert "/helpers/unlock" in page.url
    assert store.get_journey(journey_id)["status"] == "cleared"
    assert leaks(page) == [] and storage_is_empty(page)
    for _ in range(4):
        page.go_back()
        assert leaks(page) == [], page.url


def test_ask_for_help_shows_on_the_helpers_list_which_refreshes(browser, live_server, app, store):
    form = app.extensions["assist.forms"]["missed-bin"]
    helper = new_page(browser)
    helper.goto(f"{live_server}/helpers/sign-in")
    helper.fill('input[name="name"]', "Sam Helper")
    helper.fill("#pin", PIN)
    helper.get_by_role("button", name="Sign in").click()
    helper.get_by_role("link", name="Kiosk help requests").click()
    assert "Nobody is waiting for help" in helper.locator("main").inner_text()

    kiosk = new_page(browser, KIOSK_SIZE)
    start_at_kiosk(kiosk, live_server, form)
    kiosk.get_by_role("button", name="Ask for help").click()
    assert "asked a member of staff" in kiosk.get_by_role("status").inner_text()
    screenshot(kiosk, "kiosk-help-asked-1080x1920")

    # The helper's list refreshes by itself.
    helper.get_by_text("Report a missed bin collection").wait_for(timeout=5000)
    screenshot(helper, "helper-help-requests-768x1024")
    helper.get_by_role("button", name=re.compile("I am on my way")).click()
    kiosk.reload()
    assert "seen your request" in kiosk.get_by_role("status").inner_text()
    kiosk.context.close()
    helper.context.close()


LISTEN_FAKE = """
window.__spoken = [];
const fake = {
  speaking: false, listeners: {},
  getVoices: () => [{lang: 'en-GB', name: 'English'}, {lang: 'cy-GB', name: 'Cymraeg'}],
  speak: u => window.__spoken.push({text: u.text, lang: u.lang}),
  cancel: () => {},
  addEventListener: () => {}
};
Object.defineProperty(window, 'speechSynthesis', {value: fake, configurable: true});
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; };
"""


def test_listen_reads_the_question_and_hint_in_the_page_language(browser, live_server, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    page = new_page(browser, KIOSK_SIZE)
    page.add_init_script(LISTEN_FAKE)
    page.goto(f"{live_server}{KIOSK}?lang=cy")
    start_at_kiosk(page, live_server, form)
    assert page.locator("html").get_attribute("lang") == "cy"
    listen = page.locator('[data-module="assist-listen"]')
    listen.wait_for(state="visible")
    listen.click()
    [spoken] = page.evaluate("window.__spoken")
    assert spoken["lang"] == "cy"
    heading = page.locator("h1, .govuk-fieldset__legend--l").first.inner_text().strip()
    assert heading and heading in spoken["text"]
    page.context.close()


def test_listen_is_hidden_where_no_voice_speaks_the_language(browser, live_server, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    page = new_page(browser)
    page.add_init_script("Object.defineProperty(window, 'speechSynthesis', {value: undefined, configurable: true})")
    page.goto(f"{live_server}/forms/{form.id}/")
    page.get_by_role("button", name="Start now").click()
    assert page.locator('[data-module="assist-listen"]').is_hidden()
    page.context.close()
