"""Right-to-left pages laid out as Arabic and Urdu readers read them, measured in a browser: the
page's direction on <html>, the main column and the back link at the right, "Change" and
"Remove" in reading order with a line between them, answers that keep their brackets; and, in
every language, check answers' questions never broken inside a word and kiosk language buttons
of one height."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from conftest import csrf_token, screenshot
from support import example_raw, exit_values, page_from_url

FORM = "council-tax-reduction"
TYPED = "Pension Credit (guarantee)"
SIZES = {"tablet": (768, 1024), "phone": (320, 640)}
RTL = ["ar", "ur"]


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(language, size)``: a fresh browser profile at ``size`` with the page in ``language``."""
    contexts = []

    def open_page(language, size="tablet"):
        width, height = SIZES[size] if isinstance(size, str) else size
        # No service worker: it fetches with the visitor's cookie while the test walks the form.
        context = browser.new_context(viewport={"width": width, "height": height}, service_workers="block")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server}/?lang={language}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def walk(page, base, form, stop=None, answers=None, items=1) -> str:
    """Answer ``form`` through the page's own cookies (its context's request API) with valid
    answers, ``answers`` (question id → raw input) instead of the examples, ``items`` in each
    repeating group; stop at page ``stop`` (a repeating group once it has ``items``), else at check
    answers. Returns that page's URL."""
    answers = answers or {}
    request = page.context.request

    def absolute(response):
        location = response.headers["location"]
        return base + location if location.startswith("/") else location

    start = request.get(f"{base}/forms/{form.id}/")
    url = absolute(request.post(f"{base}/forms/{form.id}/start", max_redirects=0,
                                form={"csrf_token": _token(start.text())}))
    for _ in range(200):
        current, number = page_from_url(form, url)
        if current is None:
            return url
        response = request.get(url, max_redirects=0)
        if response.status in (301, 302, 303):
            url = absolute(response)
            continue
        html = response.text()
        added = html.count('class="govuk-summary-card__title"')
        if current.id == stop and number is None and (current.kind != "repeat" or added >= items):
            return url
        data = {"csrf_token": _token(html)}
        if current.kind == "repeat" and number is None:
            data["add-another"] = "yes" if added < max(items, current.min) else "no"
        else:
            for question in current.questions:
                data.update(answers.get(question.id) or example_raw(question, exit_values(current)))
        pairs = [(key, each) for key, value in data.items() for each in (value if isinstance(value, list) else [value])]
        response = request.post(url, data=urlencode(pairs), max_redirects=0,
                                headers={"content-type": "application/x-www-form-urlencoded"})
        assert response.status in (302, 303), (url, response.status)
        url = absolute(response)
    raise AssertionError(f"{form.id}: did not reach {stop or 'check answers'}")


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _box(page, selector):
    return page.locator(selector).first.evaluate(
        "e => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; }")


# --- the document's language and direction ----------------------------------------------------

@pytest.mark.parametrize("language, direction", [("ar", "rtl"), ("ur", "rtl"), ("en", "ltr"), ("cy", "ltr")])
def test_the_html_element_carries_the_pages_language_and_direction(client, language, direction):
    client.get(f"/?lang={language}")
    html = client.get("/").get_data(as_text=True)
    [opening] = re.findall(r"<html[^>]*>", html)
    assert re.fullmatch(rf'<html lang="{language}" dir="{direction}" class="govuk-template[^"]*">', opening), opening
    [body] = re.findall(r"<body[^>]*>", html)
    assert "dir=" not in body and "lang=" not in body, body  # said once, on <html>


