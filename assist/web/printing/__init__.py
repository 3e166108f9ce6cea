"""Printing: the resident's copy, blank paper forms, what-to-bring checklists, carry-on slips, print lists.

PDFs are made in-process by :mod:`assist.printouts` with one renderer per app, and shown in the
browser's own PDF viewer (``Content-Disposition: inline``) so the helper can print them.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("printing", __name__, url_prefix="/print")

from . import views  # noqa: E402,F401 - it adds the routes


def init_app(app: Flask) -> None:
    """Register the printing pages."""
    app.register_blueprint(bp)
