"""The council dashboard's figures, from aggregate counts only (see :mod:`assist.storage.reporting`).

Definitions (also in docs/admin.md):

* **Sessions**: one resident starting one form (a helper's session, a kiosk visit, a visit on their own
  device, or a paper form keyed in). "Residents helped" counts sessions.
* **Sent**: sessions that ended with a submission.
* **Unfinished**: sessions that ended without one (cleared on the tablet, or left and expired).
* **Completion rate**: sent ÷ (sent + unfinished): sessions still in progress are not counted yet.
* **Median time**: the median of whole minutes from starting the form to sending it.
* **Stopped at**: for unfinished sessions, the last page shown, an exit page ("cannot continue"),
  or "before the first question".

Days are the UTC day a session started; weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from babel.dates import format_date
from babel.units import format_unit

from ..engine.formatting import babel_locale
from .charts import Chart, limit_series

Gettext = Callable[[str], str]
#: ``ngettext(singular, plural, n)``: the message for ``n`` in the page's language, not yet filled
#: in (the caller fills in ``%(num)s`` and the rest).
Ngettext = Callable[[str, str, int], str]
MODES = ("assisted", "kiosk", "paper", "online")
DEFAULT_WEEKS = 12


def _identity(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: days ``since``..``until`` (inclusive) and one venue or all."""

    since: dt.date
    until: dt.date
    venue_id: str | None = None

    @classmethod
    def default(cls, today: dt.date, venue_id: str | None = None) -> "Filters":
        """The last :data:`DEFAULT_WEEKS` whole weeks and this week so far."""
        monday = today - dt.timedelta(days=today.weekday())
        return cls(monday - dt.timedelta(weeks=DEFAULT_WEEKS - 1), today, venue_id)

    @classmethod
    def month(cls, year: int, month: int, venue_id: str | None = None) -> "Filters":
        first = dt.date(year, month, 1)
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(first, following - dt.timedelta(days=1), venue_id)

    def venues(self, allowed: list[str] | None) -> list[str] | None:
        """The venue ids to count: the chosen one (if allowed), or every allowed one (``None`` = all)."""
        if self.venue_id is not None:
            if allowed is not None and self.venue_id not in allowed:
                return []
            return [self.venue_id]
        return allowed


def median_of_histogram(counts: dict[int, int]) -> float | None:
    """The median of values given as ``{value: how many}``; ``None`` when there are none."""
    total = sum(counts.values())
    if total <= 0:
        return None
    ordered = sorted((value, count) for value, count in counts.items() if count > 0)

    def nth(n: int) -> int:  # 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        return ordered[-1][0]

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def rate(part: int, whole: int) -> float | None:
    return None if whole <= 0 else part / whole


@dataclass
class FormFigures:
    form_id: str
    title: str
    started: int = 0
    submitted: int = 0
    unfinished: int = 0
    in_progress: int = 0
    exited: int = 0
    minutes: dict[int, int] = field(default_factory=dict)

    @property
    def completion_rate(self) -> float | None:
        return rate(self.submitted, self.submitted + self.unfinished)

    @property
    def median_minutes(self) -> float | None:
        return median_of_histogram(self.minutes)


@dataclass
class Dashboard:
    filters: Filters
    weeks: list[dt.date]
    totals: dict[str, int]
    median_minutes: float | None
    forms: list[FormFigures]
    #: ``dimension -> {key: {week: sessions}}`` for venue, form, language, mode.
    weekly: dict[str, dict[str, dict[str, int]]]
    #: ``dimension -> [(key, label, started, submitted)]`` biggest first.
    breakdowns: dict[str, list[tuple[str, str, int, int]]]
    #: ``form_id -> [(stop key, label, sessions)]`` in the form's page order.
    stops: dict[str, list[tuple[str, str, int]]]
    charts: dict[str, Chart]
    labels: dict[str, dict[str, str]]

    @property
    def completion_rate(self) -> float | None:
        return rate(self.totals["submitted"], self.totals["submitted"] + self.totals["unfinished"])


def weeks_between(since: dt.date, until: dt.date) -> list[dt.date]:
    start = since - dt.timedelta(days=since.weekday())
    weeks = []
    while start <= until:
        weeks.append(start)
        start += dt.timedelta(weeks=1)
    return weeks


def stop_label(form, stop: str, _: Gettext = _identity) -> str:
    """A place where sessions stopped, in words: the page's question/heading, an exit's title."""
    if not stop:
        return _("Before the first question")
    if stop.startswith("exit:"):
        exit_ = form.exits.get(stop[5:]) if form is not None else None
        return _("Told they cannot continue: %(title)s") % {"title": _(exit_.title) if exit_ else stop[5:]}
    if stop == "check-answers":
        return _("Check your answers")
    if form is not None:
        try:
            page = form.page(stop)
        except (KeyError, LookupError):
            page = None
        if page is not None:
            number = _page_number(form, stop)
            return f"{number}. {_(page.heading)}" if number else _(page.heading)
    return stop


