"""The site's own pages: the home page listing the council's forms and the health check (``home``),
the accessibility statement and what the browser suite checks (``accessibility``), and the
offline tablet's service worker, manifest and offline page (``offline``)."""

from __future__ import annotations

from flask import Blueprint, Flask

home_bp = Blueprint("home", __name__)
accessibility_bp = Blueprint("accessibility", __name__)
offline_bp = Blueprint("offline", __name__)

from . import accessibility, home, offline  # noqa: E402,F401 - they add the routes


def init_app(app: Flask) -> None:
    """Register the site's pages."""
    app.register_blueprint(home_bp)
    app.register_blueprint(accessibility_bp)
    app.register_blueprint(offline_bp)
