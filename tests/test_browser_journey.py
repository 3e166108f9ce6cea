"""Every demo form completed end to end in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import screenshot
from support import answer_in_browser


def complete_in_browser(page, base, form, shots: bool = False):
    page.goto(f"{base}/forms/{form.id}/")
    page.get_by_role("button", name="Start now").click()
    steps = []

    def done(current, url) -> bool:
        if shots and len(steps) < 3 and current is not None:
            screenshot(page, f"{form.id}-step-{len(steps)}")
        steps.append(url)
        return url.endswith("/check-answers")

    answer_in_browser(page, form, done)
    if shots:
        screenshot(page, f"{form.id}-check-answers")
    page.get_by_role("button", name=re.compile("Accept and send|Send")).click()


def test_every_demo_form_can_be_completed_in_a_browser(page, live_server, app):
    for form in app.extensions["assist.forms"].values():
        complete_in_browser(page, live_server, form, shots=True)
        panel = page.locator(".govuk-panel")
        assert "Application complete" in panel.inner_text()
        assert re.search(r"[A-Z]{2}-[A-Z0-9]{4}-[A-Z0-9]{4}", panel.inner_text())
        screenshot(page, f"{form.id}-confirmation")


def test_error_summary_takes_focus_and_links_to_the_field(page, live_server, app):
    form = app.extensions["assist.forms"]["missed-bin"]
    page.goto(f"{live_server}/forms/{form.id}/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    assert page.title().startswith("Error:")
    # GOV.UK Frontend moves focus to the summary once its script has run.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    screenshot(page, "missed-bin-error")
    page.locator(".govuk-error-summary__list a").first.click()
    assert page.evaluate("document.activeElement.tagName") == "INPUT"


def test_after_a_change_check_answers_opens_at_the_row_that_changed(page, live_server, app):
    form = app.extensions["assist.forms"]["blue-badge"]
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{live_server}/forms/{form.id}/")
    page.get_by_role("button", name="Start now").click()
    answer_in_browser(page, form, lambda current, url: url.endswith("/check-answers"))
    # A row far down the page: change it and come back.
    changes = page.locator(".govuk-summary-list__row[id] .govuk-summary-list__actions a")
    target = changes.nth(changes.count() - 2)
    row_id = target.locator("xpath=ancestor::div[contains(@class, 'govuk-summary-list__row')]").get_attribute("id")
    target.click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/check-answers#{row_id}")
    top = page.evaluate(f"document.getElementById('{row_id}').getBoundingClientRect().top")
    assert 0 <= top < 1024, f"the changed row is {top}px from the top of the window"
    assert page.evaluate("window.scrollY") > 0