def _page_number(form, page_id: str) -> int | None:
    for number, page in enumerate(form.pages, start=1):
        if page.id == page_id:
            return number
    return None


def _stop_order(form, stop: str) -> tuple:
    if not stop:
        return (0, 0)
    if stop.startswith("exit:"):
        return (3, stop)
    if stop == "check-answers":
        return (2, 0)
    number = _page_number(form, stop) if form is not None else None
    return (1, number if number is not None else 10_000, stop)


def build(store, forms: dict, filters: Filters, *, allowed_venues: list[str] | None = None,
          venue_names: dict[str, str] | None = None, language_names: dict[str, str] | None = None,
          gettext: Gettext = _identity, ngettext: Ngettext = _english_plural, language: str = "en") -> Dashboard:
    """Every figure and chart of the dashboard for ``filters`` (a venue lead: ``allowed_venues``);
    chart texts in ``gettext``'s (and ``ngettext``'s) language, weeks written the way ``language`` writes them."""
    _ = gettext
    venue_names = dict(venue_names or {})
    language_names = dict(language_names or {})
    since, until = filters.since.isoformat(), filters.until.isoformat()
    venues = filters.venues(allowed_venues)
    form_rows = store.form_counts(since, until, venues)
    stop_rows = store.stop_counts(since, until, venues)
    minute_rows = store.duration_counts(since, until, venues)

    weeks = weeks_between(filters.since, filters.until)
    totals = dict.fromkeys(("started", "submitted", "unfinished", "in_progress", "exited"), 0)
    per_form: dict[str, FormFigures] = {}
    weekly: dict[str, dict[str, dict[str, int]]] = {d: defaultdict(lambda: defaultdict(int))
                                                     for d in ("venue", "form", "language", "mode")}
    sums: dict[str, dict[str, list[int]]] = {d: defaultdict(lambda: [0, 0]) for d in weekly}

    def form_figures(form_id: str) -> FormFigures:
        if form_id not in per_form:
            form = forms.get(form_id)
            per_form[form_id] = FormFigures(form_id, _(form.title) if form is not None else form_id)
        return per_form[form_id]

    def count(dimension: str, key: str, row: dict) -> None:
        weekly[dimension][key][row["week"]] += row["started"]
        sums[dimension][key][0] += row["started"]
        sums[dimension][key][1] += row["submitted"]

    for row in form_rows:
        figures = form_figures(row["form_id"])
        for key in totals:
            totals[key] += row[key]
            setattr(figures, key, getattr(figures, key) + row[key])
        count("venue", row["venue_id"], row)
        count("form", row["form_id"], row)
    for row in store.language_counts(since, until, venues):
        count("language", row["language"], row)
    for row in store.mode_counts(since, until, venues):
        count("mode", row["mode"], row)
    all_minutes: dict[int, int] = defaultdict(int)
    for row in minute_rows:
        form_figures(row["form_id"]).minutes[row["minutes"]] = row["sessions"]
        all_minutes[row["minutes"]] += row["sessions"]

    labels = {
        "venue": {key: (venue_names.get(key, key) if key else _("No venue (own device)")) for key in sums["venue"]},
        "form": {key: form_figures(key).title for key in sums["form"]},
        "language": {key: language_names.get(key, key) for key in sums["language"]},
        "mode": {"assisted": _("With a helper"), "kiosk": _("Kiosk"), "paper": _("Paper"),
                 "online": _("Own device")},
    }
    breakdowns = {
        dimension: sorted(((key, labels[dimension].get(key, key), started, submitted)
                           for key, (started, submitted) in values.items()), key=lambda r: (-r[2], r[1]))
        for dimension, values in sums.items()
    }
    breakdowns["mode"] = [(m, labels["mode"][m], *sums["mode"].get(m, (0, 0))) for m in MODES
                          if m in sums["mode"]] + [b for b in breakdowns["mode"] if b[0] not in MODES]

    stops: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for row in stop_rows:
        form = forms.get(row["form_id"])
        stops[row["form_id"]].append((row["stop"], stop_label(form, row["stop"], _), row["sessions"]))
        form_figures(row["form_id"])
    for form_id, entries in stops.items():
        form = forms.get(form_id)
        entries.sort(key=lambda e: _stop_order(form, e[0]))

    ordered_forms = sorted(per_form.values(), key=lambda f: (-f.started, f.title))
    dashboard = Dashboard(filters=filters, weeks=weeks, totals=totals,
                          median_minutes=median_of_histogram(all_minutes), forms=ordered_forms,
                          weekly={d: {k: dict(v) for k, v in values.items()} for d, values in weekly.items()},
                          breakdowns=breakdowns, stops=dict(stops), charts={}, labels=labels)
    dashboard.charts = make_charts(dashboard, gettext=_, ngettext=ngettext, language=language)
    return dashboard


