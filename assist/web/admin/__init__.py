"""The admin area (``/admin``): the dashboard and its exports, submissions and their deliveries,
forms in use, the audit trail, and retention. Venues and helpers are in :mod:`.people`, the deliveries
queue in :mod:`.deliveries`, who may see which venue in :mod:`.roles`.

Council admins see everything. Venue leads see the dashboard, submissions and helpers of their
own venues only. Helpers get 403; nobody signed in goes to the sign-in page. Figures come from
aggregate counts only; no page here shows answer values, except to council admins the council
copy PDF and the evidence files (:mod:`.evidence`), whose viewing is audited ("who viewed this
record").
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")
people_bp = Blueprint("admin_people", __name__, url_prefix="/admin")
deliveries_bp = Blueprint("deliveries", __name__, url_prefix="/helpers/deliveries")

from . import deliveries, evidence, people, submissions, views  # noqa: E402,F401 - they add the routes
from .display import template_helpers  # noqa: E402

for _blueprint in (bp, people_bp, deliveries_bp):
    _blueprint.context_processor(template_helpers)


def init_app(app: Flask) -> None:
    """Register the admin area's pages."""
    app.register_blueprint(bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(deliveries_bp)
