"""The load and crash benchmarks' checker catches lost, repeated and half-delivered submissions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.checks import folder_findings, reference_findings  # noqa: E402


def test_every_acknowledged_reference_stored_once_passes():
    findings = reference_findings(["MB-1", "MB-2"], [("MB-1", "journey-a"), ("MB-2", "journey-b")])
    assert findings.ok and findings.found == 2 and findings.unacknowledged == 0


def test_a_reference_shown_but_not_stored_is_missing():
    findings = reference_findings(["MB-1", "MB-2"], [("MB-1", "journey-a")])
    assert not findings.ok and findings.missing == ["MB-2"] and findings.found == 1


def test_a_journey_submitted_twice_or_a_reference_shown_twice_is_caught():
    twice = reference_findings(["MB-1", "MB-2"], [("MB-1", "journey-a"), ("MB-2", "journey-a")])
    assert not twice.ok and twice.journeys_submitted_twice == ["journey-a"]
    shown = reference_findings(["MB-1", "MB-1"], [("MB-1", "journey-a")])
    assert not shown.ok and shown.shown_twice == ["MB-1"]


def test_stored_but_never_shown_is_counted_not_failed():
    findings = reference_findings(["MB-1"], [("MB-1", "journey-a"), ("MB-2", "journey-b")])
    assert findings.ok and findings.unacknowledged == 1


def _deliver(folder: Path, reference: str, named: str | None = None) -> None:
    (folder / f"{reference}.pdf").write_bytes(b"%PDF-1.7 council copy")
    (folder / f"{reference}.json").write_text(json.dumps({"reference": named or reference}))


def test_folder_check_finds_missing_wrong_and_unknown_deliveries(tmp_path):
    _deliver(tmp_path, "MB-1")
    _deliver(tmp_path, "MB-2", named="MB-9")
    (tmp_path / "MB-3.pdf").write_bytes(b"%PDF-1.7 without its JSON")
    _deliver(tmp_path, "MB-7")
    (tmp_path / ".MB-4.json.abc.tmp").write_text("{")
    findings = folder_findings({"MB-1", "MB-2", "MB-3", "MB-4"}, tmp_path)
    assert findings.delivered == 1
    assert findings.wrong == ["MB-2"]
    assert findings.missing == ["MB-3", "MB-4"]
    assert findings.strangers == ["MB-7.json", "MB-7.pdf"]
    assert findings.leftover_temporary == 1 and not findings.ok
