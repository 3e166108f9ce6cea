"""Dashboard figures checked against sessions with known outcomes, made through the store as the web makes them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from admin_support import ADMIN_ID, LEAD_ID, OTHER_VENUE, VENUE, monday, people, session, sign_in_at  # noqa: F401
from assisted_support import app, client, clock, store  # noqa: F401
from assist.reporting import Filters, build
from assist.reporting.dashboard import median_of_histogram


@pytest.fixture
def known(people, clock):
    """Blue Badge this week at the Central Library (helper), plus other forms, weeks, venues, languages, modes.

    Blue Badge, this week: 6 sent after 5, 7, 9, 11, 30 and 40 minutes (median 10); 3 cleared on
    ``lives-in-area``, 1 abandoned on ``mobility-benefit``, 1 abandoned on the ``not-eligible``
    exit, 1 abandoned before the first question, 1 still in progress. 2 of the sent in Welsh.
    """
    store = people
    this_week = monday(0, clock)
    at = this_week
    for n, minutes in enumerate((5, 7, 9, 11, 30, 40)):
        session(store, clock, "blue-badge", outcome="submitted", minutes=minutes, at=at + timedelta(minutes=n),
                language="cy" if n < 2 else "en", pages=["who-for", "lives-in-area"])
    for n in range(3):
        session(store, clock, "blue-badge", outcome="cleared", at=at, pages=["who-for", "lives-in-area"])
    session(store, clock, "blue-badge", outcome="abandoned", at=at, pages=["who-for", "lives-in-area",
                                                                          "mobility-benefit"])
    session(store, clock, "blue-badge", outcome="abandoned", at=at, pages=["who-for"], exit_id="not-eligible")
    session(store, clock, "blue-badge", outcome="abandoned", at=at)
    session(store, clock, "blue-badge", outcome="in_progress", at=at, pages=["who-for"])
    # Missed bin: a kiosk at the North Library two weeks ago (2 sent, 1 cleared), own devices 3 weeks ago.
    two_weeks = monday(2, clock)
    for _ in range(2):
        session(store, clock, "missed-bin", outcome="submitted", mode="kiosk", venue_id=OTHER_VENUE, helper_id=None,
                language="pl", at=two_weeks, minutes=3)
    session(store, clock, "missed-bin", outcome="cleared", mode="kiosk", venue_id=OTHER_VENUE, helper_id=None,
            language="pl", at=two_weeks)
    for _ in range(4):
        session(store, clock, "missed-bin", outcome="submitted", mode="online", venue_id=None, helper_id=None,
                at=monday(3, clock), minutes=4)
    # Long ago: outside the default 12 weeks.
    session(store, clock, "school-meals", outcome="submitted", at=monday(30, clock))
    return store


def figures(store, forms, since_weeks=11, venue_id=None, allowed=None, clock=None):
    today = clock.now.date()
    filters = Filters(today - timedelta(days=today.weekday(), weeks=since_weeks), today, venue_id)
    return build(store, forms, filters, allowed_venues=allowed)


def test_totals_completion_and_median(app, known, clock):
    d = figures(known, app.extensions["assist.forms"], clock=clock)
    assert d.totals == {"started": 20, "submitted": 12, "unfinished": 7, "in_progress": 1, "exited": 1}
    badge = next(f for f in d.forms if f.form_id == "blue-badge")
    assert (badge.started, badge.submitted, badge.unfinished, badge.in_progress) == (13, 6, 6, 1)
    assert badge.completion_rate == pytest.approx(6 / 12)
    assert badge.median_minutes == 10  # (9 + 11) / 2
    bins = next(f for f in d.forms if f.form_id == "missed-bin")
    assert bins.completion_rate == pytest.approx(6 / 7)
    assert bins.median_minutes == 4
    assert d.completion_rate == pytest.approx(12 / 19)


def test_funnel_counts_per_page_in_form_order(app, known, clock):
    d = figures(known, app.extensions["assist.forms"], clock=clock)
    stops = [(key, count) for key, _label, count in d.stops["blue-badge"]]
    assert stops == [("", 1), ("lives-in-area", 3), ("mobility-benefit", 1), ("exit:not-eligible", 1)]
    labels = [label for _key, label, _count in d.stops["blue-badge"]]
    assert labels[0] == "Before the first question"
    assert labels[-1].startswith("Told they cannot continue: ")
    assert d.stops["missed-bin"][0][2] == 1


def test_language_mode_venue_and_week_counts(app, known, clock):
    d = figures(known, app.extensions["assist.forms"], clock=clock)
    languages = {key: (started, sent) for key, _label, started, sent in d.breakdowns["language"]}
    assert languages == {"en": (15, 8), "cy": (2, 2), "pl": (3, 2)}
    modes = {key: started for key, _label, started, _sent in d.breakdowns["mode"]}
    assert modes == {"assisted": 13, "kiosk": 3, "online": 4}
    venues = {key: started for key, _label, started, _sent in d.breakdowns["venue"]}
    assert venues == {VENUE: 13, OTHER_VENUE: 3, "": 4}
    weeks = {w.isoformat(): n for w, n in zip(d.weeks, d.charts["weekly-mode"].totals)}
    assert weeks[monday(0, clock).date().isoformat()] == 13
    assert weeks[monday(2, clock).date().isoformat()] == 3
    assert weeks[monday(3, clock).date().isoformat()] == 4
    assert sum(weeks.values()) == 20 and len(d.weeks) == 12


def test_filters_by_venue_and_dates(app, known, clock):
    forms = app.extensions["assist.forms"]
    north = figures(known, forms, venue_id=OTHER_VENUE, clock=clock)
    assert north.totals["started"] == 3 and north.totals["submitted"] == 2
    recent = figures(known, forms, since_weeks=1, clock=clock)
    assert recent.totals["started"] == 13
    everything = figures(known, forms, since_weeks=40, clock=clock)
    assert everything.totals["started"] == 21
    # A venue lead's own venues only, even when asking for all.
    lead = figures(known, forms, allowed=[OTHER_VENUE], clock=clock)
    assert lead.totals["started"] == 3
    assert figures(known, forms, venue_id=VENUE, allowed=[OTHER_VENUE], clock=clock).totals["started"] == 0


def test_summaries_follow_changes_and_match_a_rebuild(app, known, clock):
    store = known
    journey = session(store, clock, "blue-badge", outcome="in_progress", pages=["who-for"])
    store.set_language(journey, "ar")
    store.assign_journey(journey, "kiosk", OTHER_VENUE, None)
    everything = ("form_counts", "language_counts", "mode_counts", "stop_counts", "duration_counts")
    before = [getattr(store, name)() for name in everything]
    store.rebuild_summaries()
    assert [getattr(store, name)() for name in everything] == before
    assert [r["started"] for r in store.language_counts(venues=[OTHER_VENUE]) if r["language"] == "ar"] == [1]
    assert sum(r["started"] for r in store.mode_counts(venues=[OTHER_VENUE]) if r["mode"] == "kiosk") == 4


@pytest.mark.parametrize("since_days, until_days", [(0, 0), (3, 0), (9, 2), (20, 6), (40, 13), (400, 0)])
def test_whole_weeks_and_edge_days_add_up_to_the_sessions_in_the_period(known, clock, since_days, until_days):
    """Any period, whole weeks or not: the same counts as counting the journeys one by one."""
    import random

    rng = random.Random(since_days)
    for _ in range(60):
        session(known, clock, rng.choice(["missed-bin", "blue-badge"]), outcome=rng.choice(["submitted", "cleared"]),
                at=clock.now - timedelta(days=rng.randint(0, 45), hours=rng.randint(0, 23)), pages=["p1"])
    today = clock.now.date()
    since, until = str(today - timedelta(days=since_days)), str(today - timedelta(days=until_days))
    expected = known.db.execute(
        "select count(*), sum(status = 'submitted') from journeys where substr(started_at, 1, 10) between ? and ?",
        [since, until]).fetchone()
    rows = known.form_counts(since, until)
    assert (sum(r["started"] for r in rows), sum(r["submitted"] for r in rows)) == (expected[0], expected[1] or 0)
    assert sum(r["started"] for r in known.language_counts(since, until)) == expected[0]
    assert sum(r["sessions"] for r in known.duration_counts(since, until)) == (expected[1] or 0)


def test_median_of_histogram():
    assert median_of_histogram({}) is None
    assert median_of_histogram({3: 1}) == 3
    assert median_of_histogram({1: 1, 5: 1}) == 3
    assert median_of_histogram({1: 2, 9: 1}) == 1


def test_dashboard_page_shows_the_figures_with_accessible_charts(client, known, clock):
    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/").get_data(as_text=True)
    assert re.search(r'data-figure="started">20<', page)
    assert re.search(r'data-figure="submitted">12<', page)
    assert 'data-figure="median">4.5 mins<' in page  # 3, 3, 4, 4, 4, 4 | 5, 7, 9, 11, 30, 40
    badge_row = page.split('data-form="blue-badge"')[1].split("</tr>")[0]
    assert ">13<" in badge_row and ">50%<" in badge_row and ">10 mins<" in badge_row
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') >= 6
    for chart_id in ("chart-weekly-mode", "chart-completion", "chart-stops-blue-badge"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in page
        assert f'id="{chart_id}-table"' in page
    assert "Zebedee" not in page
    venue_page = client.get(f"/admin/?venue={OTHER_VENUE}").get_data(as_text=True)
    assert re.search(r'data-figure="started">3<', venue_page)


def test_bad_filters_are_explained(client, known):
    sign_in_at(client, ADMIN_ID)
    response = client.get("/admin/?from=2026-13-40&to=2020-01-01")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "There is a problem" in text and "<title>Error:" in text


@pytest.fixture
def own_device_ahead(people, clock):
    """This month: 3 sessions with a helper, then 6 on residents' own devices (the largest, listed
    second because ways of taking part keep a fixed order), 1 at a kiosk. One of each sent."""
    at = clock.now.replace(day=1, hour=9, minute=0, second=0)
    for n in range(3):
        session(people, clock, "missed-bin", outcome="submitted" if n == 0 else "cleared", at=at, pages=["p1"])
    for n in range(6):
        session(people, clock, "missed-bin", outcome="submitted" if n == 0 else "abandoned", mode="online",
                venue_id=None, helper_id=None, at=at, pages=["p1"])
    session(people, clock, "missed-bin", outcome="submitted", mode="kiosk", helper_id=None, at=at)
    return people


def test_the_chart_text_names_the_largest_way_of_taking_part_not_the_first(app, own_device_ahead, clock):
    today = clock.now.date()
    d = build(own_device_ahead, app.extensions["assist.forms"], Filters(today.replace(day=1), today))
    assert [row[0] for row in d.breakdowns["mode"]] == ["assisted", "kiosk", "online"]
    description = d.charts["weekly-mode"].description
    assert "Most sessions: Own device, with 6 sessions." in description
    assert "With a helper" not in description


def test_chart_texts_use_the_plural_only_for_more_than_one(app, own_device_ahead, clock):
    today = clock.now.date()
    first = today.replace(day=1)
    d = build(own_device_ahead, app.extensions["assist.forms"], Filters(first, first))
    texts = " ".join(c.description for c in d.charts.values())
    assert "The chart shows 1 week." in d.charts["weekly-mode"].description
    assert "1 weeks" not in texts and "1 sessions" not in texts
    assert "3 sent, 7 unfinished" in d.charts["completion"].description


def test_the_dashboard_and_the_monthly_report_name_the_largest(client, own_device_ahead, clock):
    import io

    from pypdf import PdfReader

    sign_in_at(client, ADMIN_ID)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Most sessions: Own device, with 6 sessions." in page
    response = client.get(f"/admin/report.pdf?month={clock.now.strftime('%Y-%m')}")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Most sessions: Own device, with 6 sessions." in text
    assert "Most sessions: With a helper" not in text
