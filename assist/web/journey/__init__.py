"""The resident's journey through a form: its start page, one page of questions at a time,
repeating groups ("add another"), check answers, submit and the confirmation.

``views`` has the journey's own pages, ``repeats`` the repeating groups, ``evidence`` the pages
that take files, ``question_page`` how a page of questions is rendered (or served from the page
cache), ``navigation`` where each step goes.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from ..core.errors import error_page

bp = Blueprint("journey", __name__, url_prefix="/forms")

from . import evidence, repeats, views  # noqa: E402,F401 - they add the routes to bp


@bp.errorhandler(413)
def _too_large(error):
    """An upload too large to read: back to its page, which says so; elsewhere the error page."""
    return evidence.refuse_too_large() or error_page(413)


def init_app(app: Flask) -> None:
    """Register the journey's pages."""
    app.register_blueprint(bp)
