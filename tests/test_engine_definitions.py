"""Loading form files: good files load, and every mistake is reported with file, place and a suggestion."""

import textwrap

import pytest

from assist.engine import DefinitionError, check_forms, load_form, load_forms

HEAD = 'id = "{id}"\nversion = "2026.1"\ntitle = "{title}"\n'
PAGE = '''
[[pages]]
id = "{id}"
  [[pages.questions]]
  id = "{id}"
  type = "{type}"
  label = "Question {id}?"
'''


def write(tmp_path, body, name="demo", title="Demo form"):
    path = tmp_path / f"{name}.toml"
    path.write_text(HEAD.format(id=name, title=title) + textwrap.dedent(body), encoding="utf-8")
    return path


def problems(tmp_path, body):
    """The problems of a file, as the lines ``assist check-forms`` prints."""
    path = write(tmp_path, body)
    return [str(p).replace(str(path), "demo.toml") for p in check_forms([path])]


def test_a_good_form_loads_with_defaults(tmp_path):
    path = write(tmp_path, PAGE.format(id="name", type="name") + PAGE.format(id="age", type="number"))
    form = load_form(path)
    assert (form.id, form.version, form.title, form.source) == ("demo", "2026.1", "Demo form", path)
    assert [p.id for p in form.pages] == ["name", "age"]
    assert form.page("age").heading == "Question age?"
    assert form.question("age").options == {"whole": True, "min": None, "max": None, "unit": None}
    assert form.question("age").optional is False
    assert form.what_to_bring == [] and form.exits == {} and form.declaration is None


def test_all_form_keys_are_read(tmp_path):
    path = write(tmp_path, '''
        summary = "Para one.\\n\\nPara two."
        owner = "Parking services"
        sensitive = true
        what_to_bring = ["a photo"]
        retention_days = 365
        what_happens_next = "We will write to you."
        declaration = "I confirm."
        ''' + PAGE.format(id="name", type="name") + '''
        [[exits]]
        id = "no"
        title = "You cannot apply"
        body = "Because."
        next_steps = "Call us."
        ''')
    form = load_form(path)
    assert form.owner == "Parking services" and form.sensitive and form.retention_days == 365
    assert form.what_to_bring == ["a photo"] and form.declaration == "I confirm."
    assert form.exits["no"].next_steps == "Call us."


def test_load_forms_orders_by_title_and_reports_all_files(tmp_path):
    write(tmp_path, PAGE.format(id="a", type="text"), name="zebra", title="Apply for a zebra")
    write(tmp_path, PAGE.format(id="a", type="text"), name="aardvark", title="Register an aardvark")
    assert list(load_forms(tmp_path)) == ["zebra", "aardvark"]
    write(tmp_path, PAGE.format(id="a", type="radio"), name="bad1")
    write(tmp_path, PAGE.format(id="a", type="checkbox"), name="bad2")
    with pytest.raises(DefinitionError) as error:
        load_forms(tmp_path)
    assert [p.file.rsplit("/", 1)[-1] for p in error.value.problems] == ["bad1.toml", "bad2.toml"]
    assert "bad1.toml: pages[0].questions[0].type: unknown type 'radio'" in str(error.value)


def test_load_form_raises_with_every_problem(tmp_path):
    path = write(tmp_path, PAGE.format(id="Bad Id", type="radio"))
    with pytest.raises(DefinitionError) as error:
        load_form(path)
    assert len(error.value.problems) == 3  # page id, question id, type


def test_unknown_type_suggests_the_right_word(tmp_path):
    assert problems(tmp_path, PAGE.format(id="a", type="radio")) == [
        "demo.toml: pages[0].questions[0].type: unknown type 'radio' (did you mean 'choose_one'?)"]
    assert problems(tmp_path, PAGE.format(id="a", type="yesno")) == [
        "demo.toml: pages[0].questions[0].type: unknown type 'yesno' (did you mean 'yes_no'?)"]


