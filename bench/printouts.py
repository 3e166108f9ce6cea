"""Printouts: completed copy against bare WeasyPrint, cached blank forms, and a 3,500-character answer.

``python -m bench.printouts`` runs just these; ``bench/__main__.py`` calls :func:`main`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

#: Targets from the printouts issue.
RATIO_TARGET = 1.2   # our completed copy / bare WeasyPrint on the same HTML string
LONG_TARGET = 2.0    # copy with a 3,500-character answer / a normal copy
ROUNDS = 7
LONG_ANSWER = ("I have arthritis in both knees and my back, and I get out of breath after a few steps. "
               * 50)[:3500]


def example_value(question, avoid: set[str]):
    """A plausible stored answer for ``question`` (choices leading to an exit are avoided)."""
    kind, options = question.type, question.options
    if kind == "text":
        return "Sam Example"
    if kind == "long_text":
        return "Arthritis in both knees. I use crutches outdoors and need to stop every few steps."
    if kind == "number":
        return int(options.get("min") or 2)
    if kind == "money":
        return "120.50"
    if kind == "date":
        return "1957-03-27"
    if kind in ("yes_no", "choose_one"):
        return next(c.value for c in question.choices if c.value not in avoid)
    if kind == "choose_many":
        return [question.choices[0].value]
    if kind == "email":
        return "sam@example.com"
    if kind == "phone":
        return "+447700900982"
    if kind == "postcode":
        return "SW1A 1AA"
    if kind == "ni_number":
        return "QQ123456C"
    if kind == "declaration":
        return True
    if kind == "name":
        return {"first": "Sam", "last": "Example"} if options.get("parts") == "first_last" else "Sam Example"
    if kind == "address":
        return {"line1": "1 High Street", "line2": "", "town": "Demotown", "county": "", "postcode": "SW1A 1AA"}
    return None


def example_submission(form, long_answer: str | None = None) -> dict:
    """A submission answering every question of ``form`` (repeats with two items)."""
    answers = {}
    for page in form.pages:
        avoid = {route.if_value for route in page.routes if route.exit}
        if page.is_repeat:
            answers[page.id] = [{q.id: example_value(q, avoid) for q in page.questions} for _ in range(2)]
            continue
        for question in page.questions:
            answers[question.id] = example_value(question, avoid)
            if long_answer and question.type == "long_text":
                answers[question.id] = long_answer
    return {"reference": "BB-7K4M-2QXT", "form_id": form.id, "form_version": form.version,
            "submitted_at": "2026-03-05T14:05:00+00:00", "mode": "assisted", "venue_id": None,
            "helper_id": None, "language": "en", "answers": answers}


def best_of(function, rounds: int = ROUNDS) -> float:
    """The median time of ``rounds`` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> list[str]:
    from weasyprint import CSS, HTML

    from assist.config import load_config
    from assist.engine import load_forms
    from assist.printouts import PRINTOUTS_DIR, Printouts

    config = load_config()
    forms = load_forms(config.forms_dir)
    form = forms.get("blue-badge") or next(iter(forms.values()))
    with tempfile.TemporaryDirectory() as cache:
        printouts = Printouts(config, cache_dir=Path(cache))
        normal = example_submission(form)
        long = example_submission(form, LONG_ANSWER)
        html = printouts.completed_copy_html(form, normal)

        def bare():  # what a straightforward WeasyPrint call on the same HTML does
            HTML(string=html, base_url=str(PRINTOUTS_DIR) + "/").write_pdf(
                stylesheets=[CSS(filename=str(PRINTOUTS_DIR / "print.css"))], pdf_variant="pdf/ua-1")

        ours = best_of(lambda: printouts.completed_copy(form, normal))
        baseline = best_of(bare)
        ours_long = best_of(lambda: printouts.completed_copy(form, long))

        start = time.perf_counter()
        printouts.blank_form(form)
        first_blank = time.perf_counter() - start
        cached = best_of(lambda: printouts.blank_form(form), rounds=200)

    ratio = ours / baseline
    long_ratio = ours_long / ours
    return [
        f"printouts: completed copy ({form.id}) {ours * 1000:.0f} ms; bare WeasyPrint on the same HTML "
        f"{baseline * 1000:.0f} ms; ratio {ratio:.2f} (target ≤ {RATIO_TARGET}) "
        f"{'OK' if ratio <= RATIO_TARGET else 'OVER TARGET'}",
        f"printouts: blank paper form first render {first_blank * 1000:.0f} ms; from cache "
        f"{cached * 1e6:.0f} µs",
        f"printouts: copy with a 3,500-character answer {ours_long * 1000:.0f} ms vs normal {ours * 1000:.0f} ms; "
        f"ratio {long_ratio:.2f} (target ≤ {LONG_TARGET}) {'OK' if long_ratio <= LONG_TARGET else 'OVER TARGET'}",
    ]


if __name__ == "__main__":
    for line in main():
        print(line, flush=True)
