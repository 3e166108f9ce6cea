"""The authorisation matrix: every route of the app, for every role, gets what its rule says.

Each endpoint has a rule below naming the roles that may use it. Everyone else gets the rule's
refusal: people who are not signed in go to the helpers' sign-in page, signed-in people without the
role get 403, and device-only routes answer 404 off that device. A route added without a rule here
fails ``test_every_route_has_a_rule``: decide who may use it, add the rule, and say why if it is
public. docs/security.md explains the roles.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import url_for

from admin_support import ADMIN_ID, LEAD_ID, OTHER_VENUE, VENUE, people, session, sign_in_at  # noqa: F401
from assisted_support import HELPER, app, clock, post, start_resident, store  # noqa: F401

ANONYMOUS, KIOSK, HELPER_ROLE, LEAD, ADMIN = "anonymous resident", "kiosk", "helper", "venue lead", "council admin"
#: A resident holding a helper's tablet (private mode) on a missed-bin journey.
HANDED_OVER = "handed over"
ROLES = (ANONYMOUS, KIOSK, HELPER_ROLE, LEAD, ADMIN, HANDED_OVER)
SIGNED_IN = {HELPER_ROLE, LEAD, ADMIN}
SIGN_IN = "sign-in"


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint; ``refusal`` for the rest (``None``: sign-in for visitors, 403 for staff)."""

    allowed: frozenset
    refusal: int | None = None

    def expected_refusal(self, role: str):
        if self.refusal is not None:
            return self.refusal
        return 403 if role in SIGNED_IN else SIGN_IN


EVERYONE = Rule(frozenset(ROLES))
#: All a resident holding the tablet can reach: their own journey's pages (the missed-bin form, the
#: SAMPLES' form), giving the tablet back, the PIN page, the idle timer, the copy of what they sent.
#: Everything else, public pages included, asks for the helper's PIN.
HANDED_OVER_ALLOWED = {
    "static", "journey.start", "journey.page", "journey.check_answers", "journey.submit", "journey.confirmation",
    "journey.cannot_continue", "assisted.give_back", "assisted.unlock", "kiosk.keep_alive", "kiosk.time_out",
    "kiosk.leave", "printing.resident_copy", "printing.copy_page", "journey.evidence_image",
}
HELPERS = Rule(frozenset(SIGNED_IN))
STAFF = Rule(frozenset({LEAD, ADMIN}))
ADMINS = Rule(frozenset({ADMIN}))
KIOSK_DEVICE = Rule(frozenset({KIOSK}), refusal=404)

