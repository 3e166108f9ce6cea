"""Keying in paper forms: a helper types (or scans) the paper reference and the copy's paper number,
then types the answers in a data-entry layout: one section per page of the paper form.

The answers are checked by the engine (``parse_answer``) exactly as on screen, follow the same
routing (answers to questions the paper told the resident to skip are dropped), and become a
submission marked ``mode = "paper"`` that keeps the paper reference and number and goes through
the same outbox. Nothing typed is stored before "Send": a page with errors simply shows again.

Why a paper number: the paper reference names the form, version and language, so every copy
of a blank form carries the same one. The helper writes a number in the "Office use: paper
number" box when a copy comes back, and types it with the reference; the same reference and
number cannot be keyed twice (nor the same answers from a copy whose box was left empty).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("paper", __name__, url_prefix="/helpers/paper")

from . import views  # noqa: E402,F401 - it adds the routes


def init_app(app: Flask) -> None:
    """Register the paper-keying pages."""
    app.register_blueprint(bp)