# --- the main column and the back link ----------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", RTL + ["en"])
def test_the_main_column_and_the_back_link_start_where_reading_starts(open_page, live_server, app, language, size):
    form = app.extensions["assist.forms"][FORM]
    page = open_page(language, size)
    page.goto(walk(page, live_server, form, stop="account-number"))
    screenshot(page, f"rtl-question-{language}-{size}")
    container = _box(page, "main")
    column = _box(page, "main .govuk-grid-column-two-thirds")
    back = _box(page, ".govuk-back-link")
    # The column's and the back link's outer edges: GOV.UK's column padding is 15px, the row's -15px.
    if language in RTL:
        assert abs(column["right"] - 15 - container["right"]) <= 1, (column, container)
        assert abs(back["right"] - container["right"]) <= 1, (back, container)
    else:
        assert abs(column["left"] + 15 - container["left"]) <= 1, (column, container)
        assert abs(back["left"] - container["left"]) <= 1, (back, container)

    # The chevron: GOV.UK draws it as a box's top and right borders, turned; where does that corner
    # point once turned? Backwards: to the right in a right-to-left page.
    chevron = page.locator(".govuk-back-link").evaluate("""e => {
        const style = getComputedStyle(e, '::before');
        const [a, b, c, d] = new DOMMatrix(style.transform).toFloat64Array().filter((_, i) => [0, 1, 4, 5].includes(i));
        const word = document.createRange(); word.selectNodeContents(e);
        const text = word.getBoundingClientRect(), link = e.getBoundingClientRect();
        return {x: a * 1 + c * -1, borders: [style.borderTopWidth, style.borderRightWidth],
                before: link.right - text.right, after: text.left - link.left};
    }""")
    assert chevron["borders"] != ["0px", "0px"]
    if language in RTL:
        assert chevron["x"] > 1, chevron  # points right
        assert chevron["before"] >= 10 and chevron["after"] <= 2, chevron  # and sits right of "Back"
    else:
        assert chevron["x"] < -1, chevron
        assert chevron["after"] >= 10 and chevron["before"] <= 2, chevron
    assert page.evaluate("[document.documentElement.dir, document.documentElement.lang]") == [
        "rtl" if language in RTL else "ltr", language]


# --- "Change" and "Remove" on an add-another card -------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", RTL + ["en"])
def test_change_and_remove_are_apart_in_reading_order_with_the_line_between(open_page, live_server, app, language, size):
    form = app.extensions["assist.forms"][FORM]
    page = open_page(language, size)
    page.goto(walk(page, live_server, form, stop="household"))
    screenshot(page, f"rtl-add-another-{language}-{size}")
    actions = page.locator(".govuk-summary-card__action").evaluate_all("""items => items.map(item => {
        const link = item.querySelector('a').childNodes[0];  // the word, not the hidden text
        const word = document.createRange(); word.selectNodeContents(link);
        const text = word.getBoundingClientRect(), box = item.getBoundingClientRect(), style = getComputedStyle(item);
        const lines = [];
        if (parseFloat(style.borderLeftWidth) > 0) lines.push(box.left);
        if (parseFloat(style.borderRightWidth) > 0) lines.push(box.right);
        return {left: text.left, right: text.right, top: text.top, lines};
    })""")
    change, remove = actions
    assert abs(change["top"] - remove["top"]) < 2  # on one line
    first, second = (change, remove) if language not in RTL else (remove, change)  # left to right on screen
    assert second["left"] - first["right"] >= 16, actions  # two spaces, not "ChangeRemove"
    lines = change["lines"] + remove["lines"]
    assert len(lines) == 1, actions
    assert first["right"] + 4 <= lines[0] <= second["left"] - 4, actions  # the line between, spaced


# --- answers keep their brackets ------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", RTL)
def test_answers_keep_their_brackets_on_a_right_to_left_page(open_page, live_server, app, language, size):
    form = app.extensions["assist.forms"][FORM]
    page = open_page(language, size)
    page.goto(walk(page, live_server, form, answers={
        "anything-else": {"anything-else": TYPED}, "benefits": {"benefits": ["pension-credit"]}}))
    screenshot(page, f"rtl-check-answers-{language}-{size}")
    values = page.locator(".govuk-summary-list__value").evaluate_all("""values => values.map(value => {
        const isolated = [...value.querySelectorAll('bdi')].map(b => b.textContent);
        const text = [...value.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
        return {text: value.textContent, isolated, loose: text.trim()};
    })""")
    typed = [value for value in values if value["text"] == TYPED]
    assert typed and typed[0]["isolated"] == [TYPED] and typed[0]["loose"] == "", values
    # Every answer is isolated, the translated "Pension Credit" with its English name too.
    assert all(value["isolated"] and not value["loose"] for value in values), values

    # On screen: "(" and ")" around "guarantee", on its line, and the answer reads left to right.
    placed = page.locator(".govuk-summary-list__value bdi", has_text=TYPED).evaluate("""bdi => {
        const node = bdi.firstChild, s = node.data;
        const at = i => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
        const open = s.indexOf('('), close = s.indexOf(')');
        const inside = [...Array(close - open - 1).keys()].map(k => at(open + 1 + k));
        return {open: at(open), close: at(close), inside: inside.map(r => [r.left, r.right, r.top]),
                first: at(0).left, last: at(s.length - 1).left, direction: getComputedStyle(bdi).direction};
    }""")
    assert all(placed["open"]["right"] <= left + 1 and right <= placed["close"]["left"] + 1
               and abs(top - placed["open"]["top"]) < 2 for left, right, top in placed["inside"]), placed
    assert placed["first"] < placed["last"], placed


