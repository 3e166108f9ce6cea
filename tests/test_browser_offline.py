"""The offline tablet: the service worker keeps the shell and blank paper forms, never answers, and shows
the offline page in Chromium when the server is gone; the kept blank PDF still opens."""

from __future__ import annotations

import base64
import dataclasses
import io
import threading

import pytest
from playwright.sync_api import expect

from conftest import screenshot

CACHE = "assist-offline-v1"
PAPER = "/print/forms/missed-bin/paper-form.pdf?language=en"


@pytest.fixture
def venue_config(config):
    venues = tuple(dataclasses.replace(v, languages=("en",)) for v in config.venues)
    return dataclasses.replace(config, venues=venues)


@pytest.fixture
def offline_app(venue_config):
    from assist import create_app
    from conftest import CheckingClient

    app = create_app(venue_config, testing=True)
    app.test_client_class = CheckingClient
    return app


def test_service_worker_is_served_from_the_root_with_its_scope_and_no_caching(offline_app):
    client = offline_app.test_client()
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-store"
    assert "addEventListener('fetch'" in response.get_data(as_text=True)


def test_manifest_lists_the_shell_and_the_venues_blank_forms_only(offline_app):
    client = offline_app.test_client()
    anonymous = client.get("/offline/manifest.json").get_json()
    assert anonymous["papers"] == [], "a resident's own phone keeps no paper forms"
    assert "/offline" in anonymous["shell"] and "/assets/assist.css" in anonymous["shell"]
    client.set_cookie("assist_venue", "central-library")
    manifest = client.get("/offline/manifest.json").get_json()
    forms = offline_app.extensions["assist.forms"]
    assert manifest["papers"] == [f"/print/forms/{f}/paper-form.pdf?language=en" for f in forms]
    for url in manifest["shell"] + manifest["papers"]:
        assert url.startswith(("/assets/", "/offline", "/print/forms/")), url
    assert manifest["version"] != anonymous["version"]


def test_offline_page_offers_paper_forms_and_try_again(offline_app):
    response = offline_app.test_client().get("/offline")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No connection" in html and "Print a paper form, or try again" in html
    assert f'href="{PAPER}"' in html and 'data-offline-retry' in html


def stop(server, thread) -> None:
    """Stop waitress for good: no listening socket and no kept-alive connection left (as when the
    venue's connection drops, the browser's requests fail instead of waiting)."""
    from waitress import wasyncore

    server.task_dispatcher.shutdown()
    wasyncore.close_all(server._map)
    thread.join(10)


def test_offline_page_in_chromium_with_the_server_stopped_and_the_kept_pdf_opens(offline_app, browser):
    from pypdf import PdfReader
    from waitress import create_server

    server = create_server(offline_app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    context = browser.new_context(viewport={"width": 768, "height": 1024}, service_workers="allow")
    context.add_cookies([{"name": "assist_venue", "value": "central-library", "url": base}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(base + "/forms/missed-bin/")
        # Wait (on a condition, not a clock) until the worker has kept the offline page and the paper forms.
        # (The condition is checked inside the page, where the Cache API's promises can be awaited.)
        page.evaluate("""async ([cache, paper]) => {
            const ready = async () => {
              const kept = await caches.open(cache)
              return !!(await kept.match('/offline')) && !!(await kept.match(paper))
                && !!(await kept.match('/offline/version')) && !!navigator.serviceWorker.controller
            }
            const deadline = Date.now() + 90000
            while (!(await ready())) {
              if (Date.now() > deadline) throw new Error('the service worker did not keep the paper forms')
              await new Promise(resolve => setTimeout(resolve, 100))
            }
          }""", [CACHE, PAPER])
        kept = page.evaluate("""async cache => (await (await caches.open(cache)).keys()).map(r => new URL(r.url).pathname)""",
                             CACHE)
        assert all(p.startswith(("/assets/", "/offline", "/print/forms/")) for p in kept), kept
        assert not any(p.startswith(("/forms/", "/helpers/")) for p in kept), "no page with answers is kept"
    finally:
        stop(server, thread)

    # The server is gone: any page shows the offline page.
    page.goto(base + "/forms/missed-bin/what-happened")
    page.get_by_role("heading", name="No connection").wait_for()
    assert "Print a paper form, or try again" in page.inner_text("main")
    expect(page.get_by_role("link", name="Try again")).to_be_visible()
    screenshot(page, "offline-no-connection")
    # The kept blank paper form opens from the link on the offline page.
    link = page.locator(f'a[href="{PAPER}"]')
    assert link.count() == 1
    result = page.evaluate("""async url => {
        const response = await fetch(url)
        const bytes = new Uint8Array(await response.arrayBuffer())
        let text = ''; for (const b of bytes) text += String.fromCharCode(b)
        return {status: response.status, type: response.headers.get('Content-Type'), body: btoa(text)}
    }""", link.get_attribute("href"))
    assert result["status"] == 200 and result["type"] == "application/pdf"
    pdf = base64.b64decode(result["body"])
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    form = offline_app.extensions["assist.forms"]["missed-bin"]
    assert form.title.split()[0] in text and "PAPER-" in text.replace(" ", "")
    with page.expect_response(lambda r: PAPER in r.url) as response:
        link.click()
    assert response.value.status == 200
    context.close()
