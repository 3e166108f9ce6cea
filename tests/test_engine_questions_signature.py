"""Signature questions: a signature drawn on screen or a typed name, what is kept, what is refused, the
SVG of a drawing, the stamp of when and by whom, and a declaration's ``signature = true``."""

import json

import pytest

from assist.engine import DefinitionError, Journey, display_answer, load_form, parse_answer, raw_from_value
from assist.engine import signature_svg, stamp_signatures


def write(tmp_path, body, page_title=""):
    path = tmp_path / "f.toml"
    label = "" if body.startswith("label") or "\nlabel" in body.split("[[")[0] else 'label = "Question?"\n'
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "p"\n{page_title}'
                    f'[[pages.questions]]\nid = "q"\n{label}{body}\n', encoding="utf-8")
    return path


@pytest.fixture
def q(tmp_path):
    return load_form(write(tmp_path, 'type = "signature"')).question("q")


def drawing(strokes, width=600, height=200, **extra):
    return json.dumps({"width": width, "height": height, "strokes": strokes, **extra})


def answer(question, strokes=None, typed=None):
    raw = {}
    if strokes is not None:
        raw["q-strokes"] = strokes
    if typed is not None:
        raw["q-typed"] = typed
    value, errors = parse_answer(question, raw)
    return value, {name: message.render() for name, message in errors.items()}


REQUIRED = {"q-typed": "Sign in the box, or type your full name"}
INVALID = {"q-strokes": "Your signature could not be saved. Clear it and sign again, or type your full name"}
TOO_COMPLEX = {"q-strokes": "Your signature has too many lines to save. Clear it and sign again, "
                            "or type your full name"}


def test_a_drawing_is_kept_with_its_coordinates_rounded_to_one_decimal(q):
    value, errors = answer(q, drawing([[[10.04, 20.06], [30.55, 40]], [[100, 150.123]]], width=598.5))
    assert errors == {}
    assert value == {"strokes": [[[10.0, 20.1], [30.6, 40.0]], [[100.0, 150.1]]], "width": 598.5, "height": 200.0}


def test_a_typed_name_is_kept_cleaned_and_used_even_beside_a_drawing(q):
    assert answer(q, typed="  Jane \u200b  Smith ") == ({"typed": "Jane Smith"}, {})
    assert answer(q, drawing([[[1, 1], [2, 2]]]), "Jane Smith") == ({"typed": "Jane Smith"}, {})


def test_a_typed_name_over_100_characters_is_refused(q):
    assert answer(q, typed="J" * 100)[0] == {"typed": "J" * 100}
    assert answer(q, typed="J" * 101) == (None, {"q-typed": "Your full name must be 100 characters or less"})


@pytest.mark.parametrize("strokes", ["", "   ", drawing([]), drawing([[[5, 5]]])])
def test_nothing_drawn_or_a_single_tap_and_no_name_is_the_required_error(q, strokes):
    assert answer(q, strokes, "  ") == (None, REQUIRED)


def test_the_form_can_word_the_required_error_and_an_optional_signature_can_be_left(tmp_path):
    own = load_form(write(tmp_path, 'type = "signature"\nerrors = { required = "Sign to apply" }')).question("q")
    assert answer(own) == (None, {"q-typed": "Sign to apply"})
    optional = load_form(write(tmp_path, 'type = "signature"\noptional = true')).question("q")
    assert answer(optional, "", "") == (None, {})


