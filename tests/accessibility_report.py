"""The count of page × language combinations the accessibility suite checked, printed at the end of the
run; under pytest-xdist each worker sends its count to the controller, which adds them up."""

from __future__ import annotations

import json

import pytest

#: ``[page type, detail, language]`` for each page checked by this process.
CHECKED: list[list[str]] = []


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["accessibility_checked"] = json.dumps(CHECKED)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    CHECKED.extend(json.loads(getattr(node, "workeroutput", {}).get("accessibility_checked", "[]")))


def pytest_terminal_summary(terminalreporter):
    if not CHECKED:
        return
    from assist.web.site.accessibility import AXE_VERSION, EXEMPTIONS

    combinations = {tuple(row) for row in CHECKED}
    page_types = {row[0] for row in CHECKED}
    languages = sorted({row[2] for row in CHECKED})
    terminalreporter.write_sep("-", "accessibility")
    terminalreporter.write_line(
        f"{len(combinations)} pages × languages checked ({len(combinations) // max(len(languages), 1)} pages "
        f"of {len(page_types)} page types in {', '.join(languages)}; axe-core {AXE_VERSION}, "
        f"{len(EXEMPTIONS)} exemptions)")
