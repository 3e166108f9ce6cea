"""A simulated resident: one keep-alive HTTP connection and its own cookies, walking a form.

The answers come from the tests' knowledge of each question (``tests/support.py``), but every
step goes over real HTTP to ``assist serve``: GET a page, read its CSRF token, POST the answers,
follow the redirect, until the confirmation page shows a reference.
"""

from __future__ import annotations

import http.client
import re
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from .load import csrf_token

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support import example_raw, exit_values, page_from_url  # noqa: E402

REFERENCE = re.compile(r'class="assist-reference"[^>]*>([A-Z0-9-]+)<')
SUMMARY_CARD = 'class="govuk-summary-card__title"'
MAX_STEPS = 200
FOUND = (302,)


class WrongPage(Exception):
    """The server answered, but not with what a resident walking the form expects."""


class Resident:
    """One resident's browser: a connection, cookies, and the time each request took."""

    def __init__(self, port: int, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.latencies: list[float] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, data: dict | None = None,
                expect: tuple[int, ...] = (200,)) -> tuple[str, str]:
        """Send one request on the keep-alive connection; return ``(body, location)``.

        A status not in ``expect`` raises :class:`WrongPage`; connection failures propagate.
        """
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # a broken keep-alive connection: the next request opens a new one
            raise
        self.latencies.append(time.perf_counter() - start)
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        if response.status not in expect:
            raise WrongPage(f"{method} {_shape(path)}: {response.status}, expected {expect[0]}")
        location = urlsplit(response.headers.get("Location", ""))
        return text, location.path + (f"?{location.query}" if location.query else "")

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if not morsel.value or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def walk_to_check_answers(self, form, items_per_repeat: int = 1, stop_after: int | None = None) -> str:
        """Start ``form`` and answer every page; return the check-answers page's CSRF token.

        ``stop_after``: answer only that many pages (the answers are saved as a draft) and return ``""``.
        """
        html, _ = self.request("GET", f"/forms/{form.id}/")
        _, url = self.request("POST", f"/forms/{form.id}/start", {"csrf_token": csrf_token(html)}, expect=FOUND)
        for step in range(MAX_STEPS):
            if stop_after is not None and step >= stop_after:
                return ""
            if url.endswith("/check-answers"):
                html, _ = self.request("GET", url)
                return csrf_token(html)
            page, number = page_from_url(form, url)
            if page is None:
                raise WrongPage(f"{form.id}: sent to {_shape(url)}")
            html, onward = self.request("GET", url, expect=(200, 302))
            if onward:  # an empty repeating group sends on to its first item
                url = onward
                continue
            data = {"csrf_token": csrf_token(html)}
            if page.kind == "repeat" and number is None:
                added = html.count(SUMMARY_CARD)
                wanted = max(items_per_repeat, page.min)
                data["add-another"] = "yes" if added < wanted and added < page.max else "no"
            else:
                for question in page.questions:
                    data.update(example_raw(question, exit_values(page)))
            _, url = self.request("POST", url, data, expect=FOUND)
        raise WrongPage(f"{form.id}: no check-answers page after {MAX_STEPS} steps")

    def submit(self, form, token: str) -> str:
        """Press Submit on check answers and read the reference from the confirmation page."""
        return self.read_reference(self.press_submit(form, token))

    def press_submit(self, form, token: str) -> str:
        """POST check answers; return where the server sends the resident (the confirmation page)."""
        _, url = self.request("POST", f"/forms/{form.id}/check-answers", {"csrf_token": token}, expect=FOUND)
        if not url.endswith("/confirmation"):
            raise WrongPage(f"{form.id}: Submit sent to {_shape(url)}")
        return url

    def read_reference(self, url: str) -> str:
        """GET the confirmation page and read the reference on it."""
        html, _ = self.request("GET", url)
        match = REFERENCE.search(html)
        if not match:
            raise WrongPage("confirmation page without a reference")
        return match.group(1)


def _shape(path: str) -> str:
    """A path for error messages, without query strings."""
    return path.split("?", 1)[0]
