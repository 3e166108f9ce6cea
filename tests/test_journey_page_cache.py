"""The page cache: a question page taken from it is the page rendered afresh, and keeps nothing typed."""

from __future__ import annotations

import re

from support import example_raw, exit_values, page_from_url, question_pages

#: Typed text with every character HTML escapes, in every free-text answer (cut to a shorter limit).
AWKWARD = "O'Neil & \"Co\" <Ltd>"
ESCAPED = "O&#39;Neil &amp; &#34;Co&#34; &lt;Ltd&gt;"
TEXT_TYPES = {"text", "long_text"}


def _answers(page) -> dict:
    data = {}
    for question in page.questions:
        raw = example_raw(question, exit_values(page))
        if question.type in TEXT_TYPES and not question.options.get("pattern"):  # a pattern takes only its format
            raw = {name: AWKWARD[:question.options.get("max_length") or len(AWKWARD)] for name in raw}
        elif question.type in ("name", "address"):
            raw = {name: (AWKWARD if name.endswith(("-first", "-line1")) or name == question.id else value)
                   for name, value in raw.items()}
        data.update(raw)
    return data


def _same_apart_from_nonce(html: str) -> str:
    return re.sub(r"nonce-[\w-]+|nonce=\"[\w-]+\"", "nonce", html)


def _answered_pages(client, form):
    """Walk ``form`` with awkward answers, yielding each question page's path once it is answered."""
    answered = None
    for url in question_pages(client, form, answer=_answers):
        if answered:  # the walk has gone on from it: it is answered now
            yield answered
        page, number = page_from_url(form, url)
        answered = url if page.kind != "repeat" or number is not None else None
    if answered:
        yield answered


def test_a_page_showing_typed_answers_is_the_same_from_the_page_cache_as_rendered_afresh(client, app):
    fresh = [False]
    app.extensions["assist.page_cache_vetoes"].append(lambda: fresh[0])
    compared = shown = 0
    for form in app.extensions["assist.forms"].values():
        for url in _answered_pages(client, form):
            fresh[0] = True
            afresh = client.get(url).get_data(as_text=True)
            fresh[0] = False
            kept_before = len(app.extensions["assist.pages"])
            first = client.get(url).get_data(as_text=True)  # rendered into the cache
            again = client.get(url).get_data(as_text=True)  # taken from it
            if len(app.extensions["assist.pages"]) == kept_before:
                continue  # a page showing a choice: rendered afresh every time
            compared += 1
            assert _same_apart_from_nonce(first) == _same_apart_from_nonce(afresh), url
            assert _same_apart_from_nonce(again) == _same_apart_from_nonce(afresh), url
            if ESCAPED in afresh:
                shown += 1
                assert ESCAPED in again
    assert shown
    assert compared >= 20  # dates, names, addresses, numbers, money, text in all four forms
    kept = "".join(app.extensions["assist.pages"].values())
    assert "Neil" not in kept and "Sam" not in kept and "Demotown" not in kept
    assert 'value="sam@example.com"' not in kept and 'value="07700' not in kept


def test_a_page_with_a_ticked_choice_is_never_kept(client, app):
    form = app.extensions["assist.forms"]["blue-badge"]
    for url in _answered_pages(client, form):
        page, _number = page_from_url(form, url)
        if any(question.type in ("yes_no", "choose_one", "choose_many") for question in page.questions):
            kept_before = len(app.extensions["assist.pages"])
            client.get(url)
            assert len(app.extensions["assist.pages"]) == kept_before
            return
    raise AssertionError("no page with a choice")
