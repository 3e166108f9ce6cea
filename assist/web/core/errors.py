"""Error pages: one GOV.UK-style page per status, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, make_response, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ...storage import StorageUnwritable

log = logging.getLogger(__name__)

PAGES = {
    400: (_l("Sorry, there is a problem with the service"), _l("Something went wrong with that request. Go back and try again.")),
    404: (_l("Page not found"), _l("If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.")),
    405: (_l("Page not found"), _l("If you typed the web address, check it is correct.")),
    413: (_l("What you sent is too large"), _l("Go back and send less, or ask a helper for a paper form.")),
    500: (_l("Sorry, there is a problem with the service"), _l("Try again later. What you typed on this page may not have been saved.")),
    503: (_l("Sorry, what you sent was not saved"), _l("Something went wrong on our side and nothing from that page was saved. Go back, check what you typed is still there, and try again in a few minutes. If it keeps happening, ask a helper or use a paper form.")),
}

RETRY_AFTER_SECONDS = 30  # how soon a page that could not be saved may be sent again


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StorageUnwritable, _not_saved_error)
    app.register_error_handler(Exception, _server_error)


def error_page(status: int):
    """The error page for ``status``, as a response."""
    return _render(status)


def not_saved(body):
    """``body`` (a page saying nothing was saved, holding what was typed) as a 503 response with
    ``Retry-After``: the database could not be written."""
    response = make_response(body, 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _render(status: int, title=None, body=None):
    default_title, default_body = PAGES.get(status, PAGES[400 if status < 500 else 500])
    return render_template("error.html", title=title or default_title, body=body or default_body), status


def _csrf_error(error):
    return _render(
        400,
        _l("Your page was open too long or came from somewhere else"),
        _l("Nothing you had already saved has been lost. Go back, reload the page and try again."),
    )


def _http_error(error: HTTPException):
    return _render(error.code or 500)


def _not_saved_error(error: StorageUnwritable):
    # The storage layer has already logged it, once, with what to do.
    return not_saved(_render(503)[0])


def _server_error(error: Exception):
    log.exception("Unhandled error")  # request data is never logged
    return _render(500)
