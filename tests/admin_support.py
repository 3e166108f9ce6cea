"""Fixtures for the admin, reporting and retention tests: a council admin, a venue lead at a
second venue, and sessions with known outcomes made through the store, as the web makes them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from assist.engine import make_reference

from assisted_support import HELPER, PIN, VENUE, Clock, sign_in  # noqa: F401 - re-exported

ADMIN_ID = "ada-admin"
LEAD_ID = "lee-lead"
OTHER_VENUE = "north-library"
#: A distinctive answer that must never reach a dashboard, CSV or PDF.
SECRET = "Zebedee Quillfeather"


@pytest.fixture
def people(app, store):
    """An admin (all venues), and a venue lead and a helper at the second venue."""
    store.add_venue(OTHER_VENUE, "North Library")
    store.add_helper("Ada Admin", PIN, [VENUE], role="council_admin", helper_id=ADMIN_ID)
    store.add_helper("Lee Lead", PIN, [OTHER_VENUE], role="venue_lead", helper_id=LEAD_ID)
    store.add_helper("Nia North", PIN, [OTHER_VENUE], helper_id="nia-north")
    return store


def sign_in_at(client, helper_id: str, venue_id: str = VENUE):
    """Sign in as ``helper_id`` on a tablet at ``venue_id``."""
    client.set_cookie("assist_venue", venue_id)
    return sign_in(client, helper=helper_id)


def session(store, clock: Clock, form_id: str, *, outcome: str, language: str = "en", mode: str = "assisted",
            venue_id: str | None = VENUE, helper_id: str | None = HELPER, pages=(), minutes: int = 10,
            exit_id: str | None = None, at: datetime | None = None, version: str = "2026.1") -> str:
    """One session started at ``at`` (default: now) that ends with ``outcome``:
    "submitted" (after ``minutes``), "cleared", "abandoned" or "in_progress"; it viewed ``pages``."""
    saved = clock.now
    if at is not None:
        clock.now = at
    journey_id = store.start_journey(form_id, version, language, mode, venue_id=venue_id, helper_id=helper_id)
    step = timedelta(minutes=minutes) / (len(pages) + 1)
    answers = {}
    for page in pages:
        clock.now += step
        store.view_page(journey_id, page)
        answers[page] = SECRET
        store.save_answers(journey_id, answers, page)
    if exit_id:
        store.mark_exited(journey_id, exit_id)
    clock.now += step
    if outcome == "submitted":
        store.submit(journey_id, lambda: make_reference("TS"), answers)
    elif outcome == "cleared":
        store.discard_journey(journey_id)
    elif outcome == "abandoned":
        store.db.execute("update journeys set status = 'abandoned' where id = ?", [journey_id])
        store.db.execute("delete from drafts where journey_id = ?", [journey_id])
    clock.now = saved
    return journey_id


def monday(weeks_ago: int, clock: Clock) -> datetime:
    today = clock.now.astimezone(timezone.utc)
    start = today - timedelta(days=today.weekday(), weeks=weeks_ago)
    return start.replace(hour=10, minute=0, second=0, microsecond=0)
