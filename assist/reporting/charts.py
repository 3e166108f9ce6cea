"""Accessible bar charts as SVG, drawn on the server: the same picture on screen and in the PDF.

Each chart is ``<svg role="img" aria-labelledby="… …">`` with a ``<title>`` and a ``<desc>``
that says in words what it shows (the biggest values), and is always shown next to a table of
its numbers (the templates do that from the same :class:`Chart`). Only presentation attributes,
no ``style``: the pages' Content-Security-Policy allows no inline styles, and WeasyPrint reads them.
Colours are GOV.UK Frontend's, each at least 3:1 against white; series are also told apart by
their order in the legend and the table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape

#: GOV.UK colours: blue, orange, green, purple, red, turquoise, brown, dark grey, pink, dark blue.
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197", "#b58840", "#505a5f",
           "#d53880", "#003078")
TEXT = "#0b0c0c"
GRID = "#b1b4b6"
FONT = "Arial, Helvetica, 'Noto Sans', sans-serif"
MAX_SERIES = 8


@dataclass
class Chart:
    """A bar chart: ``categories`` along one axis, one or more ``series`` of numbers (stacked)."""

    id: str
    title: str
    description: str
    categories: list[str]
    series: list[tuple[str, list[float]]]
    horizontal: bool = False
    unit: str = ""
    #: Column headings of the table of numbers: the category heading, then one per series.
    category_heading: str = ""
    total_heading: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def totals(self) -> list[float]:
        return [sum(values[i] for _, values in self.series) for i in range(len(self.categories))]

    @property
    def table_rows(self) -> list[list]:
        rows = []
        for index, category in enumerate(self.categories):
            row = [category] + [values[index] for _, values in self.series]
            if self.total_heading is not None:
                row.append(self.totals[index])
            rows.append(row)
        return rows

    @property
    def empty(self) -> bool:
        return not self.categories or not any(self.totals)

    def svg(self) -> Markup:
        return render_svg(self)


def limit_series(series: list[tuple[str, list[float]]], other_label: str,
                 keep: int = MAX_SERIES) -> list[tuple[str, list[float]]]:
    """The ``keep - 1`` biggest series and the rest added up as ``other_label`` (if there are more)."""
    if len(series) <= keep:
        return series
    ranked = sorted(series, key=lambda s: -sum(s[1]))
    kept, rest = ranked[:keep - 1], ranked[keep - 1:]
    other = [sum(values[i] for _, values in rest) for i in range(len(rest[0][1]))]
    order = {name: n for n, (name, _) in enumerate(series)}
    return sorted(kept, key=lambda s: order[s[0]]) + [(other_label, other)]


def _axis(value: float) -> tuple[float, float]:
    """The axis top and tick step for counts up to ``value``: whole-number ticks (1, 2, 5 x 10^n)
    at most five of them, so a count axis never reads "1.2" or "37.5"."""
    if value <= 0:
        return 1, 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            step *= magnitude
            if value / step <= 5:
                top = step * -(-value // step)
                return top, step
        magnitude *= 10


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _clip(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, ending "…"; never inside a letter with its marks or a
    conjunct (Bengali, Gurmukhi), so no broken letter is drawn."""
    if len(text) <= length:
        return text
    end = length - 1
    while end > 0 and _continues_letter(text, end):
        end -= 1
    return text[:end].rstrip() + "…"


def _continues_letter(text: str, index: int) -> bool:
    """Is ``text[index]`` part of the same written letter as the character before it?"""
    char, before = text[index], text[index - 1]
    return (unicodedata.category(char).startswith("M") or char in "\u200c\u200d" or before == "\u200d"
            or unicodedata.name(before, "").endswith("SIGN VIRAMA"))


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)


