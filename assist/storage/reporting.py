"""Figures for the council dashboard, from the weekly summary tables the ``journeys`` triggers keep.

Every query here reads ``stats_forms``, ``stats_languages``, ``stats_modes``, ``stats_stops`` or
``stats_durations`` (see the ``create_reporting_summaries`` migration): counts per week (starting
Monday) and venue. They hold no answers, no names, no journey ids, so nothing personal can reach a
chart or an export. Whole weeks of a period come from the summaries; the days at its edges that
are not a whole week are counted from ``journeys`` itself through its ``started_at`` index (at most
six days at each end). So the cost grows with weeks x venues x forms, not with sessions.

Days are the UTC date (``YYYY-MM-DD``) on which a session started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .migrations import SUMMARY_TABLES, summary_select


def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, values)) for values in cursor.fetchall()]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def split_period(since: str | None, until: str | None) -> tuple[tuple[str | None, str | None] | None, list[tuple]]:
    """The whole weeks (first and last Monday) inside ``since``..``until`` and the edge day ranges
    ``[(first day, day after last)]`` outside them. ``None`` ends are open."""
    first = _day(since) if since else None
    last = _day(until) if until else None
    week_from = None if first is None else first + dt.timedelta(days=(7 - first.weekday()) % 7)
    week_to = None if last is None else last - dt.timedelta(days=(last.weekday() + 1) % 7) - dt.timedelta(days=6)
    edges: list[tuple] = []
    if week_from is not None and week_to is not None and week_from > week_to:
        return None, [(first, last + dt.timedelta(days=1))]
    if first is not None and first < week_from:
        edges.append((first, week_from))
    if last is not None and week_to + dt.timedelta(days=7) <= last:
        edges.append((week_to + dt.timedelta(days=7), last + dt.timedelta(days=1)))
    weeks = (week_from.isoformat() if week_from else None, week_to.isoformat() if week_to else None)
    return weeks, edges


class ReportingMixin:
    """Reporting methods of :class:`assist.storage.Store`: aggregate counts only."""

    def _summed(self, table: str, group: Sequence[str], since: str | None, until: str | None,
                venues: Sequence[str] | None, forms: Sequence[str] | None = None) -> list[dict]:
        """Sums of ``table``'s counters by ``group`` over the period: whole weeks from the summary
        table, edge days from ``journeys``; each part grouped in SQL, the small results added here."""
        keys, counters, _condition = SUMMARY_TABLES[table]
        columns = ["week", "venue_id", *keys, *counters]
        weeks, edges = split_period(since, until)
        filters, filter_values = [], []
        if venues is not None:
            filters.append(f"venue_id in ({', '.join('?' for _ in venues) or 'null'})")
            filter_values += list(venues)
        if forms is not None and "form_id" in keys:
            filters.append(f"form_id in ({', '.join('?' for _ in forms) or 'null'})")
            filter_values += list(forms)
        sums = ", ".join(f"sum({c}) as {c}" for c in counters)
        queries = []
        if weeks is not None:
            where, values = list(filters), list(filter_values)
            if weeks[0]:
                where.append("week >= ?")
                values.append(weeks[0])
            if weeks[1]:
                where.append("week <= ?")
                values.append(weeks[1])
            queries.append((f"select {', '.join(group)}, {sums} from {table}"
                            + (" where " + " and ".join(where) if where else "")
                            + f" group by {', '.join(group)}", values))
        for first, after in edges:
            _columns, expressions, condition = summary_select(table, "journeys")
            rows = ", ".join(f"{e} as {c}" for e, c in zip(expressions, columns))
            queries.append((
                f"select {', '.join(group)}, {sums} from (select {rows} from journeys indexed by journeys_started "
                f"where started_at >= ? and started_at < ? and {condition})"
                + (" where " + " and ".join(filters) if filters else "") + f" group by {', '.join(group)}",
                [first.isoformat(), after.isoformat(), *filter_values]))
        totals: dict[tuple, list[int]] = {}
        for sql, params in queries:
            for row in self.db.execute(sql, params):
                key, values = tuple(row[:len(group)]), row[len(group):]
                found = totals.get(key)
                if found is None:
                    totals[key] = list(values)
                else:
                    for n, value in enumerate(values):
                        found[n] += value
        names = [*group, *counters]
        return [dict(zip(names, (*key, *values))) for key, values in sorted(totals.items())
                if values[0] != 0]

    def form_counts(self, since: str | None = None, until: str | None = None,
                    venues: Sequence[str] | None = None) -> list[dict]:
        """Sessions by week, venue and form between days ``since`` and ``until`` (inclusive,
        ``YYYY-MM-DD``; ``None`` = open), at ``venues`` only when given (``""`` = no venue: online).
        Each row: ``week, venue_id, form_id, started, submitted, unfinished, in_progress, exited``."""
        return self._summed("stats_forms", ("week", "venue_id", "form_id"), since, until, venues)

    def language_counts(self, since: str | None = None, until: str | None = None,
                        venues: Sequence[str] | None = None) -> list[dict]:
        """Sessions by week and language: ``week, language, started, submitted``."""
        return self._summed("stats_languages", ("week", "language"), since, until, venues)

    def mode_counts(self, since: str | None = None, until: str | None = None,
                    venues: Sequence[str] | None = None) -> list[dict]:
        """Sessions by week and mode (assisted, kiosk, paper, online): ``week, mode, started, submitted``."""
        return self._summed("stats_modes", ("week", "mode"), since, until, venues)

    def stop_counts(self, since: str | None = None, until: str | None = None,
                    venues: Sequence[str] | None = None, forms: Sequence[str] | None = None) -> list[dict]:
        """Unfinished sessions (cleared or abandoned) by form and the place they stopped:
        ``stop`` is a page id, ``"exit:<exit id>"`` (told they cannot continue) or ``""``
        (left before the first question)."""
        return self._summed("stats_stops", ("form_id", "stop"), since, until, venues, forms)

    def duration_counts(self, since: str | None = None, until: str | None = None,
                        venues: Sequence[str] | None = None, forms: Sequence[str] | None = None) -> list[dict]:
        """Sent sessions by form and whole minutes from start to sending: ``form_id, minutes, sessions``."""
        return self._summed("stats_durations", ("form_id", "minutes"), since, until, venues, forms)

    def forms_in_use(self, venues: Sequence[str] | None = None) -> list[dict]:
        """Each form and version residents have used: sessions, submissions, first and last week."""
        where, params = "", []
        if venues is not None:
            where = f" where venue_id in ({', '.join('?' for _ in venues) or 'null'})"
            params = list(venues)
        return _rows(self.db.execute(
            "select form_id, form_version, sum(started) as started, sum(submitted) as submitted, "
            f"min(week) as first_week, max(week) as last_week from stats_forms{where} "
            "group by form_id, form_version having sum(started) != 0 order by form_id, form_version",
            params,
        ))

    def rebuild_summaries(self) -> None:
        """Rebuild the summary tables from ``journeys`` (after a restore from an old backup, say)."""
        from .migrations import rebuild_summaries

        with self.transaction() as db:
            rebuild_summaries(db)

    def summary_sizes(self) -> dict[str, int]:
        """Rows in each summary table (for the benchmark)."""
        return {t: self.db.execute(f"select count(*) from {t}").fetchone()[0] for t in SUMMARY_TABLES}