def test_a_file_question_loads_and_its_kinds_are_checked(tmp_path):
    assert problems(tmp_path, PAGE.format(id="a", type="file")) == []
    found = problems(tmp_path, PAGE.format(id="a", type="file") + 'kinds = ["photo"]\n')
    assert found == ["demo.toml: pages[0].questions[0].kinds: unknown kind 'photo'; use some of: "
                     "document_photo, passport_photo, pdf"]
    found = problems(tmp_path, PAGE.format(id="a", type="file") + 'kinds = ["passport_photo"]\nmax_files = 2\n')
    assert found == ["demo.toml: pages[0].questions[0].max_files: a passport-style photo question takes one photo"]


def test_unknown_keys_are_errors_with_suggestions(tmp_path):
    found = problems(tmp_path, '''
        titel = "x"
        [[pages]]
        id = "a"
        secton = "About you"
          [[pages.questions]]
          id = "a"
          type = "text"
          lable = "A?"
          max_lenght = 5
        ''')
    assert found == [
        "demo.toml: titel: unknown key 'titel' (did you mean 'title'?)",
        "demo.toml: pages[0].secton: unknown key 'secton' (did you mean 'section'?)",
        "demo.toml: pages[0].questions[0].lable: unknown key 'lable' (did you mean 'label'?)",
        "demo.toml: pages[0].questions[0].max_lenght: unknown key 'max_lenght' (did you mean 'max_length'?)",
        "demo.toml: pages[0].questions[0].label: required but missing",
    ]


