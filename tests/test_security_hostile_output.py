"""Hostile text that was accepted as an answer (or a name) stays inert wherever it goes out again:
printed as literal text in the resident's and the council's PDF copies, shown escaped on check
answers, and never read as a formula when a CSV export is opened in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from admin_support import ADMIN_ID, people, sign_in_at  # noqa: F401
from assist.reporting.exports import FORMULA_STARTS, write_csv
from assisted_support import PIN, VENUE, answer_page, app, client, clock, forms, store  # noqa: F401
from conftest import csrf_token
from printouts_support import flat, pdf_text
from support import example_raw
from test_security_hostile_input import HOSTILE, HOSTILE_SETTINGS

REFERENCE = re.compile(r'class="assist-reference" dir="ltr">([A-Z0-9-]+)<')
STREET = "<script>alert('pwned')</script> 1 High St"
DETAILS = "=HYPERLINK(\"http://evil.example\",\"x\")\nRobert'); DROP TABLE journeys;--\n\u202egnp.exe"


def hostile_raw(question, avoid=frozenset()) -> dict:
    if question.id == "street-address":
        return {question.id: STREET}
    if question.id == "more-details":
        return {question.id: DETAILS}
    return example_raw(question, avoid)


def submit_missed_bin(client, app) -> tuple[str, str]:
    """A Missed bin report with hostile text in its free-text answers; (reference, check answers HTML)."""
    form = forms(app)["missed-bin"]
    page = client.get(f"/forms/{form.id}/")
    first = client.post(f"/forms/{form.id}/start", data={"csrf_token": csrf_token(page)}).headers["Location"]
    url = first
    for _ in range(40):
        if url.endswith("/check-answers"):
            break
        url = answer_page(client, form, url, raw=hostile_raw)
    check = client.get(url)
    html = check.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(check)})
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    return REFERENCE.search(confirmation).group(1), html


def test_hostile_answers_are_escaped_on_check_answers_and_literal_in_the_printed_copies(client, app, people):
    reference, check_answers = submit_missed_bin(client, app)
    assert "&lt;script&gt;alert(" in check_answers and "<script>alert(" not in check_answers
    assert "\u202e" not in check_answers  # direction overrides are dropped when the answer is saved
    copies = [client.get(f"/print/copy/{reference}.pdf")]
    admin = app.test_client()
    sign_in_at(admin, ADMIN_ID)
    copies.append(admin.get(f"/admin/submissions/{reference}/council-copy.pdf"))
    for response in copies:
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = flat(pdf_text(response.data))
        assert "<script>alert('pwned')</script> 1 High St" in text
        assert '=HYPERLINK("http://evil.example","x")' in text
        assert "Robert'); DROP TABLE journeys;--" in text
        assert "\u202e" not in text


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@HOSTILE_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers(), st.none()), max_size=6))
def test_no_csv_cell_can_start_a_formula(row):
    (written,) = _read(write_csv([row]))
    for original, cell in zip(row, written):
        if isinstance(original, int):
            assert cell == str(original)  # numbers stay numbers
        else:
            assert not cell.startswith(FORMULA_STARTS), cell
            if original and cell != original:
                assert cell == "'" + original  # only ever an apostrophe in front


def test_a_formula_in_a_helpers_name_is_inert_in_the_audit_csv(client, app, people):
    people.add_helper('=HYPERLINK("http://evil.example","Sam")', PIN, [VENUE], helper_id="formula-helper")
    sign_in_at(app.test_client(), "formula-helper")
    sign_in_at(client, ADMIN_ID)
    rows = _read(client.get("/admin/audit.csv").get_data(as_text=True))
    names = [row[3] for row in rows[1:] if row[2] == "formula-helper"]
    assert names and all(name == "'=HYPERLINK(\"http://evil.example\",\"Sam\")" for name in names)
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "@"))]
