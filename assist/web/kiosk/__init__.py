"""Kiosk mode and shared-device privacy.

A kiosk is a browser at a venue that was opened once at ``/kiosk/<venue>``: that sets a device
cookie (``assist_kiosk``, the venue id; not personal) so the device stays a kiosk whoever uses
it. Residents then see:

* a start screen with a large button per language (each named in its own script), text size and
  high-contrast options kept in the browser session of that visit only, and the list of forms;
* "Ask for help" and "Finish and clear this device" on every page;
* a timeout warning before the visit is wiped (drafts deleted on the server) and the screen goes
  back to the start. The server enforces the limit on every request, with or without JavaScript.

Helpers signed in at the venue see the open help requests (a list that refreshes) and
acknowledge them. Shared devices (kiosks, and tablets set up for assisted mode) switch browser
autofill off; a resident's own device keeps GOV.UK's ``autocomplete`` tokens.

``views`` has the kiosk's pages, ``visit`` the state of a visit and its idle limit, and
``end_of_visit`` the ``/device/...`` routes every device uses to carry on, time out and clear.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from ..core import page_cache
from ..core.device import shared_device

bp = Blueprint("kiosk", __name__)

from . import end_of_visit, views, visit  # noqa: E402,F401 - they add the routes


def init_app(app: Flask) -> None:
    """Register the blueprint, the kiosk hook, the template globals, and keep shared pages unshared."""
    app.register_blueprint(bp)
    app.before_request(visit.before_request)
    app.context_processor(visit.template_globals)
    # Pages on shared devices differ (autofill off, kiosk bar, text size, contrast, timeout): never shared.
    page_cache.veto_page_cache(app, shared_device)
