"""The servers under test, each run in its own process under waitress.

``python -m bench.servers assist PORT`` serves the real app on a fresh data directory;
``python -m bench.servers baseline PORT`` serves a bare Flask + Jinja app that renders
the same fields as plain HTML, with no GOV.UK macros, sessions or CSRF check;
``python -m bench.servers same-job PORT`` serves a bare Flask + Jinja app that also keeps
each resident's own draft through Flask's session and checks Flask-WTF's CSRF token.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path

from flask import Flask, render_template_string, request

BASELINE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ label }} – Baseline</title>
<link rel="stylesheet" href="/assets/assist.css"></head>
<body><header><a href="/">Council</a></header><main id="main-content">
<form method="post" novalidate>
<input type="hidden" name="csrf_token" value="{{ token }}">
<fieldset><legend><h1>{{ label }}</h1></legend>
<div class="hint">{{ hint }}</div>
{% for part in ["day", "month", "year"] %}
<label for="dob-{{ part }}">{{ part|capitalize }}</label>
<input id="dob-{{ part }}" name="dob-{{ part }}" type="text" inputmode="numeric" value="{{ values.get(part, '') }}">
{% endfor %}
</fieldset>
<button type="submit">Continue</button>
</form></main><footer>Council</footer></body></html>"""


def baseline_app() -> Flask:
    """The bare Flask + Jinja baseline for one date-of-birth page.

    The floor, with nothing of assist's: GET reads the draft from SQLite and renders the fields
    with a plain template; POST checks the date and writes the draft durably (WAL,
    synchronous=FULL, as assist does), then redirects. Every request shares one draft, the POST's
    answer replaces the draft's answers, and the form's token is never checked: see
    :func:`same_job_app` for the same page doing all of that.
    """
    app = Flask(__name__)
    template = app.jinja_env.from_string(BASELINE_PAGE)
    db = _drafts_database()

    @app.route("/forms/demo/date-of-birth", methods=["GET", "POST"])
    def page():
        if request.method == "POST":
            born = _posted_date()
            if born is None:
                return "Enter a real date", 400
            db().execute(
                "insert into drafts values ('resident', ?) on conflict (id) do update set answers = excluded.answers",
                [json.dumps({"dob": born.isoformat()})],
            )
            return "", 302, {"Location": "/forms/demo/next"}
        row = db().execute("select answers from drafts where id = 'resident'").fetchone()
        values = _date_values(json.loads(row[0])) if row is not None else {}
        return template.render(label="What is your date of birth?", hint="For example, 27 3 1950", token="x" * 40, values=values)

    return app


def _drafts_database():
    """A function giving each thread its own connection to a fresh drafts database, set up as
    assist's is for durability (WAL, synchronous=FULL)."""
    path = Path(tempfile.mkdtemp(prefix="assist-baseline-")) / "baseline.sqlite3"
    local = threading.local()

    def db() -> sqlite3.Connection:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, isolation_level=None)
            local.db.execute("pragma journal_mode=wal")
            local.db.execute("pragma synchronous=full")
            local.db.execute("create table if not exists drafts (id text primary key, answers text)")
        return local.db

    return db


def _posted_date() -> date | None:
    """The date of birth posted, or ``None`` when it is missing or not a real date."""
    try:
        return date(int(request.form["dob-year"]), int(request.form["dob-month"]), int(request.form["dob-day"]))
    except (KeyError, ValueError):
        return None


def _session_cookie(app: Flask, client) -> str:
    """The ``Cookie`` header value carrying the session a test client holds."""
    name = app.config["SESSION_COOKIE_NAME"]
    return f"{name}={client.get_cookie(name).value}"


def _date_values(answers: dict) -> dict:
    if "dob" not in answers:
        return {}
    year, month, day = answers["dob"].split("-")
    return {"day": day, "month": month, "year": year}


