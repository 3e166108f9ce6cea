"""The council dashboard with 10,000 to 100,000 submissions (and three times as many sessions).

Sessions are generated straight into a temporary database with ``executemany`` (through the
``journeys`` triggers that keep the summary tables, as the live app does), then the dashboard
page is rendered through the Flask test client, signed in as a council admin, for the default
period (the last 12 weeks) and for the whole year. Nothing is sampled: every figure is computed
from every session, via the summary tables.

``python -m bench.dashboard`` runs just this; ``bench/__main__.py`` calls :func:`main`.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

#: Target from the reporting issue: the dashboard page with 100,000 submissions.
TARGET_SECONDS = 0.5
SIZES = (10_000, 30_000, 100_000)
SESSIONS_PER_SUBMISSION = 3
ROUNDS = 5
VENUES = [f"venue-{n:02d}" for n in range(20)]
LANGUAGES = ["en"] * 14 + ["cy", "cy", "pl", "pl", "ar", "ur", "bn", "pa"]
MODES = ["assisted"] * 5 + ["kiosk"] * 2 + ["paper", "online", "online"]


def _generate(store, forms: dict, sessions: int, submissions: int, now: datetime, seed: int = 8) -> None:
    """``sessions`` journeys over the last year, ``submissions`` of them sent (with their submission rows)."""
    rng = random.Random(seed)
    form_pages = {f.id: ([p.id for p in f.pages] or ["start"], list(f.exits) or ["none"], f.version)
                  for f in forms.values()}
    form_ids = list(form_pages)
    sent = set(rng.sample(range(sessions), submissions))
    journeys, rows = [], []
    for n in range(sessions):
        started = now - timedelta(seconds=rng.randint(0, 365 * 86400))
        form_id = rng.choice(form_ids)
        pages, exits, version = form_pages[form_id]
        mode = rng.choice(MODES)
        venue = None if mode == "online" else rng.choice(VENUES)
        journey_id = f"bench-{n:07d}"
        if n in sent:
            completed = started + timedelta(seconds=rng.randint(120, 3600))
            stamp = completed.strftime("%Y-%m-%dT%H:%M:%SZ")
            journeys.append((journey_id, form_id, version, rng.choice(LANGUAGES), mode, venue, None, "submitted",
                             started.strftime("%Y-%m-%dT%H:%M:%SZ"), stamp, stamp, pages[-1], None, f"BN-{n:07d}"))
            rows.append((f"BN-{n:07d}", journey_id, form_id, version, journeys[-1][3], mode, venue, None, stamp,
                         '{"q":"bench"}'))
        else:
            status = rng.choice(["abandoned", "abandoned", "cleared", "in_progress"])
            exit_id = rng.choice(exits) if status != "in_progress" and rng.random() < 0.1 else None
            stamp = started.strftime("%Y-%m-%dT%H:%M:%SZ")
            journeys.append((journey_id, form_id, version, rng.choice(LANGUAGES), mode, venue, None, status, stamp,
                             stamp, None, rng.choice(pages[: max(1, len(pages) // 2)]), exit_id, None))
    with store.transaction() as db:
        db.conn.executemany(
            "insert into journeys (id, form_id, form_version, language, mode, venue_id, helper_id, status, "
            "started_at, last_activity_at, completed_at, last_page, exit_id, submission_reference) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", journeys)
        db.conn.executemany(
            "insert into submissions (reference, journey_id, form_id, form_version, language, mode, venue_id, "
            "helper_id, submitted_at, answers) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _timed(client, url: str) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return statistics.median(times), size


def run_size(submissions: int) -> dict:
    from assist import create_app
    from assist.config import load_config
    from assist.storage import Store

    with tempfile.TemporaryDirectory(prefix="assist-bench-dashboard-") as directory:
        os.environ["ASSIST_DATA_DIR"] = directory
        root = Path(__file__).resolve().parents[1]
        config = load_config(root / "config.toml")
        store = Store(Path(directory) / "assist.sqlite3")
        store.migrate()
        app = create_app(config, store=store, testing=True)
        for venue in VENUES:
            store.add_venue(venue, f"Venue {venue[-2:]}")
        store.add_helper("Bench Admin", "1234", [VENUES[0]], role="council_admin", helper_id="bench-admin")
        now = datetime.now(timezone.utc)
        sessions = submissions * SESSIONS_PER_SUBMISSION
        start = time.perf_counter()
        _generate(store, app.extensions["assist.forms"], sessions, submissions, now)
        generate_seconds = time.perf_counter() - start
        client = app.test_client()
        client.set_cookie("assist_venue", VENUES[0])
        page = client.get("/helpers/sign-in").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        signed_in = client.post("/helpers/sign-in", data={"csrf_token": token, "name": "Bench Admin", "pin": "1234"})
        assert signed_in.status_code == 302, ("sign-in", signed_in.status_code)
        default_seconds, size = _timed(client, "/admin/")
        year = f"/admin/?from={(now - timedelta(days=365)).date()}&to={now.date()}"
        year_seconds, _ = _timed(client, year)
        venue_seconds, _ = _timed(client, year + f"&venue={VENUES[3]}")
        csv_seconds, _ = _timed(client, year.replace("/admin/", "/admin/dashboard.csv"))
        figures = {
            "submissions": submissions, "sessions": sessions, "generate": generate_seconds,
            "default": default_seconds, "year": year_seconds, "venue": venue_seconds, "csv": csv_seconds,
            "page_kb": size / 1024, "summaries": store.summary_sizes(),
            "check": store.db.execute("select sum(started), sum(submitted) from stats_forms").fetchone(),
        }
        store.close()
        os.environ.pop("ASSIST_DATA_DIR", None)
        return figures


def main() -> list[str]:
    lines = ["Council dashboard (GET /admin/, signed in as a council admin; median of "
             f"{ROUNDS}; target < {TARGET_SECONDS} s at 100,000 submissions)"]
    results = []
    for size in SIZES:
        r = run_size(size)
        results.append(r)
        assert tuple(r["check"]) == (r["sessions"], r["submissions"]), r["check"]
        lines.append(
            f"  {r['submissions']:>7,} submissions / {r['sessions']:>7,} sessions: generated in {r['generate']:.1f} s; "
            f"last 12 weeks {r['default'] * 1000:.0f} ms, whole year {r['year'] * 1000:.0f} ms, "
            f"one venue {r['venue'] * 1000:.0f} ms, CSV {r['csv'] * 1000:.0f} ms; page {r['page_kb']:.0f} KB; "
            f"summary rows {sum(r['summaries'].values()):,} ({', '.join(f'{k[6:]} {v:,}' for k, v in r['summaries'].items())})")
    first, last = results[0], results[-1]
    lines.append(f"  growth 10,000 -> 100,000 submissions (x10 data): whole-year page x{last['year'] / first['year']:.2f}, "
                 f"last-12-weeks page x{last['default'] / first['default']:.2f}")
    verdict = "meets" if last["year"] < TARGET_SECONDS else "MISSES"
    lines.append(f"  whole year at 100,000 submissions: {last['year']:.3f} s, {verdict} the {TARGET_SECONDS} s target")
    return lines


if __name__ == "__main__":
    for line in main():
        print(line, flush=True)