HOSTILE = [
    "not json", "[1, 2]", '"a string"', "null", "{}", "{'width': 600}",
    drawing([[["1", "2"], [3, 4]]]),                              # numbers as strings
    '{"width": 600, "height": 200, "strokes": [[[NaN, 1], [2, 3]]]}',
    '{"width": 600, "height": 200, "strokes": [[[Infinity, 1], [2, 3]]]}',
    drawing([[[1e400, 1], [2, 3]]]),                              # read as infinity
    '{"width": 600, "height": 200, "strokes": [[[1' + "0" * 500 + ', 1], [2, 3]]]}',  # a huge whole number
    '{"width": 600, "height": 200, "strokes": [[[1' + "0" * 5000 + ', 1], [2, 3]]]}',  # too long to read
    drawing([[[True, 1], [2, 3]]]),
    drawing([[[None, 1], [2, 3]]]),
    drawing([[{"x": 1, "y": 2}, [3, 4]]]),                         # nested objects
    drawing([[[[1, 2]], [3, 4]]]),
    drawing([[[1, 2, 3], [3, 4]]]),
    drawing([[[1], [3, 4]]]),
    drawing([[]]), drawing([5]), drawing({"a": 1}), drawing("strokes"),
    drawing([[[601, 1], [2, 3]]]), drawing([[[-0.5, 1], [2, 3]]]), drawing([[[1, 201], [2, 3]]]),
    drawing([[[1, 1], [2, 2]]], width=-600), drawing([[[1, 1], [2, 2]]], width=99),
    drawing([[[1, 1], [2, 2]]], height=2001), drawing([[[1, 1], [2, 2]]], width="600"),
    drawing([[[1, 1], [2, 2]]], colour="</svg><script>alert(1)</script>"),  # an extra key
    "</svg><script>alert(1)</script>",
    '{"width": 600, "height": 200, "strokes": "</svg><script>alert(1)</script>"}',
    "[" * 5000 + "]" * 5000,
]


@pytest.mark.parametrize("strokes", HOSTILE)
def test_malformed_or_hostile_drawings_get_a_clean_error_never_an_exception(q, strokes):
    assert answer(q, strokes) == (None, INVALID)


@pytest.mark.parametrize("strokes", [
    drawing([[[1, 1], [2, 2]]] * 51),                              # more than 50 strokes
    drawing([[[1, 1]] * 1000, [[2, 2]] * 1001]),                     # more than 2000 points in all
    drawing([[[1, 1], [2, 2]]] * 40000),                           # a huge array
    "[" * 100000,
])
def test_too_many_strokes_or_points_is_refused(q, strokes):
    assert answer(q, strokes) == (None, TOO_COMPLEX)


def test_the_limits_themselves_are_accepted(q):
    value, errors = answer(q, drawing([[[1, 1]] * 40] * 50, width=2000, height=100))
    assert errors == {} and len(value["strokes"]) == 50 and value["width"] == 2000
    assert answer(q, drawing([[[0, 0]] * 1000, [[600, 200]] * 1000]))[1] == {}


def test_a_stored_signature_fills_the_page_again_and_parses_back_to_itself(q):
    for value in (answer(q, drawing([[[10.5, 20], [30, 40]]]))[0], {"typed": "Jane Smith"}):
        raw = raw_from_value(q, value)
        assert set(raw) == {"q-strokes", "q-typed"}
        assert parse_answer(q, raw) == (value, {})
    assert json.loads(raw_from_value(q, answer(q, drawing([[[10.5, 20], [30, 40]]]))[0])["q-strokes"]) == {
        "width": 600.0, "height": 200.0, "strokes": [[[10.5, 20.0], [30.0, 40.0]]]}


def test_check_answers_text_says_signed_on_screen_or_the_typed_name_translated(q):
    drawn = answer(q, drawing([[[1, 1], [2, 2]]]))[0]
    assert display_answer(q, drawn) == "Signed on screen"
    assert display_answer(q, {"typed": "Jane Smith"}) == "Typed name: Jane Smith"
    welsh = {"Signed on screen": "Wedi llofnodi ar y sgrin", "Typed name: {name}": "Enw wedi’i deipio: {name}"}
    assert display_answer(q, drawn, gettext=lambda s: welsh.get(s, s)) == "Wedi llofnodi ar y sgrin"
    assert display_answer(q, {"typed": "{0} {name}"}, gettext=lambda s: welsh.get(s, s)) == "Enw wedi’i deipio: {0} {name}"
    for strange in (5, "garbage", ["x"], {}, {"strokes": "x"}, True):
        assert isinstance(display_answer(q, strange), str)
        assert isinstance(raw_from_value(q, strange), dict)