def same_job_app() -> Flask:
    """A bare Flask + Jinja app doing the whole of the page's job, still with nothing of assist's.

    Flask's signed cookie session says which draft is the resident's (each resident has their
    own), the form carries Flask-WTF's CSRF token and POST checks it, and an answer is merged into
    the draft's other answers (read, then written durably) instead of replacing them. No GOV.UK
    macros, encryption, route through the form or record of activity.
    """
    from flask import redirect, session
    from flask_wtf.csrf import CSRFProtect, generate_csrf

    app = Flask(__name__)
    app.secret_key = os.urandom(32)
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # as assist: a token lives as long as its session
    CSRFProtect(app)
    template = app.jinja_env.from_string(BASELINE_PAGE)
    db = _drafts_database()

    @app.route("/forms/demo/date-of-birth", methods=["GET", "POST"])
    def page():
        draft = session.get("draft")
        if draft is None:
            draft = session["draft"] = os.urandom(16).hex()
            db().execute("insert into drafts values (?, '{}')", [draft])
        answers = json.loads(db().execute("select answers from drafts where id = ?", [draft]).fetchone()[0])
        if request.method == "POST":
            born = _posted_date()
            if born is None:
                return "Enter a real date", 400
            answers["dob"] = born.isoformat()
            db().execute("update drafts set answers = ? where id = ?", [json.dumps(answers), draft])
            return redirect("/forms/demo/next")
        return template.render(label="What is your date of birth?", hint="For example, 27 3 1950",
                               token=generate_csrf(), values=_date_values(answers))

    return app


def _same_job_residents(app: Flask) -> list[str]:
    """Session cookies of two residents who have each opened the page (so each has a draft)."""
    cookies = []
    for _ in range(2):
        client = app.test_client()
        client.get("/forms/demo/date-of-birth")
        cookies.append(_session_cookie(app, client))
    return cookies


#: The condition-heavy form measured by ``assist-conditions``.
CONDITIONS_FORMS = Path(__file__).resolve().parent / "forms"


def assist_app(forms: Path | None = None):
    """The real app on a fresh data directory, with two residents already on a date-of-birth page:
    the first only looks at it (an untouched page), the second answers it over and over. With
    ``forms``, the app serves that folder of forms (the condition-heavy one) instead of the demo forms.

    Prints ``READY <path> <cookie> <cookie>`` so the load generator can act as those residents.
    """
    os.environ["ASSIST_DATA_DIR"] = tempfile.mkdtemp(prefix="assist-bench-")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from assist import create_app
    from support import walk_to

    if forms is None:
        app = create_app()
    else:
        import dataclasses

        from assist.config import load_config

        config = load_config()
        app = create_app(dataclasses.replace(config, forms=dataclasses.replace(config.forms, directory=forms)))
    form = next(f for f in app.extensions["assist.forms"].values() if _date_of_birth_page(f))
    cookies = []
    for _ in range(2):
        client = app.test_client()
        path = walk_to(client, form, _date_of_birth_page(form))
        cookies.append(_session_cookie(app, client))
    print(f"READY {path} {' '.join(cookies)}", flush=True)
    return app


def _date_of_birth_page(form):
    for page in form.pages:
        if page.kind != "repeat" and any(q.options.get("date_of_birth") for q in page.questions):
            return page
    return None


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queued request is expected under load
    from waitress import serve

    options = {"host": "127.0.0.1", "port": port, "threads": 4, "ident": kind, "_quiet": True}
    if kind == "baseline":
        app = baseline_app()
        print("READY /forms/demo/date-of-birth - -", flush=True)
        serve(app, **options)
    elif kind == "same-job":
        app = same_job_app()
        print(f"READY /forms/demo/date-of-birth {' '.join(_same_job_residents(app))}", flush=True)
        serve(app, **options)
    else:
        from assist.server import serve_app

        forms = CONDITIONS_FORMS if kind == "assist-conditions" else None
        serve_app(assist_app(forms), **options)  # as `assist serve` runs it


if __name__ == "__main__":
    main()