RULES: dict[str, Rule] = {
    # Public pages: residents online, at a kiosk, or with a helper. Answers in them belong to the
    # browser's own session (journey ids in the server-side session), so no role is needed.
    "home.index": EVERYONE,
    "home.healthz": EVERYONE,
    "home.livez": EVERYONE,
    "static": EVERYONE,
    "accessibility.statement": EVERYONE,
    "journey.start": EVERYONE,
    "journey.begin": EVERYONE,
    "journey.page": EVERYONE,
    "journey.repeat_item": EVERYONE,
    "journey.repeat_remove": EVERYONE,
    "journey.cannot_continue": EVERYONE,
    "journey.check_answers": EVERYONE,
    "journey.submit": EVERYONE,
    "journey.confirmation": EVERYONE,
    "journey.evidence_image": EVERYONE,  # only a photo of this browser's own journey (404 for any other)
    # Save and carry on later: anyone with a code and its second check (tries counted per code).
    "carry_on.enter_code": EVERYONE,
    "carry_on.check": EVERYONE,
    "carry_on.save": EVERYONE,
    "carry_on.saved": EVERYONE,
    "carry_on.saved_done": EVERYONE,
    # Blank paper forms and checklists; the resident's copy and slip only for the session that made them.
    "printing.print_index": EVERYONE,
    "printing.paper_form": EVERYONE,
    "printing.what_to_bring": EVERYONE,
    "printing.venue_print_list": EVERYONE,
    "printing.resident_copy": EVERYONE,
    "printing.copy_page": EVERYONE,
    "printing.carry_on_slip": EVERYONE,
    "offline.offline_page": EVERYONE,
    "offline.manifest": EVERYONE,
    "offline.service_worker": EVERYONE,
    # Shared devices: ending a visit, the idle clock, the kiosk's own display and help button.
    "kiosk.start": EVERYONE,
    "kiosk.set_display": EVERYONE,
    "kiosk.ask_for_help": KIOSK_DEVICE,
    "kiosk.finish": EVERYONE,
    "kiosk.keep_alive": EVERYONE,
    "kiosk.time_out": EVERYONE,
    "kiosk.cleared": EVERYONE,
    "kiosk.leave": EVERYONE,
    # Signing in is open to all; everything else in /helpers needs a signed-in helper.
    "assisted.choose_venue": EVERYONE,
    "assisted.sign_in": EVERYONE,
    "assisted.sign_out": EVERYONE,
    "assisted.unlock": HELPERS,
    "assisted.index": HELPERS,
    "assisted.today": HELPERS,
    "assisted.help_resident": HELPERS,
    "assisted.who": HELPERS,
    "assisted.who_confirm": HELPERS,
    "assisted.bring": HELPERS,
    "assisted.consent": HELPERS,
    "assisted.not_agreed": HELPERS,
    "assisted.hand_over": HELPERS,
    "assisted.give_back": HELPERS,
    "assisted.finish": HELPERS,
    "kiosk.help_requests": HELPERS,
    "kiosk.help_requests_list": HELPERS,
    "kiosk.acknowledge": HELPERS,
    "paper.enter": HELPERS,
    "paper.keying": HELPERS,
    "paper.section": HELPERS,
    "paper.evidence_image": HELPERS,
    "paper.check": HELPERS,
    "paper.submission": HELPERS,
    # Venue leads (their own venues) and council admins.
    "admin.dashboard": STAFF,
    "admin.dashboard_csv": STAFF,
    "admin.report_form": STAFF,
    "admin.report_pdf": STAFF,
    "admin.submissions": STAFF,
    "admin.submission": STAFF,
    "admin.send_again": STAFF,
    "admin_people.helpers": STAFF,
    "admin_people.add_helper": STAFF,
    "admin_people.reset_pin": STAFF,
    "admin_people.end_wait": STAFF,
    "admin_people.deactivate": STAFF,
    # Council admins only: council-wide pages, answers (the audited council copy), deliveries.
    "admin.council_copy": ADMINS,
    "admin.evidence_file": ADMINS,
    "admin.forms_in_use": ADMINS,
    "admin.audit": ADMINS,
    "admin.audit_csv": ADMINS,
    "admin.retention": ADMINS,
    "admin_people.venues": ADMINS,
    "admin_people.venue_action": ADMINS,
    "deliveries.index": ADMINS,
    "deliveries.retry": ADMINS,
}

#: Sample values for URL arguments, by argument name (a real form, page, venue, helper...).
SAMPLES = {
    "form_id": "missed-bin", "page_id": "bin-type", "exit_id": "bin-not-out", "number": 1,
    "venue_id": VENUE, "helper_id": "nia-north", "action": "close", "outbox_id": 1, "request_id": 1,
    "paper_ref": "MB-2026.1-EN", "code": "ABCD-2345", "filename": "assist.css", "step": 1,
    "file_id": "no-such-file",
}
#: Per-endpoint samples where the generic ones would test the wrong thing.
OVERRIDES = {
    "journey.repeat_item": {"form_id": "blue-badge", "page_id": "other-people"},
    "journey.repeat_remove": {"form_id": "blue-badge", "page_id": "other-people"},
    "admin_people.venue_action": {"venue_id": OTHER_VENUE},
}


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(RULES))
    assert not missing, f"routes without an authorisation rule in {__name__}: {missing}"


