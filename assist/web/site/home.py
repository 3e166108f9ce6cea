"""The start page listing the council's forms, and the health check."""

from __future__ import annotations

from flask import jsonify, render_template

from ..core.app import forms, store
from . import home_bp as bp


@bp.get("/")
def index():
    """Every form the council offers, each linked to its start page."""
    return render_template("site/home.html", forms=list(forms().values()))


@bp.get("/healthz")
def healthz():
    """200 with ``{"status": "ok", "database": "ok"}`` when the database answers; 503 otherwise."""
    try:
        reachable = store().ping()
    except Exception:  # noqa: BLE001 - any database failure means "not reachable"
        reachable = False
    body = {"status": "ok" if reachable else "error", "database": "ok" if reachable else "unreachable"}
    return jsonify(body), 200 if reachable else 503
