"""Exports: the dashboard CSV, the monthly PDF report and the audit CSV hold no answers, and a CSV
cannot carry a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from admin_support import ADMIN_ID, SECRET, people, session, sign_in_at  # noqa: F401
from assisted_support import HELPER, app, client, clock, store  # noqa: F401
from assist.reporting.exports import safe_cell, write_csv


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_safe_cell_neutralises_formulas():
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text).startswith("'")
    assert safe_cell("Central Library") == "Central Library"
    assert safe_cell(-3) == -3 and safe_cell(None) == ""
    assert _rows(write_csv([["=1+1", 2]])) == [["'=1+1", "2"]]


def test_dashboard_csv_has_figures_and_no_answers(client, people, clock):
    people.add_venue("evil", "=HYPERLINK(\"http://evil.example\",\"Click\")")
    for _ in range(2):
        session(people, clock, "missed-bin", outcome="submitted", pages=["p1"])
    session(people, clock, "missed-bin", outcome="cleared", pages=["p1"], venue_id="evil", language="cy")
    sign_in_at(client, ADMIN_ID)
    response = client.get("/admin/dashboard.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert SECRET not in text and "Zebedee" not in text
    rows = _rows(text)
    header = rows[0]
    totals = dict(zip(header, rows[1]))
    assert totals["section"] == "totals" and totals["sessions"] == "3" and totals["sent"] == "2"
    assert totals["completion_rate"] == "0.6667"
    venue_rows = [dict(zip(header, r)) for r in rows if r[0] == "breakdown" and r[5] == "venue"]
    evil = next(r for r in venue_rows if r["key"] == "evil")
    assert evil["label"].startswith("'=HYPERLINK")
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    stopped = [dict(zip(header, r)) for r in rows if r[0] == "stopped_at"]
    assert stopped and stopped[0]["key"] == "p1" and stopped[0]["unfinished"] == "1"
    assert any(e["event"] == "export" for e in people.audit_log())


def test_monthly_pdf_report_has_the_charts_and_no_answers(client, people, clock):
    from pypdf import PdfReader

    for minutes in (6, 8):
        session(people, clock, "missed-bin", outcome="submitted", pages=["p1"], minutes=minutes)
    session(people, clock, "blue-badge", outcome="cleared", pages=["who-for"])
    month = clock.now.strftime("%Y-%m")
    sign_in_at(client, ADMIN_ID)
    response = client.get(f"/admin/report.pdf?month={month}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Residents helped with council forms" in text
    # Sessions, sent, unfinished, still in progress, completion rate, median time (of 6 and 8 minutes)
    assert "Sessions Sent Unfinished Still in progress Completion rate Median time to complete\n3 2 1 0 67% 7 mins\n" in text
    # Each form's row: sessions, sent, unfinished, completion rate, median time
    assert "\nReport a missed bin collection 2 2 0 100% 7 mins\n" in text
    assert "\nApply for a Blue Badge 1 0 1 0% –\n" in text
    assert "Sessions per week, by way of taking part" in text
    assert "The numbers in the chart" in text
    assert SECRET not in text and "Zebedee" not in text and "Sam Helper" not in text
    assert SECRET.encode() not in response.data


def test_report_for_a_bad_month_is_refused(client, people):
    sign_in_at(client, ADMIN_ID)
    assert client.get("/admin/report.pdf?month=2026-13").status_code == 400
    assert client.get("/admin/report.pdf?month=soon").status_code == 400


def test_audit_csv_for_a_date_range(client, people, clock):
    journey = session(people, clock, "missed-bin", outcome="submitted", pages=["p1"])
    reference = people.get_journey(journey)["submission_reference"]
    people.audit("print", helper_id=HELPER, venue_id="central-library", journey_id=journey, detail="copy")
    clock.advance(days=-10)
    people.audit("sign_in", helper_id=HELPER, venue_id="central-library")
    clock.advance(days=10)
    sign_in_at(client, ADMIN_ID)
    today = clock.now.date()
    text = client.get(f"/admin/audit.csv?from={today - timedelta(days=2)}&to={today}").get_data(as_text=True)
    rows = [dict(zip(_rows(text)[0], r)) for r in _rows(text)[1:]]
    prints = [r for r in rows if r["event"] == "print"]
    assert prints and prints[0]["submission_reference"] == reference and prints[0]["helper_name"] == "Sam Helper"
    assert all(r["time_utc"] >= str(today - timedelta(days=2)) for r in rows)
    assert SECRET not in text
    assert client.get("/admin/audit.csv?from=2026-02-30").status_code == 400
