"""Shared fixtures: an app on a temporary data directory, and a test client that checks every page."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from accessibility_report import (  # noqa: F401 - hooks: pages × languages checked, summed across workers
    pytest_sessionfinish, pytest_terminal_summary, pytest_testnodedown,
)

ROOT = Path(__file__).resolve().parents[1]


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates shared by every app the tests build: compiling GOV.UK Frontend's
    macros takes about two seconds per new app, rendering them a few milliseconds."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = _MemoryBytecodeCache()


class PageError(AssertionError):
    """A page failed the checks every page must pass."""


#: Markup, or an escaped character, in a page's visible text: a tag printed as text (``<br>``,
#: ``<strong class=...>``) or HTML escaped twice (``&lt;``, ``&amp;``).
MARKUP_AS_TEXT = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);")
#: Elements whose content is not shown as text on the page.
NOT_SHOWN = {"script", "style", "template"}


def visible_text(document) -> list[str]:
    """The text of a parsed page as a reader sees it (character references already decoded)."""
    texts = []

    def walk(element):
        if element.tag in NOT_SHOWN:
            texts.append(element.tail or "")
            return
        texts.append(element.text or "")
        for child in element:
            walk(child)
        texts.append(element.tail or "")

    walk(document)
    return [text for text in texts if text.strip()]


def markup_shown_as_text(document, typed=()) -> list[str]:
    """Markup that a page shows as text, other than inside something the visitor typed in ``typed``."""
    shown = []
    for text in visible_text(document):
        for match in MARKUP_AS_TEXT.finditer(text):
            if not any(match.group() in value for value in typed):
                shown.append(f"{match.group()!r} in {text.strip()[:120]!r}")
    return shown


def check_page(response, typed=()) -> None:
    """Every HTML page parses without errors, has no duplicate ids, has a non-empty title, and shows
    no markup as text that the visitor did not type (``typed``)."""
    if response.mimetype != "text/html":
        return
    text = response.get_data(as_text=True)
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    document = parser.parse(text)
    if parser.errors:
        position, code, data = parser.errors[0]
        line = text.splitlines()[position[0] - 1] if position[0] else ""
        raise PageError(f"HTML parse error {code} {data} at {position}: {line.strip()[:200]}")
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PageError(f"duplicate ids: {duplicates}")
    title = document.find(".//title")
    if title is None or not (title.text or "").strip():
        raise PageError("page has no <title>")
    shown = markup_shown_as_text(document, typed)
    if shown:
        raise PageError(f"markup shown as text: {shown}")


class CheckingClient(FlaskClient):
    """A test client that runs :func:`check_page` on every response, remembering what it has typed
    (posted form values): a page may show those back as text."""

    def open(self, *args, **kwargs):
        typed = self.__dict__.setdefault("typed", set())
        data = kwargs.get("data")
        if hasattr(data, "items"):
            for _name, value in (data.items(multi=True) if hasattr(data, "getlist") else data.items()):
                for each in value if isinstance(value, (list, tuple)) else [value]:
                    if isinstance(each, str):
                        typed.add(each)
        response = super().open(*args, **kwargs)
        check_page(response, typed)
        return response


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    monkeypatch.setenv("ASSIST_DATA_DIR", str(directory))
    monkeypatch.delenv("ASSIST_CONFIG", raising=False)
    return directory


@pytest.fixture
def config(data_dir):
    from assist.config import load_config

    return load_config(ROOT / "config.toml")


@pytest.fixture
def app(config):
    from assist import create_app

    app = create_app(config, testing=True)
    app.test_client_class = CheckingClient
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(response) -> str:
    """The CSRF token in a page's form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "page has no CSRF token"
    return match.group(1)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture
def live_server(app):
    """The app served by waitress on a free loopback port; yields its base URL."""
    import threading

    from waitress import wasyncore

    from assist.server import make_server, server_options

    server = make_server(app, server_options(app.extensions["assist.config"], port=0, threads=4))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    # Let requests in flight finish while the server's wake-up pipe is still open, then close every
    # socket from the server's own thread so its loop ends. Closing from here instead leaves worker
    # threads writing to a closed descriptor number, which the next test may already have reused
    # for a file of its own.
    server.task_dispatcher.shutdown(timeout=10)
    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, headless and off the network."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile (context) at tablet portrait size."""
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-output/screenshots for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