def test_the_svg_draws_one_black_path_per_stroke_in_the_drawing_area(q):
    svg = signature_svg(answer(q, drawing([[[10, 20], [30, 40.25]], [[50, 60]]]))[0])
    assert svg.startswith("<svg ") and 'viewBox="0 0 600.0 200.0"' in svg
    assert 'role="img"' in svg and 'aria-label="Signature"' in svg and "<title>Signature</title>" in svg
    assert '<path d="M10.0 20.0 L30.0 40.2"/>' in svg or '<path d="M10.0 20.0 L30.0 40.3"/>' in svg
    assert '<path d="M50.0 60.0 L50.0 60.0"/>' in svg  # a dot
    assert 'stroke="#000000"' in svg and 'fill="none"' in svg


@pytest.mark.parametrize("stored", [
    {"width": "600\"><script>alert(1)</script>", "height": 200, "strokes": [[[1, 2], [3, 4]]]},
    {"width": 600, "height": 200, "strokes": [[["1\"/><script>", 2], [3, 4]]]},
    {"width": 600, "height": 200, "strokes": "<script>"},
    {"typed": "</svg><script>alert(1)</script>"},
    {"width": float("nan"), "height": 200, "strokes": []},
    "</svg><script>", None, 5, [],
])
def test_no_stored_text_ever_gets_into_the_svg(stored):
    svg = signature_svg(stored)
    assert svg == ""


def test_the_svg_holds_only_its_own_markup_and_numbers():
    stored = {"width": 600, "height": 200, "strokes": [[[1, 2], [3, 4]]], "signed_at": "<script>",
              "signed_by": "</svg><script>alert(1)</script>", "typed": ""}
    svg = signature_svg(stored)
    assert "script" not in svg and "alert" not in svg
    # Take away the fixed markup: only numbers, spaces and path letters are left.
    rest = svg
    for fixed in ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ', '" width="', '" height="',
                  '" role="img" aria-label="Signature"><title>Signature</title>',
                  '<g fill="none" stroke="#000000" stroke-width="2.5" stroke-linecap="round" '
                  'stroke-linejoin="round">', '<path d="', '"/>', "</g></svg>"):
        rest = rest.replace(fixed, " ")
    assert set(rest) <= set("0123456789. ML"), rest


def test_stamping_stamps_new_and_changed_signatures_and_keeps_old_stamps(tmp_path):
    form = load_form(write(tmp_path, 'type = "signature"\n[[pages.questions]]\nid = "r"\ntype = "signature"\n'
                                     'label = "Again"\n[[pages.questions]]\nid = "s"\ntype = "signature"\n'
                                     'label = "And again"\n[[pages.questions]]\nid = "t"\ntype = "text"\n'
                                     'label = "Text"', 'title = "Sign"\n'))
    questions = form.page("p").questions
    old = {"strokes": [[[1.0, 1.0], [2.0, 2.0]]], "width": 600.0, "height": 200.0,
           "signed_at": "2026-12-01T09:00:00Z", "signed_by": "helper"}
    stored = {"q": old, "r": {"typed": "Jane Smith", "signed_at": "2026-12-01T09:00:00Z", "signed_by": "resident"},
              "t": "hello"}
    values = {"q": {"strokes": [[[1.0, 1.0], [2.0, 2.0]]], "width": 600.0, "height": 200.0},  # the same drawing
              "r": {"typed": "Jane Smyth"},  # changed
              "s": {"typed": "Sam"},  # new
              "t": "hello"}
    stamped = stamp_signatures(questions, values, stored, at="2026-12-03T14:05:00Z", by="resident")
    assert stamped["q"] == old
    assert stamped["r"] == {"typed": "Jane Smyth", "signed_at": "2026-12-03T14:05:00Z", "signed_by": "resident"}
    assert stamped["s"] == {"typed": "Sam", "signed_at": "2026-12-03T14:05:00Z", "signed_by": "resident"}
    assert stamped["t"] == "hello"
    assert values["s"] == {"typed": "Sam"}  # the values given are left as they were
    # A stamped signature still counts as a valid answer.
    answers = {**stamped, "t": "hello"}
    assert Journey(form, answers).is_complete()


