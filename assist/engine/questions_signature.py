"""The signature question type: a signature drawn on screen (finger, stylus or mouse), or a typed name.

Raw inputs: ``<id>-strokes``, written by the page's script, and ``<id>-typed``, a typed full name for
anyone who cannot or would rather not draw. ``<id>-strokes`` is JSON::

    {"width": 600, "height": 200, "strokes": [[[12.5, 40], [13.1, 41.7], ...], ...]}

``width`` and ``height`` are the size of the drawing area in its own coordinate space (CSS pixels,
100 to 2000); each stroke is a list of ``[x, y]`` points inside it, at most 50 strokes and 2000
points in all. Anything else is refused with an error, never an exception.

Stored value: ``{"strokes": [...], "width": w, "height": h}`` (coordinates rounded to 1 decimal)
or ``{"typed": "Jane Smith"}``. The web layer adds ``"signed_at"`` (ISO 8601 UTC) and
``"signed_by"`` (``"resident"`` or ``"helper"``) with :func:`stamp_signatures`.
"""

from __future__ import annotations

import json
import math

from .messages import N_
from .questions_base import QuestionType

MAX_STROKES = 50
MAX_POINTS = 2000
#: Fewer points than this in all is no signature (a tap, a slip of the finger).
MIN_POINTS = 2
SIZE_RANGE = (100, 2000)
TYPED_LENGTH = 100
#: The longest strokes JSON read: 2000 points written out in full, and some room.
MAX_JSON = 64_000
#: Keys the web layer adds to a stored signature; not part of what was drawn or typed.
STAMP_KEYS = ("signed_at", "signed_by")
SIGNED_ON_SCREEN = N_("Signed on screen")
TYPED_NAME = N_("Typed name: {name}")


class _Refused(ValueError):
    """The strokes JSON is not a drawing; ``code`` is the error to show."""

    def __init__(self, code: str = "invalid"):
        super().__init__(code)
        self.code = code


def _refuse_constant(name: str):
    raise _Refused()  # NaN, Infinity, -Infinity


def _number(value, low: float, high: float) -> float:
    """``value`` as a finite number from ``low`` to ``high``, rounded to 1 decimal."""
    # (NaN fails the comparison; a huge whole number is compared without turning it into a float.)
    if type(value) not in (int, float) or not low <= value <= high:
        raise _Refused()
    return round(float(value), 1)


def parse_strokes(text: str) -> dict | None:
    """The drawing in the strokes JSON ``text``: ``{"strokes", "width", "height"}``, or ``None``
    when nothing (or next to nothing) was drawn. Raises :class:`_Refused` for anything else."""
    if not text:
        return None
    if len(text) > MAX_JSON:
        raise _Refused("too_complex")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # not JSON, numbers too long to read, nested too deeply
        raise _Refused() from None
    if not isinstance(data, dict) or set(data) != {"width", "height", "strokes"}:
        raise _Refused()
    width, height = (_number(data[key], *SIZE_RANGE) for key in ("width", "height"))
    strokes = data["strokes"]
    if not isinstance(strokes, list):
        raise _Refused()
    if len(strokes) > MAX_STROKES:
        raise _Refused("too_complex")
    kept, count = [], 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise _Refused()
        count += len(stroke)
        if count > MAX_POINTS:
            raise _Refused("too_complex")
        points = []
        for point in stroke:
            if not isinstance(point, list) or len(point) != 2:
                raise _Refused()
            points.append([_number(point[0], 0, width), _number(point[1], 0, height)])
        kept.append(points)
    if count < MIN_POINTS:
        return None
    return {"strokes": kept, "width": width, "height": height}


def strokes_json(value: dict) -> str:
    """The strokes JSON of a stored drawing (what the page's script reads back)."""
    return json.dumps({"width": value["width"], "height": value["height"], "strokes": value["strokes"]},
                      separators=(",", ":"))


def without_stamp(value):
    """A stored signature without the keys the web layer added (what was drawn or typed)."""
    if isinstance(value, dict):
        return {key: item for key, item in value.items() if key not in STAMP_KEYS}
    return value


