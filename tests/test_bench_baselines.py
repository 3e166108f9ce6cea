"""The benchmark's same-job baseline does the whole of the page's job, as its figures claim."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.servers import same_job_app  # noqa: E402

PAGE = "/forms/demo/date-of-birth"


def _answer(client, day: str, token: str | None = None):
    if token is None:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(PAGE).get_data(as_text=True)).group(1)
    return client.post(PAGE, data={"csrf_token": token, "dob-day": day, "dob-month": "5", "dob-year": "1950"})


def test_same_job_baseline_keeps_each_residents_own_answer():
    app = same_job_app()
    first, second = app.test_client(), app.test_client()
    assert _answer(first, "12").status_code == 302
    assert 'value="12"' in first.get(PAGE).get_data(as_text=True)
    assert 'value="12"' not in second.get(PAGE).get_data(as_text=True)


def test_same_job_baseline_refuses_a_post_without_its_csrf_token():
    app = same_job_app()
    client = app.test_client()
    client.get(PAGE)
    assert _answer(client, "12", token="forged").status_code == 400
    assert 'value="12"' not in client.get(PAGE).get_data(as_text=True)