def week_label(week: dt.date, language: str = "en") -> str:
    """A week's first day, short and on one line: "5 Oct", "5 Hyd", "5 অক্টো"."""
    return format_date(week, "d MMM", locale=babel_locale(language)).replace(" ", "\u00a0")


def make_charts(dashboard: Dashboard, gettext: Gettext = _identity, ngettext: Ngettext = _english_plural,
                language: str = "en") -> dict[str, Chart]:
    """The dashboard's charts, each with a description in words of what it shows."""
    _ = gettext
    charts: dict[str, Chart] = {}
    week_keys = [w.isoformat() for w in dashboard.weeks]
    week_names = [week_label(w, language) for w in dashboard.weeks]
    titles = {
        "mode": _("Sessions per week, by way of taking part"),
        "venue": _("Sessions per week, by venue"),
        "form": _("Sessions per week, by form"),
        "language": _("Sessions per week, by language"),
    }
    for dimension in ("mode", "venue", "form", "language"):
        order = [key for key, *_rest in dashboard.breakdowns[dimension]]
        series = [(dashboard.labels[dimension].get(key, key),
                   [dashboard.weekly[dimension].get(key, {}).get(week, 0) for week in week_keys]) for key in order]
        series = limit_series(series, _("Others"))
        total = sum(sum(values) for _name, values in series)
        busiest = max(range(len(week_keys)), key=lambda i: sum(v[i] for _n, v in series)) if week_keys else None
        if total and busiest is not None:
            # The biggest, whatever the order of the breakdown (modes are listed in a fixed order).
            top = max(dashboard.breakdowns[dimension], key=lambda row: row[2])
            busiest_count = sum(v[busiest] for _n, v in series)
            description = " ".join((
                ngettext("%(num)s session in all.", "%(num)s sessions in all.", total) % {"num": f"{total:,}"},
                ngettext("The chart shows %(num)s week.", "The chart shows %(num)s weeks.", len(week_keys))
                % {"num": len(week_keys)},
                ngettext("The busiest week began %(week)s, with %(num)s session.",
                         "The busiest week began %(week)s, with %(num)s sessions.", busiest_count)
                % {"week": week_names[busiest], "num": f"{busiest_count:,}"},
                ngettext("Most sessions: %(top)s, with %(num)s session.", "Most sessions: %(top)s, with %(num)s sessions.",
                         top[2]) % {"top": top[1], "num": f"{top[2]:,}"},
            ))
        else:
            description = _("No sessions in this period.")
        charts[f"weekly-{dimension}"] = Chart(
            id=f"chart-weekly-{dimension}", title=titles[dimension], description=description,
            categories=week_names, series=series, category_heading=_("Week beginning"),
            total_heading=_("Total") if len(series) > 1 else None)
    # Completion per form: sent and unfinished, side by side as a stacked horizontal bar.
    forms = dashboard.forms
    charts["completion"] = Chart(
        id="chart-completion", title=_("Sent and unfinished sessions, by form"),
        description=("; ".join(
            _("%(form)s: %(sent)s, %(unfinished)s") % {
                "form": f.title,
                "sent": ngettext("%(num)s sent", "%(num)s sent", f.submitted) % {"num": f"{f.submitted:,}"},
                "unfinished": ngettext("%(num)s unfinished", "%(num)s unfinished", f.unfinished)
                % {"num": f"{f.unfinished:,}"}} for f in forms)
            or _("No sessions in this period.")),
        categories=[f.title for f in forms],
        series=[(_("Sent"), [f.submitted for f in forms]), (_("Unfinished"), [f.unfinished for f in forms])],
        horizontal=True, category_heading=_("Form"), total_heading=_("Total"))
    for figures in forms:
        entries = dashboard.stops.get(figures.form_id, [])
        total = sum(e[2] for e in entries)
        biggest = max(entries, key=lambda e: e[2]) if entries else None
        if biggest:
            description = " ".join((
                ngettext("%(num)s unfinished session.", "%(num)s unfinished sessions.", total) % {"num": f"{total:,}"},
                ngettext("Most stopped at: %(page)s (%(num)s session).", "Most stopped at: %(page)s (%(num)s sessions).",
                         biggest[2]) % {"page": biggest[1], "num": f"{biggest[2]:,}"},
            ))
        else:
            description = _("No unfinished sessions in this period.")
        charts[f"stops-{figures.form_id}"] = Chart(
            id=f"chart-stops-{figures.form_id}",
            title=_("Where unfinished sessions stopped: %(form)s") % {"form": figures.title},
            description=description, categories=[e[1] for e in entries],
            series=[(_("Unfinished sessions"), [e[2] for e in entries])], horizontal=True,
            category_heading=_("Stopped at"))
    return charts


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def minutes_text(value: float | None, language: str = "en") -> str:
    """Minutes, short, in ``language``: "4.5 mins", "4.5 mun", "4.5 মিনিট"; "–" for none."""
    if value is None:
        return "–"
    return format_unit(value, "duration-minute", length="short", locale=babel_locale(language))