def display_signature(value, translate=lambda text: text) -> str:
    """A stored signature for people: "Signed on screen", or "Typed name: Jane Smith"."""
    if isinstance(value, dict) and isinstance(value.get("typed"), str) and value["typed"]:
        return translate(TYPED_NAME).replace("{name}", value["typed"])
    if isinstance(value, dict) and value.get("strokes"):
        return translate(SIGNED_ON_SCREEN)
    return str(value)


class Signature(QuestionType):
    """A signature drawn on screen, or a typed full name; see the module's docstring."""

    type = "signature"
    messages = {
        "required": N_("Sign in the box, or type your full name"),
        "invalid": N_("Your signature could not be saved. Clear it and sign again, or type your full name"),
        "too_complex": N_("Your signature has too many lines to save. Clear it and sign again, "
                          "or type your full name"),
        "too_long": N_("Your full name must be {max_length} characters or less"),
    }
    default_name = N_("your signature")
    suffixes = ("strokes", "typed")

    def parse(self, question, raw):
        strokes_field, typed_field = self.field_names(question)
        typed = raw.text(typed_field)
        if typed:
            if len(typed) > TYPED_LENGTH:
                return self.fail(question, "too_long", typed_field, max_length=TYPED_LENGTH)
            return {"typed": typed}, {}
        try:
            drawing = parse_strokes(raw.text(strokes_field))
        except _Refused as refused:
            return self.fail(question, refused.code, strokes_field)
        if drawing is None:
            return self.missing(question, typed_field)
        return drawing, {}

    def to_raw(self, question, value):
        strokes_field, typed_field = self.field_names(question)
        if value.get("typed"):
            return {strokes_field: "", typed_field: str(value["typed"])}
        return {strokes_field: strokes_json(value), typed_field: ""}

    def display(self, question, value):
        return display_signature(value)


def stamp_signatures(questions, values: dict, stored: dict | None, at: str, by: str) -> dict:
    """``values`` (parsed answers by question id) with ``signed_at`` = ``at`` and ``signed_by`` = ``by``
    added to each signature answer that is new or changed since ``stored`` (the answers kept so far);
    a signature the same as the stored one keeps its stamp."""
    stored = stored or {}
    stamped = dict(values)
    for question in questions:
        value = values.get(question.id)
        if question.type != "signature" or not isinstance(value, dict):
            continue
        before = stored.get(question.id)
        if (isinstance(before, dict) and all(key in before for key in STAMP_KEYS)
                and without_stamp(before) == without_stamp(value)):
            stamped[question.id] = dict(before)
        else:
            stamped[question.id] = {**without_stamp(value), "signed_at": at, "signed_by": by}
    return stamped


def _coordinates(value) -> tuple[float, float, list[list[tuple[float, float]]]] | None:
    """Width, height and strokes of a stored drawing, as floats only; ``None`` if it is not one."""
    try:
        width, height = float(value["width"]), float(value["height"])
        strokes = [[(float(x), float(y)) for x, y in stroke] for stroke in value["strokes"]]
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    numbers = [width, height] + [n for stroke in strokes for point in stroke for n in point]
    if not all(math.isfinite(n) for n in numbers) or width <= 0 or height <= 0:
        return None
    return width, height, strokes


def signature_svg(value) -> str:
    """A stored drawing as an SVG document (one black ``<path>`` per stroke), or "" if ``value`` is
    not a drawing. Only numbers written with ``%.1f`` go into it, so no stored text can add markup."""
    found = _coordinates(value) if isinstance(value, dict) else None
    if found is None:
        return ""
    width, height, strokes = found
    paths = []
    for stroke in strokes:
        if not stroke:
            continue
        # A single point is a dot: a line of no length, drawn with round ends.
        points = stroke if len(stroke) > 1 else stroke * 2
        d = "M" + " L".join("%.1f %.1f" % point for point in points)
        paths.append(f'<path d="{d}"/>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.1f %.1f" width="%.1f" height="%.1f" '
            'role="img" aria-label="Signature"><title>Signature</title>'
            '<g fill="none" stroke="#000000" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round">'
            % (width, height, width, height)) + "".join(paths) + "</g></svg>"
