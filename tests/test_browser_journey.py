"""Every demo form completed end to end in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import screenshot
from support import example_raw, exit_values, fill_in_browser, page_from_url


def complete_in_browser(page, base, form, shots: bool = False):
    page.goto(f"{base}/forms/{form.id}/")
    page.get_by_role("button", name="Start now").click()
    for step in range(120):
        url = page.url
        if url.endswith("/check-answers"):
            if shots:
                screenshot(page, f"{form.id}-check-answers")
            page.get_by_role("button", name=re.compile("Accept and send|Send")).click()
            return
        current, number = page_from_url(form, url)
        if current.kind == "repeat" and number is None:
            added = page.locator(".govuk-summary-card").count()
            page.check(f'input[name="add-another"][value="{"yes" if added < current.min else "no"}"]')
        else:
            for question in current.questions:
                fill_in_browser(page, question, example_raw(question, exit_values(current)))
        if shots and step < 3:
            screenshot(page, f"{form.id}-step-{step}")
        page.get_by_role("button", name="Continue").click()
    raise AssertionError("did not reach check answers")


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