def route_requests(app, reference: str) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route, with sample arguments. (Built before any request:
    requests made inside this context would share its ``g``.)"""
    found = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            values = {name: SAMPLES[name] for name in rule.arguments if name in SAMPLES}
            values.update(OVERRIDES.get(rule.endpoint, {}))
            if "reference" in rule.arguments:
                values["reference"] = reference
            missing = set(rule.arguments) - set(values)
            assert not missing, f"no sample value for {missing} of {rule.endpoint}: add one to SAMPLES"
            url = url_for(rule.endpoint, **values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    return found


COOKIES = ("assist_session", "assist_venue", "assist_kiosk")


class Device:
    """A browser of one role, signed in once; each request goes from a copy of its cookies, so that
    signing out or finishing on one route does not change the next. Signs in again when a route
    ended the helper's session (or handed the tablet over) on the server."""

    def __init__(self, app, store, role: str):
        self.app, self.store, self.role = app, store, role
        self.base = self._set_up()

    def _set_up(self):
        client = self.app.test_client()
        if self.role == KIOSK:
            assert client.get(f"/kiosk/{VENUE}").status_code == 200
        elif self.role == HELPER_ROLE:
            sign_in_at(client, HELPER)
        elif self.role == LEAD:
            sign_in_at(client, LEAD_ID, OTHER_VENUE)
        elif self.role == ADMIN:
            sign_in_at(client, ADMIN_ID)
        elif self.role == HANDED_OVER:
            sign_in_at(client, HELPER)
            first = start_resident(client, "missed-bin")
            assert client.get(first).status_code == 200
            post(client, "/helpers/resident/hand-over", {"next": first}, token_from=first)
        return client

    def _still_signed_in(self) -> bool:
        if self.role not in SIGNED_IN | {HANDED_OVER}:
            return True
        with self.base.session_transaction() as cookie:
            row = self.store.get_helper_session(cookie.get("helper_session", ""))
        return row is not None and row["holder"] == ("resident" if self.role == HANDED_OVER else "helper")

    def open(self, url: str, method: str):
        if not self._still_signed_in():
            self.base = self._set_up()
        client = self.app.test_client()
        for name in COOKIES:
            cookie = self.base.get_cookie(name)
            if cookie is not None:
                client.set_cookie(name, cookie.value)
        return client.open(url, method=method, data={})


def _outcome(response):
    if response.status_code in (301, 302, 303, 307, 308):
        target = response.headers["Location"]
        if "/helpers/sign-in" in target and "signed_out=" not in target:  # (signing out ends there too)
            return SIGN_IN
        if "/helpers/unlock" in target:
            return "unlock"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rules_say_on_every_route(app, people, clock, role):
    app.config["WTF_CSRF_ENABLED"] = False  # authorisation alone here; CSRF has its own tests
    venue = OTHER_VENUE if role == LEAD else VENUE
    journey_id = session(people, clock, "missed-bin", outcome="submitted", venue_id=venue)
    reference = people.get_journey(journey_id)["submission_reference"]
    device = Device(app, people, role)
    wrong = []
    for endpoint, method, url in route_requests(app, reference):
        rule = RULES[endpoint]
        response = device.open(url, method)
        outcome = _outcome(response)
        assert outcome != 500, f"{role}: {method} {url} gave 500"
        if role == HANDED_OVER:
            expected_allowed = endpoint in HANDED_OVER_ALLOWED
            if expected_allowed == (outcome == "unlock"):
                wrong.append(f"{method} {url} ({endpoint}): {'allowed' if expected_allowed else 'PIN'} expected, "
                             f"got {outcome}")
        elif role in rule.allowed:
            if outcome in (SIGN_IN, "unlock", 403):
                wrong.append(f"{method} {url} ({endpoint}): allowed, but got {outcome}")
        elif outcome != rule.expected_refusal(role):
            wrong.append(f"{method} {url} ({endpoint}): expected {rule.expected_refusal(role)}, got {outcome}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
