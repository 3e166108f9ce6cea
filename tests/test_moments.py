"""Moments: one way to write them (``iso_utc``), one way to read them back (``parse_moment``), and
one clock the tests move (``ManualClock``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import assist
from assist.moments import ManualClock, iso_utc, parse_moment

ROOT = Path(assist.__file__).parent
LONDON_SUMMER = timezone(timedelta(hours=1))


def test_iso_utc_writes_utc_to_the_second_with_z():
    assert iso_utc(datetime(2026, 6, 24, 18, 30, 2, 999999, tzinfo=LONDON_SUMMER)) == "2026-06-24T17:30:02Z"
    with pytest.raises(ValueError):
        iso_utc(datetime(2026, 6, 24, 17, 30))


@pytest.mark.parametrize("text, expected", [
    ("2026-11-24T17:30:02Z", datetime(2026, 11, 24, 17, 30, 2, tzinfo=timezone.utc)),
    ("2026-11-24T17:30:02z", datetime(2026, 11, 24, 17, 30, 2, tzinfo=timezone.utc)),
    ("2026-11-24T17:30:02+00:00", datetime(2026, 11, 24, 17, 30, 2, tzinfo=timezone.utc)),
    ("2026-11-24T17:30:02.250000+00:00", datetime(2026, 11, 24, 17, 30, 2, 250000, tzinfo=timezone.utc)),
    ("2026-06-24T18:30:02+01:00", datetime(2026, 6, 24, 17, 30, 2, tzinfo=timezone.utc)),
])
def test_parse_moment_reads_z_and_offsets_as_the_same_instant(text, expected):
    moment = parse_moment(text)
    assert moment == expected
    assert moment.utcoffset() is not None
    assert iso_utc(moment) == iso_utc(expected)


def test_parse_moment_reads_back_what_iso_utc_wrote():
    moment = datetime(2026, 3, 29, 0, 59, 59, tzinfo=timezone.utc)
    assert parse_moment(iso_utc(moment)) == moment
    assert parse_moment(iso_utc(moment)).tzinfo is not None


@pytest.mark.parametrize("text", ["2026-11-24T17:30:02", "2026-11-24", "", "soon", "2026-13-01T00:00:00Z",
                                  "2026-11-24T17:30:02ZZ"])
def test_parse_moment_refuses_text_without_a_time_zone_or_not_a_moment(text):
    with pytest.raises(ValueError):
        parse_moment(text)


def test_parse_moment_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        parse_moment(None)


def test_no_module_parses_moments_its_own_way():
    """``datetime.fromisoformat`` (and the ``.replace("Z", ...)`` that went with it) only in moments.py;
    ``date.fromisoformat`` for a day is fine."""
    own_way = re.compile(r'(?<!date)(?<!\.date)\bdatetime\.fromisoformat|\.replace\(\s*"Z"|fromisoformat\(.*"Z"')
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted(ROOT.rglob("*.py")) if path.name != "moments.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if own_way.search(line)]
    assert found == []


def test_manual_clock_stands_still_until_moved():
    start = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    clock = ManualClock(start)
    assert clock() == clock() == start
    assert clock.advance(minutes=3, seconds=5) == start + timedelta(minutes=3, seconds=5)
    assert clock() == start + timedelta(minutes=3, seconds=5)
    clock.now = start
    assert clock() == start
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 11, 24, 10, 0))


def test_manual_clock_starts_at_the_real_time_to_the_second():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    clock = ManualClock()
    assert clock().microsecond == 0 and clock().tzinfo is not None
    assert before <= clock() <= datetime.now(timezone.utc)