def test_wrong_kinds_of_value(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text(textwrap.dedent('''
        id = "demo"
        version = 2026
        title = ""
        sensitive = "yes"
        what_to_bring = "a photo"
        [[pages]]
        id = "a"
          [[pages.questions]]
          id = "a"
          type = "number"
          label = "A?"
          whole = 1
          min = "one"
        '''), encoding="utf-8")
    assert [f"{p.path}: {p.message}" for p in check_forms(path)] == [
        "version: must be text in quotes, not empty",
        "title: must be text in quotes, not empty",
        "sensitive: must be true or false",
        "what_to_bring: must be a list of text, like [\"a\", \"b\"]",
        "pages[0].questions[0].whole: must be true or false",
        "pages[0].questions[0].min: must be a number",
    ]


def test_required_keys(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text('[[pages]]\nid = "a"\n[[pages.questions]]\nid = "a"\n', encoding="utf-8")
    assert sorted(p.path for p in check_forms(path)) == [
        "id", "pages[0].questions[0].label", "pages[0].questions[0].type", "title", "version"]


def test_id_must_match_file_name(tmp_path):
    path = tmp_path / "blue-badge.toml"
    path.write_text(HEAD.format(id="bluebadge", title="T") + PAGE.format(id="a", type="text"), encoding="utf-8")
    assert [str(p) for p in check_forms(path)] == [f"{path}: id: must be the same as the file name: 'blue-badge'"]


def test_id_formats(tmp_path):
    found = problems(tmp_path, PAGE.format(id="Full_Name", type="text"))
    assert found == [
        "demo.toml: pages[0].id: must be lowercase letters, digits and single hyphens, like 'date-of-birth'",
        "demo.toml: pages[0].questions[0].id: "
        "must be lowercase letters, digits and single hyphens, like 'date-of-birth'",
    ]


def test_duplicate_ids_across_pages_and_repeats(tmp_path):
    found = problems(tmp_path, PAGE.format(id="a", type="text") + PAGE.format(id="a", type="text") + '''
        [[pages]]
        id = "people"
        kind = "repeat"
        title = "People"
        item_name = "person"
          [[pages.questions]]
          id = "a"
          type = "text"
          label = "Name"
        ''')
    assert found == [
        "demo.toml: pages[1].id: duplicate page id 'a'",
        "demo.toml: pages[1].questions[0].id: duplicate question id 'a'",
        "demo.toml: pages[2].questions[0].id: duplicate question id 'a'",
    ]


def test_input_names_must_not_clash(tmp_path):
    found = problems(tmp_path, '''
        [[pages]]
        id = "p"
        title = "When"
          [[pages.questions]]
          id = "when"
          type = "date"
          label = "When?"
          [[pages.questions]]
          id = "when-day"
          type = "text"
          label = "Which day?"
        ''')
    assert found == ["demo.toml: pages[0].questions[1].id: input name 'when-day' is used by another question"]


def test_several_questions_on_a_page_need_a_title(tmp_path):
    found = problems(tmp_path, '''
        [[pages]]
        id = "p"
          [[pages.questions]]
          id = "a"
          type = "text"
          label = "A?"
          [[pages.questions]]
          id = "b"
          type = "text"
          label = "B?"
        ''')
    assert found == ["demo.toml: pages[0].title: required when a page has more than one question"]


def test_empty_form_and_empty_page(tmp_path):
    assert problems(tmp_path, "pages = []\n") == ["demo.toml: pages: a form needs at least one page"]
    assert problems(tmp_path, '[[pages]]\nid = "p"\nquestions = []\n') == [
        "demo.toml: pages[0].questions: a page needs at least one question"]


def test_type_options_checked(tmp_path):
    found = problems(tmp_path, '''
        [[pages]]
        id = "p"
          [[pages.questions]]
          id = "p"
          type = "choose_one"
          label = "P?"
          control = "radio"
          options = [{ value = "a", label = "A" }, { value = "a", lable = "B" }]
        [[pages]]
        id = "d"
          [[pages.questions]]
          id = "d"
          type = "date"
          label = "D?"
          past_only = true
          future_only = true
          min_age = 18
        [[pages]]
        id = "n"
          [[pages.questions]]
          id = "n"
          type = "name"
          label = "N?"
          parts = "first-last"
        [[pages]]
        id = "e"
          [[pages.questions]]
          id = "e"
          type = "choose_many"
          label = "E?"
        ''')
    assert found == [
        "demo.toml: pages[0].questions[0].control: unknown value 'radio' (did you mean 'radios'?); "
        "use one of: radios, select, autocomplete",
        "demo.toml: pages[0].questions[0].options[1].lable: unknown key 'lable' (did you mean 'label'?)",
        "demo.toml: pages[0].questions[0].options[1].label: required, as text",
        "demo.toml: pages[0].questions[0].options[1].value: duplicate option value 'a'",
        "demo.toml: pages[1].questions[0].future_only: cannot be used with past_only",
        "demo.toml: pages[1].questions[0].min_age: only allowed with date_of_birth = true",
        "demo.toml: pages[2].questions[0].parts: unknown value 'first-last' (did you mean 'first_last'?); "
        "use one of: full, first_last",
        "demo.toml: pages[3].questions[0].options: must list at least one option",
    ]


def test_error_overrides_must_use_known_codes(tmp_path):
    found = problems(tmp_path, '''
        [[pages]]
        id = "p"
          [[pages.questions]]
          id = "p"
          type = "email"
          label = "Email?"
          errors = { requierd = "Enter your email", invalid = "" }
        ''')
    assert found == [
        "demo.toml: pages[0].questions[0].errors.requierd: unknown error 'requierd' for type 'email' "
        "(did you mean 'required'?); use one of: required, invalid",
        "demo.toml: pages[0].questions[0].errors.invalid: must be text in quotes, not empty",
    ]


ROUTED = '''
[[pages]]
id = "a"
  [[pages.questions]]
  id = "a"
  type = "yes_no"
  label = "A?"
  [[pages.routes]]
  if = "{value}"
  {target}
''' + PAGE.format(id="b", type="text") + PAGE.format(id="c", type="text") + '''
[[exits]]
id = "stop"
title = "You cannot apply"
'''


@pytest.mark.parametrize("value, target, expected", [
    ("no", 'goto = "c"', []),
    ("no", 'goto = "check-answers"', []),
    ("no", 'exit = "stop"', []),
    ("No", 'goto = "c"', ["pages[0].routes[0].if: 'No' is not an option of this question (did you mean 'no'?)"]),
    ("no", 'goto = "d"', ["pages[0].routes[0].goto: no page 'd'"]),
    ("no", 'goto = "check-answer"',
     ["pages[0].routes[0].goto: no page 'check-answer' (did you mean 'check-answers'?)"]),
    ("no", 'goto = "a"', ["pages[0].routes[0].goto: 'a' must be a later page (routes can only go forward)"]),
    ("no", 'exit = "stpo"', ["pages[0].routes[0].exit: no exit 'stpo' (did you mean 'stop'?)"]),
    ("no", "", ["pages[0].routes[0]: needs one of 'goto' or 'exit'"]),
    ("no", 'goto = "c"\n  exit = "stop"', ["pages[0].routes[0]: needs one of 'goto' or 'exit'"]),
])
def test_routes(tmp_path, value, target, expected):
    path = write(tmp_path, ROUTED.format(value=value, target=target))
    assert [f"{p.path}: {p.message}" for p in check_forms(path)] == expected


def test_routes_backwards_from_a_later_page(tmp_path):
    found = problems(tmp_path, PAGE.format(id="a", type="text") + '''
        [[pages]]
        id = "b"
          [[pages.questions]]
          id = "b"
          type = "yes_no"
          label = "B?"
          [[pages.routes]]
          if = "yes"
          goto = "a"
        ''')
    assert found == ["demo.toml: pages[1].routes[0].goto: 'a' must be a later page (routes can only go forward)"]


def test_routes_only_on_single_choice_questions(tmp_path):
    found = problems(tmp_path, PAGE.format(id="a", type="text") + '''
          [[pages.routes]]
          if = "x"
          goto = "b"
        ''' + PAGE.format(id="b", type="text"))
    assert found == ["demo.toml: pages[0].routes[0].if: if = \"<answer>\" works on a page with one yes_no or "
                     "choose_one question; here use a condition table, like if = { question = \"id\", "
                     "includes = \"none\" }"]


def test_duplicate_route_values(tmp_path):
    found = problems(tmp_path, ROUTED.format(value="no", target='goto = "c"') .replace(
        '[[pages]]\nid = "b"', '  [[pages.routes]]\n  if = "no"\n  goto = "b"\n[[pages]]\nid = "b"', 1))
    assert found == ["demo.toml: pages[0].routes[1].if: there is already a route for 'no'"]


CONDITIONED = '''
[[pages]]
id = "a"
  [[pages.questions]]
  id = "a"
  type = "choose_many"
  label = "A?"
  options = [{{ value = "x", label = "X" }}, {{ value = "y", label = "Y" }}]
[[pages]]
id = "b"
show_if = {condition}
  [[pages.questions]]
  id = "b"
  type = "yes_no"
  label = "B?"
''' + PAGE.format(id="c", type="text")


@pytest.mark.parametrize("condition, expected", [
    ('{ question = "a", includes = "x" }', []),
    ('{ question = "a", includes = "z" }', ["pages[1].show_if.includes: 'z' is not an option of 'a'"]),
    ('{ question = "a", equals = "x" }',
     ["pages[1].show_if.equals: 'equals' cannot test 'a' (a choose_many question); 'equals' is for yes_no "
      "and choose_one questions; for tick boxes use includes or excludes"]),
    ('{ question = "b", equals = "yes" }', ["pages[1].show_if.question: 'b' must be a question on an earlier page"]),
    ('{ question = "c", equals = "yes" }', ["pages[1].show_if.question: 'c' must be a question on an earlier page"]),
    ('{ question = "aa", includes = "x" }', ["pages[1].show_if.question: no question 'aa' (did you mean 'a'?)"]),
    ('{ question = "a" }', ["pages[1].show_if: needs exactly one test, one of: "
      "equals, not_equals, any_of, none_of, includes, excludes, at_least, at_most, more_than, less_than, before, after, on_or_before, on_or_after, age_at_least, age_under, answered"]),
    ('{ question = "a", includes = "x", equals = "y" }',
     ["pages[1].show_if: needs exactly one test, one of: "
      "equals, not_equals, any_of, none_of, includes, excludes, at_least, at_most, more_than, less_than, before, after, on_or_before, on_or_after, age_at_least, age_under, answered"]),
    ('{ question = "a", include = "x" }', [
        "pages[1].show_if.include: unknown key 'include' (did you mean 'includes'?)",
        "pages[1].show_if: needs exactly one test, one of: "
      "equals, not_equals, any_of, none_of, includes, excludes, at_least, at_most, more_than, less_than, before, after, on_or_before, on_or_after, age_at_least, age_under, answered"]),
])
def test_show_if(tmp_path, condition, expected):
    path = write(tmp_path, CONDITIONED.format(condition=condition))
    assert [f"{p.path}: {p.message}" for p in check_forms(path)] == expected


def test_show_if_needs_a_choice_question(tmp_path):
    found = problems(tmp_path, PAGE.format(id="a", type="text") + '''
        [[pages]]
        id = "b"
        show_if = { question = "a", any_of = ["x"] }
          [[pages.questions]]
          id = "b"
          type = "text"
          label = "B?"
        ''')
    assert found == [
        "demo.toml: pages[1].show_if.any_of: 'any_of' cannot test 'a' (a text question); 'any_of' is for "
        "yes_no and choose_one questions; any question can be tested with answered = true"]


REPEAT = '''
[[pages]]
id = "people"
kind = "repeat"
{extra}
  [[pages.questions]]
  id = "person"
  type = "text"
  label = "Name"
'''


@pytest.mark.parametrize("extra, expected", [
    ('title = "People"\nitem_name = "person"\nmin = 1\nmax = 3', []),
    ('title = "People"\nitem_name = "person"\nmin = 4\nmax = 3', ["pages[0].min: must not be more than max (3)"]),
    ('title = "People"\nitem_name = "person"\nmax = 0', ["pages[0].max: must be 1 or more"]),
    ('title = "People"\nitem_name = "person"\nmin = -1', ["pages[0].min: must be 0 or more"]),
    ('item_name = "person"', ['pages[0].title: required for a repeating group (kind = "repeat")']),
    ('title = "People"', ['pages[0].item_name: required for a repeating group (kind = "repeat")']),
])
def test_repeats(tmp_path, extra, expected):
    path = write(tmp_path, REPEAT.format(extra=extra))
    assert [f"{p.path}: {p.message}" for p in check_forms(path)] == expected


def test_repeat_settings_only_on_repeats(tmp_path):
    found = problems(tmp_path, PAGE.format(id="a", type="text").replace('id = "a"\n', 'id = "a"\nmax = 3\n', 1))
    assert found == ['demo.toml: pages[0].max: only for repeating groups (kind = "repeat")']


def test_repeat_loads_with_default_limits(tmp_path):
    form = load_form(write(tmp_path, REPEAT.format(extra='title = "People"\nitem_name = "person"')))
    page = form.page("people")
    assert (page.kind, page.min, page.max, page.item_name) == ("repeat", 0, 10, "person")
    assert form.question("person").label == "Name"


def test_toml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text('id = "demo"\nversion = "1"\ntitle = "Broken\n', encoding="utf-8")
    [problem] = check_forms(path)
    assert problem.path.startswith("line 3, column ")
    assert problem.message.startswith("not valid TOML: ")
    assert str(problem).startswith(f"{path}: line 3, column ")


def test_big_and_unreadable_files(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * 110_000)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('title = "Caf\xe9"'.encode("latin-1"))
    found = {p.file.rsplit("/", 1)[-1]: p.message for p in check_forms([big, latin, tmp_path / "missing.toml"])}
    assert found["big.toml"].startswith("file is too large (more than 1 MB)")
    assert found["latin.toml"] == "the file is not saved as UTF-8 text"
    assert found["missing.toml"].startswith("cannot read the file")


def test_check_forms_takes_files_and_directories(tmp_path):
    write(tmp_path, PAGE.format(id="a", type="radio"), name="one")
    other = tmp_path / "more"
    other.mkdir()
    write(other, PAGE.format(id="a", type="radoi"), name="two")
    found = check_forms([tmp_path / "one.toml", other])
    assert [p.file.rsplit("/", 1)[-1] for p in found] == ["one.toml", "two.toml"]
    assert check_forms([tmp_path / "more" / "nothing-here"]) != []


def test_page_key_written_after_the_questions_gets_a_hint(tmp_path):
    found = problems(tmp_path, PAGE.format(id="a", type="text") + 'section = "About you"\n')
    assert found == ["demo.toml: pages[0].questions[0].section: unknown key 'section'; "
                     "if 'section' is for the page, put it before the page's first [[pages.questions]]"]