# --- check answers: questions in whole words ------------------------------------------------------

BROKEN_WORDS = """keys => keys.flatMap(key => {
    const broken = [];  // a line may end after a hyphen ("long-" / "term"), never inside a word
    const walker = document.createTreeWalker(key, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.data.matchAll(/[^\\s\\-\\u2010]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index); range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
            if (lines.size > 1) broken.push(match[0]);
        }
    }
    return broken;
})"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "cy", "ar"])
def test_no_question_on_check_answers_is_broken_inside_a_word(open_page, live_server, app, language, size):
    form = app.extensions["assist.forms"][FORM]
    page = open_page(language, size)
    page.goto(walk(page, live_server, form))
    screenshot(page, f"check-answers-keys-{language}-{size}")
    keys = page.locator(".govuk-summary-list__key")
    assert keys.count() > 20
    assert keys.evaluate_all(BROKEN_WORDS) == []
    # Nothing sticks out of its column either: each question fits in its own cell.
    overflowing = keys.evaluate_all("keys => keys.filter(k => k.scrollWidth > k.clientWidth + 1).map(k => k.textContent)")
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]


# --- kiosk start: language buttons ------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1080, 1920), SIZES["tablet"], SIZES["phone"]], ids=["kiosk", "tablet", "phone"])
@pytest.mark.parametrize("language", ["en", "ur"])
def test_kiosk_language_buttons_are_all_one_height(open_page, live_server, language, size):
    page = open_page(language, size)
    page.goto(f"{live_server}/kiosk/central-library")
    page.goto(f"{live_server}/kiosk/central-library?lang={language}")
    screenshot(page, f"kiosk-languages-{language}-{size[0]}")
    buttons = page.locator(".assist-kiosk-language")
    assert buttons.count() == 7
    heights = buttons.evaluate_all("bs => bs.map(b => Math.round(b.getBoundingClientRect().height))")
    assert max(heights) - min(heights) <= 1, heights
    # Each name in the middle of its button, whatever its script.
    offsets = buttons.evaluate_all("""bs => bs.map(b => {
        const r = document.createRange(); r.selectNodeContents(b);
        const text = r.getBoundingClientRect(), box = b.getBoundingClientRect();
        return Math.round(Math.abs((text.top - box.top) - (box.bottom - text.bottom)));
    })""")
    assert max(offsets) <= 6, offsets


# --- tables -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", RTL + ["en"])
def test_table_text_starts_at_the_tables_reading_edge(open_page, live_server, language, size):
    page = open_page(language, size)
    page.goto(f"{live_server}/print/")
    screenshot(page, f"rtl-table-{language}-{size}")
    # The first column's heading and each row's heading: their words start at the table's edge.
    edges = page.locator(".govuk-table__row > :first-child").evaluate_all("""cells => cells.map(cell => {
        const words = document.createRange(); words.selectNodeContents(cell);
        const rects = [...words.getClientRects()].filter(r => r.width > 0);
        const top = Math.min(...rects.map(r => r.top)), line = rects.filter(r => r.top < top + 2);  // the first line
        const table = cell.closest('table').getBoundingClientRect();
        return {start: Math.round(Math.min(...line.map(r => r.left)) - table.left),
                end: Math.round(table.right - Math.max(...line.map(r => r.right)))};
    })""")
    assert len(edges) > 2
    key = "end" if language in RTL else "start"
    assert all(edge[key] <= 1 for edge in edges), edges