def test_stamping_leaves_empty_optional_signatures_alone(tmp_path):
    q = load_form(write(tmp_path, 'type = "signature"\noptional = true')).question("q")
    assert stamp_signatures([q], {"q": None}, {}, at="2026-12-03T14:05:00Z", by="helper") == {"q": None}


DECLARATION = ('type = "declaration"\nlabel = "Checking your information"\ntext = "We may check."\n'
               'checkbox_label = "I agree"\n')


def test_a_declaration_with_signature_true_adds_a_signature_question_after_it(tmp_path):
    form = load_form(write(tmp_path, DECLARATION + "signature = true\nprivate = true"))
    page = form.page("p")
    assert [(q.id, q.type) for q in page.questions] == [("q", "declaration"), ("q-signature", "signature")]
    signature = page.questions[1]
    assert signature.label == "Your signature" and not signature.optional and signature.private
    assert signature.field_names == ["q-signature-strokes", "q-signature-typed"]
    assert form.page_of("q-signature") is page and form.number_of("q-signature") == 2
    assert not Journey(form, {"q": True}).is_complete()
    assert Journey(form, {"q": True, "q-signature": {"typed": "Jane Smith"}}).is_complete()


def test_a_declaration_without_signature_has_none(tmp_path):
    assert [q.id for q in load_form(write(tmp_path, DECLARATION)).page("p").questions] == ["q"]
    assert [q.id for q in load_form(write(tmp_path, DECLARATION + "signature = false")).page("p").questions] == ["q"]


def problems(tmp_path, text):
    path = tmp_path / "f.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_form(path)
    return [f"{p.path}: {p.message}" for p in error.value.problems]


def test_signature_true_on_another_type_is_a_load_error_naming_the_path(tmp_path):
    found = problems(tmp_path, write(tmp_path, 'type = "text"\nsignature = true').read_text())
    assert len(found) == 1 and found[0].startswith("pages[0].questions[0].signature: unknown key 'signature'")
    assert problems(tmp_path, write(tmp_path, DECLARATION + 'signature = "yes"').read_text()) == [
        "pages[0].questions[0].signature: must be true or false"]


def test_signature_added_with_an_id_already_used_is_a_load_error(tmp_path):
    text = write(tmp_path, DECLARATION + 'signature = true\n[[pages.questions]]\nid = "q-signature"\n'
                                         'type = "text"\nlabel = "Other"', 'title = "Declaration"\n').read_text()
    assert problems(tmp_path, text) == ["pages[0].questions[1].id: duplicate question id 'q-signature' "
                                        "(the signature question of a declaration with signature = true)"]
    earlier = ('id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "a"\n[[pages.questions]]\nid = "q-signature"\n'
               'type = "text"\nlabel = "Other"\n[[pages]]\nid = "p"\n[[pages.questions]]\nid = "q"\n' + DECLARATION
               + "signature = true")
    assert problems(tmp_path, earlier) == [
        "pages[1].questions[0].signature: adds the question 'q-signature', but another question has that id"]
    inputs = ('id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "a"\n[[pages.questions]]\n'
              'id = "q-signature-typed"\ntype = "text"\nlabel = "Typed"\n[[pages]]\nid = "r"\n[[pages.questions]]\n'
              'id = "q"\n' + DECLARATION + "signature = true")
    assert problems(tmp_path, inputs) == [
        "pages[1].questions[0].signature: adds the input 'q-signature-typed', but another question uses that name"]


def test_no_signature_in_a_repeating_group(tmp_path):
    head = 'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "people"\nkind = "repeat"\ntitle = "People"\n' \
           'item_name = "person"\n[[pages.questions]]\nid = "q"\n'
    assert problems(tmp_path, head + DECLARATION + "signature = true") == [
        "pages[0].questions[0].signature: a signature cannot be in a repeating group"]
    assert problems(tmp_path, head + 'type = "signature"\nlabel = "Sign"') == [
        "pages[0].questions[0].type: a signature cannot be in a repeating group"]
