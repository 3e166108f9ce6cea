"""The accessibility checks run on every page the browser suite visits: axe-core's WCAG A and AA rules,
a page title of its own, reflow at 320 px and at 200% zoom, and touch target sizes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from playwright.sync_api import expect

from accessibility_report import CHECKED
from assist.web.site.accessibility import AXE_TAGS, EXEMPTIONS

ROOT = Path(__file__).resolve().parents[1]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: CSS widths where nothing may scroll sideways: a 320 px phone (WCAG 1.4.10), and a 1280 px screen at 200% zoom.
REFLOW_WIDTHS = (320, 640)

#: axe-core's violations of the WCAG A and AA rules, less the nodes an exemption covers.
_RUN_AXE = """async ([tags, exemptions]) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  const exempt = (rule, node) => exemptions.some(e => e.rule === rule && node.failureSummary.includes(e.message) &&
    node.target.length === 1 && document.querySelector(node.target[0])?.matches(e.selector))
  return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.filter(n => !exempt(v.id, n))
    .map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' '))})).filter(v => v.nodes.length)
}"""

#: Controls a person taps, with their size; links in running text are exempt (WCAG 2.5.8 "inline").
_TARGETS = """min => {
  const small = []
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!el.checkVisibility({visibilityProperty: true}) || el.closest('[hidden], dialog:not([open])')) continue
    const box = el.getBoundingClientRect()
    if (box.width <= 1 && box.height <= 1) continue  // visually hidden until focused (the skip link)
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') continue
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      small.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className} "${(el.innerText || el.value || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`)
    }
  }
  return small
}"""


#: The outermost elements that stick out of a ``width`` px viewport, on either side (right to left too).
_TOO_WIDE = """width => {
  const out = []
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect()
    if ((box.right > width + 0.5 || box.left < -0.5) && !out.some(o => o.contains(el))) out.push(el)
  }
  return out.slice(0, 6).map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().width)}px`)
}"""


@dataclass
class Checker:
    """Runs every check on pages in one language and remembers the titles it saw."""

    language: str
    kiosk: bool = False
    titles: dict = field(default_factory=dict)
    visited: set = field(default_factory=set)
    problems: list = field(default_factory=list)

    def check(self, page, page_type: str, detail: str = "") -> None:
        """Every check on the page now open in ``page``, recorded as ``page_type`` (and ``detail``);
        what fails is kept in ``problems``, so one run reports every page's problems."""
        page.wait_for_load_state()
        where = f"{page_type} {detail} [{self.language}] {page.url}"
        if page.locator("html").get_attribute("lang") != self.language:
            self.problems.append(f"{where}: page is not in {self.language}")
        self._check_title(page, page_type, detail, where)
        if not page.evaluate("typeof axe === 'object'"):
            page.evaluate(_axe_source())  # over CDP: the page's Content-Security-Policy does not apply
        violations = page.evaluate(_RUN_AXE, [list(AXE_TAGS), _EXEMPTIONS])
        if violations:
            self.problems.append(f"{where}: {json.dumps(violations, indent=1, ensure_ascii=False)}")
        smallest = 44 if self.kiosk else 24
        small = page.evaluate(_TARGETS, smallest)
        if small:
            self.problems.append(f"{where}: targets under {smallest}×{smallest} px: {small}")
        self._check_reflow(page, where)
        self._check_markup(page, where)
        self.visited.add(page_type)
        CHECKED.append([page_type, detail, self.language])

    def _check_title(self, page, page_type: str, detail: str, where: str) -> None:
        title = " ".join(page.title().split())
        heading = " ".join(page.locator("h1").first.inner_text().split()) if page.locator("h1").count() else ""
        named = title
        if page.locator(".govuk-error-summary").count():  # GOV.UK: "Error: " before the page's own title
            prefix, _, named = title.partition(": ")
            if not named or len(prefix.split()) > 1:
                self.problems.append(f"{where}: title {title!r} does not start by saying there is an error")
        # Meaningful: the title names the page as its main heading does.
        if not named or not heading or (heading not in named and named.split(" – ")[0] not in heading):
            self.problems.append(f"{where}: title {title!r} does not name the page {heading!r}")
        path = page.url.split("?")[0]
        earlier = self.titles.setdefault(title, path)
        if earlier != path:
            self.problems.append(f"{where}: same title {title!r} as {earlier}")

    def _check_markup(self, page, where: str) -> None:
        """Axe cannot see a tag printed as text: the page's rendered text must hold none."""
        from conftest import MARKUP_AS_TEXT

        shown = [match.group() for match in MARKUP_AS_TEXT.finditer(page.evaluate("document.body.innerText"))]
        if shown:
            self.problems.append(f"{where}: markup shown as text: {shown}")

    def _check_reflow(self, page, where: str) -> None:
        size = page.viewport_size
        for width in REFLOW_WIDTHS:
            page.set_viewport_size({"width": width, "height": size["height"]})
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                from conftest import screenshot

                self.problems.append(f"{where}: {wide} px wide at {width} px: scrolls sideways; too wide: "
                                     f"{page.evaluate(_TOO_WIDE, width)}")
                screenshot(page, f"reflow-{width}-{self.language}-{re.sub(r'[^a-z0-9]+', '-', where.split(' [')[0])}")
        page.set_viewport_size(size)

    def assert_no_problems(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)


_EXEMPTIONS = [{"rule": e.rule, "selector": e.selector, "message": e.message} for e in EXEMPTIONS]


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def new_context(browser, size=None, **options):
    """A browser profile at tablet size unless ``size`` is given."""
    return browser.new_context(viewport=size or {"width": 768, "height": 1024}, **options)


def check_error_summary(page, where: str) -> None:
    """The error summary has the focus, and each of its links moves the focus to its field."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    links = summary.locator(".govuk-error-summary__list a")
    assert links.count() >= 1, where
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert target.startswith("#") and page.locator(target).count() == 1, f"{where}: {target} goes nowhere"
        links.nth(index).click()
        expect(page.locator(target)).to_be_focused()
