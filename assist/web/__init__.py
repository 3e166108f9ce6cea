"""The web layer: Flask blueprints that put the form engine on screen, one package per area over
:mod:`.core`, which every area uses.

=============  ==================================================================================
``site``       the home page, the health check, the accessibility statement, the offline tablet
``journey``    a resident's journey: start, question pages, repeating groups, check answers, submit
``printing``   the resident's copy, blank paper forms, checklists, carry-on slips, print lists
``assisted``   helpers on shared tablets: sign-in, consent, hand-over; save and carry on later
``kiosk``      kiosks at venues, and the end of a visit on any device (timeout, finish and clear)
``paper``      paper forms keyed back in
``admin``      the council's admin area: dashboard, exports, submissions, people, deliveries, audit
=============  ==================================================================================
"""

from __future__ import annotations

from flask import Flask

from . import admin, assisted, core, journey, kiosk, paper, printing, site


def register(app: Flask) -> None:
    """Bind extensions, hooks, template helpers and blueprints to ``app``."""
    core.init_app(app)
    site.init_app(app)
    journey.init_app(app)
    printing.init_app(app)
    assisted.init_app(app)  # its hooks run before the kiosk's
    kiosk.init_app(app)
    paper.init_app(app)
    admin.init_app(app)
