"""The start page listing the council's forms, and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Every form the council offers, each linked to its start page."""
    from . import forms

    return render_template("home.html", forms=list(forms().values()))


@bp.get("/healthz")
def healthz():
    """200 with ``{"status": "ok", "database": "ok"}`` when the database answers; 503 otherwise."""
    from . import store

    try:
        reachable = store().ping()
    except Exception:  # noqa: BLE001 - any database failure means "not reachable"
        reachable = False
    body = {"status": "ok" if reachable else "error", "database": "ok" if reachable else "unreachable"}
    return jsonify(body), 200 if reachable else 503
