"""What the running app holds: its settings, its store and its forms."""

from __future__ import annotations

from flask import abort, current_app


def config():
    """The loaded :class:`assist.config.Config` of the running app."""
    return current_app.extensions["assist.config"]


def store():
    """The :class:`assist.storage.Store` of the running app."""
    return current_app.extensions["assist.store"]


def forms() -> dict:
    """Loaded form definitions by id."""
    return current_app.extensions["assist.forms"]


def get_form(form_id: str):
    """The form ``form_id``, or 404."""
    form = forms().get(form_id)
    if form is None:
        abort(404)
    return form