def render_svg(chart: Chart) -> Markup:
    """The chart as an inline ``<svg>`` element."""
    cid = _safe_id(chart.id)
    parts: list[str] = []
    width = 480
    totals = chart.totals
    top, step = _axis(max(totals) if totals else 0)
    ticks = [step * n for n in range(int(top // step) + 1)]
    legend = len(chart.series) > 1
    legend_rows = (len(chart.series) + 1) // 2 if legend else 0
    if chart.horizontal:
        label_width, bar, gap = 170, 22, 8
        plot_left, plot_right = label_width + 8, width - 44
        plot_top = 10 + legend_rows * 22
        height = plot_top + len(chart.categories) * (bar + gap) + 34
        scale = (plot_right - plot_left) / top
        for value in ticks:
            x = plot_left + value * scale
            parts.append(f'<line x1="{x:.1f}" y1="{plot_top - 4}" x2="{x:.1f}" y2="{height - 28}" stroke="{GRID}" '
                         'stroke-width="1"/>')
            parts.append(f'<text x="{x:.1f}" y="{height - 12}" font-size="12" text-anchor="middle" '
                         f'fill="{TEXT}">{_number(value)}</text>')
        for index, category in enumerate(chart.categories):
            y = plot_top + index * (bar + gap)
            parts.append(f'<text x="{label_width}" y="{y + bar * 0.7:.1f}" font-size="14" text-anchor="end" '
                         f'fill="{TEXT}">{escape(_clip(category, 22))}</text>')
            x = plot_left
            for number, (_, values) in enumerate(chart.series):
                length = values[index] * scale
                if length > 0:
                    parts.append(f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar}" '
                                 f'fill="{PALETTE[number % len(PALETTE)]}"/>')
                x += length
            parts.append(f'<text x="{x + 6:.1f}" y="{y + bar * 0.7:.1f}" font-size="13" '
                         f'fill="{TEXT}">{_number(totals[index])}</text>')
    else:
        plot_left, plot_right = 40, width - 8
        plot_top = 14 + legend_rows * 22
        plot_bottom = plot_top + 200
        height = plot_bottom + 56
        slots = max(len(chart.categories), 1)
        slot = (plot_right - plot_left) / slots
        bar = max(min(slot * 0.7, 48), 2)
        scale = (plot_bottom - plot_top) / top
        for value in ticks:
            y = plot_bottom - value * scale
            parts.append(f'<line x1="{plot_left}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}" stroke="{GRID}" '
                         'stroke-width="1"/>')
            parts.append(f'<text x="{plot_left - 6}" y="{y + 4:.1f}" font-size="13" text-anchor="end" '
                         f'fill="{TEXT}">{_number(value)}</text>')
        every = max(1, -(-len(chart.categories) // 13))  # at most 13 labels along the bottom
        for index, category in enumerate(chart.categories):
            x = plot_left + index * slot + (slot - bar) / 2
            y = plot_bottom
            for number, (_, values) in enumerate(chart.series):
                length = values[index] * scale
                if length > 0:
                    y -= length
                    parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{length:.1f}" '
                                 f'fill="{PALETTE[number % len(PALETTE)]}"/>')
            if index % every == 0:
                cx = x + bar / 2
                parts.append(f'<text x="{cx:.1f}" y="{plot_bottom + 16}" font-size="13" text-anchor="end" '
                             f'transform="rotate(-35 {cx:.1f} {plot_bottom + 16})" '
                             f'fill="{TEXT}">{escape(_clip(category, 12))}</text>')
        parts.append(f'<line x1="{plot_left}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
                     f'stroke="{TEXT}" stroke-width="1"/>')
    if legend:
        for number, (name, _) in enumerate(chart.series):
            lx = 8 + (number % 2) * 236
            ly = 6 + (number // 2) * 22
            parts.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{PALETTE[number % len(PALETTE)]}"/>')
            parts.append(f'<text x="{lx + 20}" y="{ly + 12}" font-size="13" fill="{TEXT}">'
                         f'{escape(_clip(name, 28))}</text>')
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="assist-chart" '
            f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {width} {height:.0f}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" font-family="{FONT}">'
            f'<title id="{cid}-title">{escape(chart.title)}</title>'
            f'<desc id="{cid}-desc">{escape(chart.description)}</desc>')
    # bandit B704: every text in the SVG (title, description, labels, names) went through escape()
    return Markup(head + '<g aria-hidden="true">' + "".join(parts) + "</g></svg>")  # nosec B704
