"""The dashboard in Debian's Chromium: sign in as a council admin, look at the figures and charts
(screenshots in test-output/screenshots/admin-*.png), filter by venue, open a failed submission."""

from __future__ import annotations

import random
from datetime import timedelta

from admin_support import OTHER_VENUE, VENUE, monday, people, session  # noqa: F401
from assisted_support import PIN, app, clock, store  # noqa: F401
from conftest import screenshot
from playwright.sync_api import expect


def _many_sessions(store, clock):
    rng = random.Random(8)
    forms = {"blue-badge": ["who-for", "lives-in-area", "mobility-benefit", "about-walking"],
             "missed-bin": ["p1"], "school-meals": ["p1"], "council-tax-reduction": ["p1"]}
    for weeks_ago in range(12):
        start = monday(weeks_ago, clock)
        for _ in range(rng.randint(4, 12)):
            form_id = rng.choice(list(forms))
            mode = rng.choice(["assisted", "assisted", "kiosk", "paper", "online"])
            venue = None if mode == "online" else rng.choice([VENUE, OTHER_VENUE])
            outcome = rng.choice(["submitted", "submitted", "submitted", "cleared", "abandoned"])
            pages = forms[form_id][:rng.randint(1, len(forms[form_id]))]
            session(store, clock, form_id, outcome=outcome, mode=mode, venue_id=venue, helper_id=None,
                    language=rng.choice(["en", "en", "en", "cy", "pl", "ar"]), pages=pages,
                    minutes=rng.randint(3, 40),
                    at=min(start + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 6)),
                           clock.now - timedelta(hours=2)))


def test_walk_the_dashboard(page, live_server, app, people, clock):
    _many_sessions(people, clock)
    failed = people.find_submissions(limit=1)[0]
    people.mark_attempt_failed(failed["deliveries"][0]["id"], "test", "connection refused", None)
    page.context.add_cookies([{"name": "assist_venue", "value": VENUE, "url": live_server}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/helpers/sign-in")
    page.fill("input[name=name]", "Ada Admin")
    page.fill("input[name=pin]", PIN)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Admin: figures, helpers and submissions").click()
    page.wait_for_url("**/admin/")
    expect(page.get_by_role("heading", name="Residents helped", exact=True)).to_be_visible()
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 9
    for index in range(charts.count()):
        labelled = charts.nth(index).get_attribute("aria-labelledby").split()
        assert page.locator(f"#{labelled[0]}").count() == 1 and page.locator(f"#{labelled[1]}").count() == 1
    screenshot(page, "admin-dashboard")
    page.select_option("#venue", OTHER_VENUE)
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url(f"**venue={OTHER_VENUE}*")
    assert page.locator(".govuk-caption-l").first.inner_text() == "North Library"
    screenshot(page, "admin-dashboard-north-library")
    page.get_by_role("link", name="Submissions", exact=True).click()
    page.wait_for_url("**/admin/submissions")
    assert page.locator("tr.assist-row--failed").count() == 1
    screenshot(page, "admin-submissions")
    page.locator("tr.assist-row--failed a").click()
    page.wait_for_url("**/admin/submissions/*")
    expect(page.get_by_role("button", name="Send again")).to_be_visible()
    screenshot(page, "admin-submission-failed")
    page.set_viewport_size({"width": 768, "height": 1024})
    page.get_by_role("link", name="Dashboard", exact=True).click()
    page.wait_for_url("**/admin/")
    # On a tablet the charts sit above their tables, and nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "admin-dashboard-tablet")
