"""Signing the Blue Badge declaration in a real browser (Debian's Chromium through Playwright): drawing on
the pad with the mouse (pointer events, as a finger or stylus makes), clearing it, drawing again,
and seeing "Signed on screen" on check answers; the page passes the accessibility checks and lays out
right to left in Arabic."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from accessibility_support import Checker
from conftest import screenshot
from support import walk_to

PAGE = "sharing-information"
STROKES = f'input[type="hidden"][name="{PAGE}-signature-strokes"]'
PAD = "canvas.assist-signature__pad"


def open_declaration(client, app, page, base: str, language: str = "en") -> None:
    """Answer the Blue Badge form up to its declaration in the test client (no browser needed), then
    open that page in the browser on the same session."""
    form = app.extensions["assist.forms"]["blue-badge"]
    if language != "en":
        client.get(f"/?lang={language}")
    url = walk_to(client, form, form.page(PAGE))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    page.goto(f"{base}{url}")
    expect(page.locator(PAD)).to_be_visible()  # signature.js has shown the pad


def draw(page, points) -> None:
    """One stroke through ``points`` (CSS pixels inside the pad), pressed and moved like a finger."""
    box = page.locator(PAD).bounding_box()
    x, y = points[0]
    page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()


def ink(page) -> int:
    """How many pixels of the pad's canvas have something drawn on them."""
    return page.evaluate("""selector => {
      const canvas = document.querySelector(selector)
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
      let count = 0
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) count++
      return count
    }""", PAD)


def test_draw_clear_draw_again_and_continue(browser, live_server, app, client, page):
    open_declaration(client, app, page, live_server)
    assert page.locator(STROKES).input_value() == ""
    assert ink(page) == 0

    draw(page, [(40, 120), (90, 60), (140, 140), (190, 70)])
    first = json.loads(page.locator(STROKES).input_value())
    assert first["height"] == 200 and 100 <= first["width"] <= 2000
    assert len(first["strokes"]) == 1 and len(first["strokes"][0]) >= 3
    assert all(0 <= x <= first["width"] and 0 <= y <= first["height"] for x, y in first["strokes"][0])
    assert ink(page) > 100

    page.get_by_role("button", name="Clear signature").click()
    assert page.locator(STROKES).input_value() == ""
    assert ink(page) == 0
    expect(page.locator(PAD)).to_be_focused()
    expect(page.locator("[data-signature-status]")).to_have_text("Signature cleared")

    draw(page, [(60, 100), (120, 150), (220, 50)])
    draw(page, [(260, 90), (330, 110)])
    assert len(json.loads(page.locator(STROKES).input_value())["strokes"]) == 2
    screenshot(page, "signature-drawn")
    page.check(f'input[name="{PAGE}"][value="confirmed"]')
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/check-answers")
    row = page.locator(".govuk-summary-list__row", has_text="Your signature")
    expect(row).to_contain_text("Signed on screen")
    expect(row.get_by_role("link", name="Change")).to_be_visible()

    # Change: the drawing comes back on the pad.
    row.get_by_role("link", name="Change").click()
    expect(page.locator(PAD)).to_be_visible()
    assert len(json.loads(page.locator(STROKES).input_value())["strokes"]) == 2
    assert ink(page) > 100


def test_the_typed_name_works_without_scripts(browser, live_server, app, client):
    context = browser.new_context(viewport={"width": 768, "height": 1024}, java_script_enabled=False)
    page = context.new_page()
    form = app.extensions["assist.forms"]["blue-badge"]
    url = walk_to(client, form, form.page(PAGE))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    page.goto(f"{live_server}{url}")
    expect(page.locator(PAD)).to_be_hidden()
    expect(page.get_by_role("button", name="Clear signature")).to_be_hidden()
    page.check(f'input[name="{PAGE}"][value="confirmed"]')
    page.get_by_label("Or type your full name").fill("Jane Smith")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/check-answers")
    expect(page.locator(".govuk-summary-list__row", has_text="Your signature")).to_contain_text(
        "Typed name: Jane Smith")
    context.close()


def test_the_declaration_page_passes_the_accessibility_checks(browser, live_server, app, client, page):
    open_declaration(client, app, page, live_server)
    draw(page, [(40, 120), (90, 60), (140, 140)])
    checker = Checker("en")
    checker.check(page, "question", f"blue-badge/{PAGE}")
    page.get_by_role("button", name="Clear signature").click()
    page.get_by_role("button", name="Continue").click()  # nothing signed, nothing ticked: errors
    checker.check(page, "question-error", f"blue-badge/{PAGE}")
    checker.assert_no_problems()
    # The error links to the typed name, which takes the focus.
    page.locator(".govuk-error-summary__list a", has_text="Sign in the box").click()
    expect(page.get_by_label("Or type your full name")).to_be_focused()


def test_the_pad_lays_out_and_draws_right_to_left_in_arabic(browser, live_server, app, client, page):
    open_declaration(client, app, page, live_server, language="ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator(".assist-signature__box").get_attribute("dir") == "ltr"
    expect(page.get_by_role("button", name="امسح التوقيع")).to_be_visible()
    pad = page.locator(PAD).bounding_box()
    column = page.locator(".govuk-grid-column-two-thirds").bounding_box()
    assert pad["width"] >= 300 and abs(pad["height"] - 200) <= 1
    # Right to left: the pad starts at the column's right-hand edge.
    assert abs((pad["x"] + pad["width"]) - (column["x"] + column["width"] - 15)) <= 20, (pad, column)
    draw(page, [(20, 100), (120, 40), (220, 150)])
    stroke = json.loads(page.locator(STROKES).input_value())["strokes"][0]
    assert abs(stroke[0][0] - 20) <= 2 and stroke[-1][0] > 200  # the pad's own coordinates, left to right
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot(page, "signature-ar")
