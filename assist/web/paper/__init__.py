"""Keying in paper forms: a helper types (or scans) the paper reference and the copy's paper number,
then types the answers in a data-entry layout a section of the paper form at a time, checks them
all on one page, and sends.

The answers are checked by the engine (``parse_answer``) exactly as on screen and follow the same
routing. Answers to questions the paper told the resident to skip are listed apart on the check
page: dropped (the default), or kept and sent as separate data (``answers_outside_route``). The
submission is marked ``mode = "paper"``, keeps the paper reference and number, and goes through
the same outbox. Until Send, what was typed is kept only in the browser session on the server,
encrypted (:mod:`.draft`); nothing is stored with the submissions before then.

Modules: :mod:`.reference` (the paper reference and number, duplicates), :mod:`.steps` (the
sections and the route), :mod:`.keying` (a section at a time), :mod:`.check` (check and send),
:mod:`.submission` (the page after sending).

Why a paper number: the paper reference names the form, version and language, so every copy
of a blank form carries the same one. The helper writes a number in the "Office use: paper
number" box when a copy comes back, and types it with the reference; the same reference and
number cannot be keyed twice (nor the same answers from a copy whose box was left empty).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("paper", __name__, url_prefix="/helpers/paper")

from . import check, evidence, keying, reference, submission  # noqa: E402,F401 - they add the routes


def init_app(app: Flask) -> None:
    """Register the paper-keying pages."""
    app.register_blueprint(bp)
