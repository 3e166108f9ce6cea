"""A whole form by keyboard alone: Tab through each page, type, tick with Space, choose with the arrow keys,
press Enter on the page's button; every stop must show where the focus is and come in document order."""

from __future__ import annotations

from support import example_raw, exit_values, page_from_url

#: The focused element, where it is in the document, and whether focusing it changes how it looks.
_FOCUSED = """() => {
  const el = document.activeElement
  if (!el || el === document.body) return null
  const look = target => {
    const parts = [getComputedStyle(target)]
    if (target.matches('.govuk-radios__input, .govuk-checkboxes__input') && target.labels[0]) {
      parts.push(getComputedStyle(target.labels[0], '::before'), getComputedStyle(target.labels[0], '::after'))
    }
    return parts.map(s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
                            s.color, s.borderWidth, s.borderColor, s.textDecorationThickness].join('|')).join('/')
  }
  const focused = look(el)
  el.blur()
  const unfocused = look(el)
  el.focus({preventScroll: true})
  const box = el.getBoundingClientRect()
  return {
    index: [...document.querySelectorAll('*')].indexOf(el), tag: el.tagName.toLowerCase(), type: el.type || '',
    name: el.name || '', id: el.id, value: el.value || '', checked: !!el.checked,
    text: (el.innerText || '').trim().slice(0, 40),
    submit: el === document.querySelector('main form button.govuk-button'),
    visible: focused !== unfocused && box.width > 0 && box.height > 0,
  }
}"""

#: Every control a person must be able to reach in the page's main form (radios once per group).
_CONTROLS = """() => {
  const form = document.querySelector('main form')
  if (!form) return []
  const names = new Set()
  for (const el of form.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
    if (!el.checkVisibility()) continue
    names.add(el.type === 'radio' ? 'radio:' + el.name : el.id || el.name)
  }
  return [...names]
}"""


def _operate(page, stop: dict, raw: dict) -> dict:
    """Answer the focused control from ``raw`` with keys only; returns the control focused afterwards."""
    wanted = raw.get(stop["name"])
    if wanted is None:
        return stop
    if stop["type"] == "radio":
        page.keyboard.press("Space")
        for _ in range(30):
            if page.evaluate("document.activeElement.value") == wanted:
                break
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.checked"), f"could not choose {wanted} by keyboard"
    elif stop["type"] == "checkbox":
        if stop["value"] in (wanted if isinstance(wanted, list) else [wanted]) and not stop["checked"]:
            page.keyboard.press("Space")
    elif stop["tag"] == "select":
        page.keyboard.type(page.evaluate("v => document.activeElement.querySelector(`option[value='${v}']`).textContent",
                                         wanted))
    else:
        page.keyboard.insert_text(wanted)
    return page.evaluate(_FOCUSED)


def tab_to_button(page, raw: dict, where: str, max_stops: int = 120) -> None:
    """Tab through the page from the top, answering from ``raw``, then press Enter on the main button."""
    page.wait_for_load_state()
    expected = set(page.evaluate(_CONTROLS))
    reached, last = set(), -1
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUSED)
        assert stop is not None, f"{where}: Tab left the page before reaching its button"
        assert stop["visible"], f"{where}: no visible focus on {stop}"
        assert stop["index"] > last, f"{where}: focus went back up the page to {stop}"
        reached.add("radio:" + stop["name"] if stop["type"] == "radio" else stop["id"] or stop["name"])
        if stop["submit"]:
            assert expected <= reached, f"{where}: never reached {expected - reached}"
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        last = _operate(page, stop, raw)["index"]
    raise AssertionError(f"{where}: never reached the page's button")


def walk_form_by_keyboard(page, form, max_pages: int = 40) -> None:
    """From ``form``'s start page to its confirmation with the keyboard only."""
    tab_to_button(page, {}, f"{form.id} start")
    for _ in range(max_pages):
        page.wait_for_load_state()
        if page.url.endswith("/confirmation"):
            return
        if page.url.endswith("/check-answers"):
            tab_to_button(page, {}, f"{form.id} check answers")
            continue
        current, _number = page_from_url(form, page.url)
        raw: dict = {}
        for question in current.questions:
            raw.update(example_raw(question, exit_values(current)))
        tab_to_button(page, raw, f"{form.id}/{current.id}")
    raise AssertionError(f"{form.id}: never reached the confirmation by keyboard")
