"""The offline tablet: a service worker at the site root, its manifest, and the offline page.

The service worker (``assist/static/src/sw.js``) keeps the app shell (stylesheet, scripts, the
offline page) and each form's blank paper PDFs for the venue's languages, and shows the offline
page when the server cannot be reached. It caches nothing that contains answers: only the
addresses listed by :func:`manifest`, which are the same for everyone.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Response, jsonify, render_template, request, url_for

from ..core.app import config, forms
from ..core.device import KIOSK_COOKIE, VENUE_COOKIE
from ..core.language import language_name
from . import offline_bp as bp

STATIC = Path(__file__).resolve().parents[2] / "static"
SHELL_ASSETS = ("assist.css", "assist.js", "kiosk.js", "govuk-frontend.min.js", "images/favicon.svg",
                "images/favicon.ico")


def _script() -> str:
    for folder in ("dist", "src"):
        path = STATIC / folder / "sw.js"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("assist/static/src/sw.js")


def _venue_languages() -> tuple[str, ...]:
    """The languages of this device's venue (from its venue cookie): all available ones unless the
    venue lists its own; none on a device that is not at a venue (a resident's own phone)."""
    available = tuple(config().languages.available)
    cookies = (VENUE_COOKIE, KIOSK_COOKIE)
    venue_id = next((request.cookies.get(name) for name in cookies if request.cookies.get(name)), None)
    if not venue_id:
        return ()
    venue = config().venue(venue_id)
    chosen = tuple(code for code in (getattr(venue, "languages", ()) or ()) if code in available)
    return chosen or available


def _shell() -> list[str]:
    urls = [url_for("offline.offline_page")]
    for name in SHELL_ASSETS:
        if (STATIC / "dist" / name).is_file():
            urls.append(url_for("static", filename=name))
    return urls


def _papers(languages) -> list[dict]:
    return [
        {"form": form.id, "title": form.title, "language": language, "name": language_name(language),
         "url": url_for("printing.paper_form", form_id=form.id, language=language)}
        for form in forms().values() for language in languages
    ]


def _version(papers: list[dict]) -> str:
    """Changes when an asset, a form version or the list of papers changes: the worker then re-caches."""
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        path = STATIC / "dist" / name
        if path.is_file():
            stat = path.stat()
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for form in forms().values():
        digest.update(f"{form.id}:{form.version}".encode())
    digest.update(repr([p["url"] for p in papers]).encode())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the site root so that its scope is the whole site."""
    response = Response(_script(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/offline/manifest.json")
def manifest():
    """What the service worker keeps: the shell and the blank paper forms (nothing with answers)."""
    papers = _papers(_venue_languages())
    return jsonify({"version": _version(papers), "offline": url_for("offline.offline_page"),
                    "shell": _shell(), "papers": [p["url"] for p in papers]})


@bp.get("/offline")
def offline_page():
    """Shown by the service worker when the server cannot be reached. The same for everyone."""
    languages = config().languages.available
    rows = [{"form": form, "papers": [p for p in _papers(languages)
                                      if p["form"] == form.id]} for form in forms().values()]
    return render_template("site/offline.html", rows=rows, offline=True)
