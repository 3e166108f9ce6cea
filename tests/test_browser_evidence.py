"""Evidence in a real browser (Debian's Chromium): the file input, the thumbnail shown back,
Remove and add again, the passport-style photo's guide, and the pages checked with axe in English,
Welsh and Arabic."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accessibility_support import Checker
from conftest import screenshot
from support import answer_in_browser, example_photo


def walk_to(page, base, form, target_id: str) -> None:
    """Answer ``form`` in the browser with example answers until page ``target_id``."""
    page.goto(f"{base}/forms/{form.id}/")
    page.locator(f'form[action="/forms/{form.id}/start"] button').click()
    answer_in_browser(page, form, lambda current, url: current is not None and current.id == target_id)


def _input(page, name: str):
    """The file input itself (GOV.UK Frontend's enhanced upload gives its id to the button over it)."""
    return page.locator(f'input[type="file"][name="{name}"]')


def _photo(name: str, width: int = 1200, height: int = 1600) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": example_photo(width, height)}


def _image_shown(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def test_a_resident_uploads_sees_the_thumbnail_removes_and_adds_again(page, live_server, app):
    form = app.extensions["assist.forms"]["blue-badge"]
    walk_to(page, live_server, form, "proof-of-address")
    upload = _input(page, "proof-of-address")
    assert upload.get_attribute("accept").startswith("image/*") and upload.get_attribute("capture") == "environment"
    upload.set_input_files(_photo("council-tax-bill.jpg"))
    page.get_by_role("button", name="Upload file").click()
    thumbnail = page.locator("img.assist-files__thumbnail")
    expect(thumbnail).to_have_count(1)
    thumbnail.evaluate("img => img.decode()")
    assert _image_shown(thumbnail)
    assert "council-tax-bill.jpg" in page.locator(".assist-files").inner_text()
    screenshot(page, "evidence-proof-of-address-one-file")
    page.get_by_role("button", name=re.compile("Remove")).click()
    expect(page.locator("img.assist-files__thumbnail")).to_have_count(0)
    assert page.locator("h1").inner_text().strip() == "Add proof of your address"
    _input(page, "proof-of-address").set_input_files(_photo("bank-letter.jpg"))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/sharing-information$"))
    page.goto(f"{live_server}/forms/{form.id}/check-answers")
    row = page.locator("#answer-proof-of-address")
    if row.count():  # check answers opens once every page is answered; else the file page shows it
        assert "bank-letter.jpg" in row.inner_text()


def test_a_wrong_file_gets_the_error_and_the_summary_links_to_the_input(page, live_server, app):
    form = app.extensions["assist.forms"]["blue-badge"]
    walk_to(page, live_server, form, "proof-of-address")
    _input(page, "proof-of-address").set_input_files(
        {"name": "letter.jpg", "mimeType": "image/jpeg", "buffer": b"this is not a photo"})
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error:"))
    summary = page.locator(".govuk-error-summary")
    assert "The selected file must be a JPG, PNG, HEIC or PDF" in summary.inner_text()
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "proof-of-address"
    screenshot(page, "evidence-wrong-file")


def test_the_passport_photo_guide_shows_the_chosen_photo_in_its_frame(page, live_server, app):
    form = app.extensions["assist.forms"]["blue-badge"]
    walk_to(page, live_server, form, "photo")
    guide = page.locator("[data-assist-photo-guide]")
    assert guide.is_hidden()
    _input(page, "photo").set_input_files(_photo("me.jpg", 900, 1200))
    expect(guide).to_be_visible()
    guide.locator("img").evaluate("img => img.decode()")
    assert _image_shown(guide.locator("img"))
    screenshot(page, "evidence-passport-guide")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/proof-of-benefit$"))
    page.goto(f"{live_server}/forms/{form.id}/photo")
    large = page.locator("img.assist-files__passport")
    large.evaluate("img => img.decode()")
    assert _image_shown(large) and large.bounding_box()["width"] > 200, "the photo is shown large to judge it"


@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_evidence_pages_pass_the_accessibility_checks(page, live_server, app, language):
    form = app.extensions["assist.forms"]["blue-badge"]
    page.goto(f"{live_server}/?lang={language}")
    walk_to(page, live_server, form, "proof-of-address")
    checker = Checker(language)
    checker.check(page, "evidence-upload")
    _input(page, "proof-of-address").set_input_files(_photo("bill.jpg"))
    page.locator('button[name="action"][value="upload"]').click()
    expect(page.locator("img.assist-files__thumbnail")).to_have_count(1)
    checker.check(page, "evidence-uploaded")
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        screenshot(page, "evidence-uploaded-ar")
    checker.assert_no_problems()


def test_the_camera_view_takes_a_passport_photo_into_the_file_input(browser, live_server, app):
    """Chromium's fake camera stands in for the tablet's (a moving test pattern, permission given)."""
    from conftest import CHROMIUM, CHROMIUM_ARGS

    form = app.extensions["assist.forms"]["blue-badge"]
    with_camera = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    try:
        page = with_camera.new_context(viewport={"width": 768, "height": 1024}).new_page()
        walk_to(page, live_server, form, "photo")
        page.get_by_role("button", name="Use the camera with a guide").click()
        video = page.locator("[data-assist-camera-video]")
        page.locator("[data-assist-camera-take]").wait_for(state="visible")  # shown once the camera plays
        assert video.evaluate("video => video.videoWidth") > 0
        assert page.locator("[data-assist-camera-view] .assist-photo-guide__oval").count() == 1
        expect(page.get_by_role("button", name="Use the camera with a guide")).to_be_hidden()
        screenshot(page, "evidence-camera-view")
        page.get_by_role("button", name="Take the photo").click()
        expect(page.locator("[data-assist-photo-guide]")).to_be_visible()
        assert _input(page, "photo").evaluate("input => input.files.length") == 1
        expect(video, "the camera is closed once the photo is taken").to_be_hidden()
        expect(page.get_by_role("button", name="Use the camera with a guide")).to_be_visible()
        assert "Photo taken" in page.locator("[data-assist-camera-status]").inner_text()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/proof-of-benefit$"))  # the camera's photo is accepted as the badge photo
    finally:
        with_camera.close()
