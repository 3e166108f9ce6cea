"""The start page listing the council's forms, and the health check."""

from __future__ import annotations

from flask import jsonify, render_template

from ..core.app import forms, store
from . import home_bp as bp


@bp.get("/")
def index():
    """Every form the council offers, each linked to its start page."""
    return render_template("site/home.html", forms=list(forms().values()))


# Why the database is not healthy, in words safe to show anyone (no paths, nothing personal).
DEGRADED = {
    "full": "database cannot be written: disk full",
    "read-only": "database cannot be written: read-only",
    "failing": "database cannot be written: disk error",
    "unreachable": "database cannot be written",
}


@bp.get("/healthz")
def healthz():
    """200 ``{"status": "ok", "database": "ok"}`` only when a real write to the database was just
    committed; 503 ``{"status": "degraded", "database": <reason>}`` otherwise."""
    problem = store().check_writable()
    if problem is None:
        return jsonify({"status": "ok", "database": "ok"}), 200
    return jsonify({"status": "degraded", "database": DEGRADED.get(problem, DEGRADED["unreachable"])}), 503


@bp.get("/livez")
def livez():
    """200 ``{"status": "ok"}`` while the process answers at all; touches no database."""
    return jsonify({"status": "ok"}), 200
