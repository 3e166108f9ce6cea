"""PDFs in the browser: the app's printouts renderer, and the response that shows a PDF."""

from __future__ import annotations

import threading

from flask import Response, current_app

_lock = threading.Lock()


def printouts():
    """The app's :class:`assist.printouts.Printouts`, made on first use and kept for the app's life."""
    extensions = current_app.extensions
    if "assist.printouts" not in extensions:
        with _lock:
            if "assist.printouts" not in extensions:
                from ...printouts import Printouts

                extensions["assist.printouts"] = Printouts(extensions["assist.config"])
    return extensions["assist.printouts"]


def pdf_response(pdf: bytes, filename: str, *, private: bool) -> Response:
    """A PDF shown in the browser's viewer; never stored by browsers or proxies when ``private``."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store" if private else "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
