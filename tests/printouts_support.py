"""Helpers for the printouts tests (no tests here): a form that uses every feature, a council, PDF reading."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

EVERYTHING = '''
id = "every-thing"
version = "2026.2"
title = "Apply for everything"
summary = "A form with every kind of question."
owner = "Testing team"
what_to_bring = ["your National Insurance number", "a recent gas bill"]
what_happens_next = "We will write to you within 4 weeks."
declaration = "I confirm that the information I have given is correct."

[[pages]]
id = "full-name"
section = "About you"
  [[pages.questions]]
  id = "full-name"
  type = "name"
  parts = "first_last"
  label = "What is your name?"

[[pages]]
id = "date-of-birth"
  [[pages.questions]]
  id = "date-of-birth"
  type = "date"
  date_of_birth = true
  label = "What is your date of birth?"

[[pages]]
id = "ni-number"
  [[pages.questions]]
  id = "ni-number"
  type = "ni_number"
  optional = true
  label = "What is your National Insurance number?"

[[pages]]
id = "address"
  [[pages.questions]]
  id = "address"
  type = "address"
  label = "What is your address?"

[[pages]]
id = "postcode-only"
  [[pages.questions]]
  id = "postcode-only"
  type = "postcode"
  optional = true
  label = "What is the postcode of your last address?"

[[pages]]
id = "phone"
  [[pages.questions]]
  id = "phone"
  type = "phone"
  label = "What is your phone number?"

[[pages]]
id = "email"
  [[pages.questions]]
  id = "email"
  type = "email"
  optional = true
  label = "What is your email address?"

[[pages]]
id = "tenure"
section = "Your home"
  [[pages.questions]]
  id = "tenure"
  type = "choose_one"
  label = "Do you rent or own your home?"
  options = [
    { value = "rent", label = "I rent it" },
    { value = "own", label = "I own it" },
    { value = "other", label = "Something else" },
  ]
  [[pages.routes]]
  if = "own"
  goto = "income"
  [[pages.routes]]
  if = "other"
  exit = "cannot-help"

[[pages]]
id = "rent"
  [[pages.questions]]
  id = "rent"
  type = "money"
  label = "How much rent do you pay each month?"

[[pages]]
id = "income"
section = "Money"
  [[pages.questions]]
  id = "income"
  type = "number"
  unit = "people"
  label = "How many people pay towards the bills?"

[[pages]]
id = "benefits"
  [[pages.questions]]
  id = "benefits"
  type = "choose_many"
  label = "Which benefits do you get?"
  options = [
    { value = "uc", label = "Universal Credit" },
    { value = "pip", label = "Personal Independence Payment" },
  ]
  none_option = { value = "none", label = "None of these" }

[[pages]]
id = "lives-with-others"
section = "Your household"
  [[pages.questions]]
  id = "lives-with-others"
  type = "yes_no"
  label = "Does anyone else live with you?"

[[pages]]
id = "household"
kind = "repeat"
title = "People who live with you"
item_name = "person"
min = 1
max = 6
show_if = { question = "lives-with-others", equals = "yes" }
  [[pages.questions]]
  id = "person-name"
  type = "text"
  label = "Their full name"
  [[pages.questions]]
  id = "person-birth"
  type = "date"
  label = "Their date of birth"
  past_only = true

[[pages]]
id = "circumstances"
section = "Anything else"
show_if = { question = "benefits", includes = "pip" }
  [[pages.questions]]
  id = "circumstances"
  type = "long_text"
  max_length = 4000
  optional = true
  label = "Tell us anything else about your circumstances"

[[pages]]
id = "guidance"
  [[pages.questions]]
  id = "guidance"
  type = "content"
  label = "Before you finish"
  body = "Read the declaration carefully."

[[pages]]
id = "agree"
  [[pages.questions]]
  id = "agree"
  type = "declaration"
  label = "Sharing your information"
  text = "We may check your information with other councils."
  checkbox_label = "I agree"

[[exits]]
id = "cannot-help"
title = "We cannot help with this form"
body = "This form is for people who rent or own their home."
next_steps = "Call us on 01632 960 100."
'''


def everything_form(tmp_path: Path):
    from assist.engine import load_form

    path = tmp_path / "every-thing.toml"
    path.write_text(EVERYTHING, encoding="utf-8")
    return load_form(path)


def fake_config(data_dir: Path | None = None):
    council = SimpleNamespace(name="Demo Borough Council", short_name="Demo", contact_phone="01632 960 100",
                              contact_email="forms@demo.example", website="https://demo.example",
                              contact_address="Town Hall\nHigh Street\nDemotown\nDT1 1AA", brand_colour="#1d70b8")
    return SimpleNamespace(council=council, data_dir=str(data_dir) if data_dir else None,
                           venues=[SimpleNamespace(id="central-library", name="Central Library", address="", mode="assisted")],
                           languages=SimpleNamespace(available=["en", "cy", "ar"], default="en"))


def everything_answers(circumstances: str = "I look after my grandson three days a week.") -> dict:
    return {
        "full-name": {"first": "Gwenllian", "last": "Ŵyn-Jones"},
        "date-of-birth": "1950-03-05",
        "ni-number": "QQ123456C",
        "address": {"line1": "1 Stryd Fawr", "line2": "", "town": "Demotown", "county": "", "postcode": "DT1 1AA"},
        "postcode-only": None,
        "phone": "+441632960001",
        "email": None,
        "tenure": "rent",
        "rent": "450.00",
        "income": 2,
        "benefits": ["uc", "pip"],
        "lives-with-others": "yes",
        "household": [
            {"person-name": "ليلى حداد", "person-birth": "1980-07-01"},
            {"person-name": "Dafydd Ŵyn", "person-birth": "2012-01-20"},
        ],
        "circumstances": circumstances,
        "guidance": None,
        "agree": True,
    }


def submission(answers: dict, reference: str = "ET-7K4M-2QXT", **extra) -> dict:
    return {"reference": reference, "form_id": "every-thing", "form_version": "2026.2",
            "submitted_at": "2026-03-05T14:05:00+00:00", "mode": "assisted", "venue_id": "central-library",
            "helper_id": "helper-12", "language": "en", "answers": answers, **extra}


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pypdf extracts it (it keeps Arabic ligatures such as lam-alef right)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def poppler_text(pdf: bytes) -> str:
    """The text of a PDF as poppler's ``pdftotext`` extracts it (skips the test if it is missing)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text with all runs of white space made one space (and isolate marks dropped), for searching."""
    text = re.sub("[\u2066-\u2069\u200e\u200f]", "", text)
    return re.sub(r"\s+", " ", re.sub(r"-\s+", "-", text))


def pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def catalog(pdf: bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return reader, reader.trailer["/Root"]


@pytest.fixture(scope="session")
def printouts_service(tmp_path_factory):
    from assist.printouts import Printouts

    return Printouts(fake_config(tmp_path_factory.mktemp("printouts-data")))


def structure_rows(pdf: bytes) -> list[tuple[str, list[str]]]:
    """The tagged content as a screen reader meets it: each table row of the structure tree, in tree
    order, as ``(header cell text, [data cell texts])``; text comes from the marked content (MCIDs)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    texts: dict[tuple[int, int], list[str]] = {}
    for number, page in enumerate(reader.pages):
        open_ids: list = []

        def before(operator, operands, cm, tm):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                open_ids.append(properties.get("/MCID") if hasattr(properties, "get") else None)
            elif operator == b"BMC":
                open_ids.append(None)
            elif operator == b"EMC" and open_ids:
                open_ids.pop()

        def text(piece, cm, tm, font, size):
            mcid = next((m for m in reversed(open_ids) if m is not None), None)
            if piece and mcid is not None:
                texts.setdefault((number, mcid), []).append(piece)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}

    def text_of(node, page=None) -> str:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            return "".join(texts.get((page, node), []))
        if not hasattr(node, "get"):
            return ""
        if "/Pg" in node:
            page = pages.get(node.raw_get("/Pg").idnum, page)
        if "/MCID" in node:
            return "".join(texts.get((page, node["/MCID"]), []))
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        return " ".join(part for kid in kids if (part := text_of(kid, page).strip()))

    rows = []

    def walk(node, depth=0):
        node = node.get_object()
        if depth > 80 or not hasattr(node, "get"):
            return
        if node.get("/S") == "/TR":
            cells = [cell.get_object() for cell in node.get("/K") or []]
            header = next((flat(text_of(c)).strip() for c in cells if c.get("/S") == "/TH"), "")
            rows.append((header, [flat(text_of(c)).strip() for c in cells if c.get("/S") == "/TD"]))
            return
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [] if kids is None else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                walk(kid, depth + 1)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return rows
