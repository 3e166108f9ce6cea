"""The servers under test, each run in its own process under waitress.

``python -m bench.servers assist PORT`` serves the real app on a fresh data directory;
``python -m bench.servers baseline PORT`` serves a bare Flask + Jinja app that renders
the same fields as plain HTML, with no GOV.UK macros, sessions or database.
"""

from __future__ import annotations

import os
import sys
import tempfile
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
    """The bare Flask + Jinja baseline: one date-of-birth page, GET renders, POST redirects."""
    app = Flask(__name__)

    @app.route("/forms/demo/date-of-birth", methods=["GET", "POST"])
    def page():
        if request.method == "POST":
            return "", 302, {"Location": "/forms/demo/next"}
        return render_template_string(
            BASELINE_PAGE, label="What is your date of birth?", hint="For example, 27 3 1950", token="x" * 40, values={}
        )

    return app


def assist_app():
    """The real app on a fresh data directory, with a resident already on a date-of-birth page.

    Prints ``READY <path> <cookie>`` so the load generator can act as that resident.
    """
    os.environ["ASSIST_DATA_DIR"] = tempfile.mkdtemp(prefix="assist-bench-")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from assist import create_app
    from support import walk_to

    app = create_app()
    client = app.test_client()
    form = next(f for f in app.extensions["assist.forms"].values() if _date_of_birth_page(f))
    path = walk_to(client, form, _date_of_birth_page(form))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    print(f"READY {path} {app.config['SESSION_COOKIE_NAME']}={cookie}", flush=True)
    return app


def _date_of_birth_page(form):
    for page in form.pages:
        if page.kind != "repeat" and any(q.options.get("date_of_birth") for q in page.questions):
            return page
    return None


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    from waitress import serve

    if kind == "baseline":
        app = baseline_app()
        print(f"READY /forms/demo/date-of-birth -", flush=True)
    else:
        app = assist_app()
    serve(app, host="127.0.0.1", port=port, threads=4, ident=kind, _quiet=True)


if __name__ == "__main__":
    main()
