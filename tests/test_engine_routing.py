"""Routing: the pages a resident is asked, exits, conditions, repeating groups and back links."""

import pytest

from assist.engine import Journey, load_form

FORM = '''
id = "badge"
version = "1"
title = "Apply for a badge"

[[pages]]
id = "intro"
  [[pages.questions]]
  id = "intro"
  type = "content"
  label = "Before you start"
  body = "Have your bill ready."

[[pages]]
id = "name"
  [[pages.questions]]
  id = "name"
  type = "name"
  label = "What is your name?"

[[pages]]
id = "resident"
  [[pages.questions]]
  id = "resident"
  type = "yes_no"
  label = "Do you live in the borough?"
  [[pages.routes]]
  if = "no"
  exit = "outside"

[[pages]]
id = "household-type"
  [[pages.questions]]
  id = "household-type"
  type = "choose_one"
  label = "Who do you live with?"
  options = [{ value = "alone", label = "Alone" }, { value = "others", label = "With other people" }]
  [[pages.routes]]
  if = "alone"
  goto = "phone"

[[pages]]
id = "household"
kind = "repeat"
title = "People you live with"
item_name = "person"
min = 1
max = 2
show_if = { question = "household-type", equals = "others" }
  [[pages.questions]]
  id = "person-name"
  type = "text"
  label = "Their name"
  [[pages.questions]]
  id = "person-age"
  type = "number"
  label = "Their age"

[[pages]]
id = "carer"
show_if = { question = "household-type", equals = "others" }
  [[pages.questions]]
  id = "carer"
  type = "yes_no"
  label = "Does one of them care for you?"

[[pages]]
id = "phone"
title = "Contact details"
  [[pages.questions]]
  id = "phone"
  type = "phone"
  label = "What is your phone number?"
  optional = true
  [[pages.questions]]
  id = "email"
  type = "email"
  label = "What is your email address?"
  optional = true

[[pages]]
id = "benefits"
  [[pages.questions]]
  id = "benefits"
  type = "choose_many"
  label = "Which benefits do you get?"
  options = [{ value = "pip", label = "PIP" }, { value = "dla", label = "DLA" }]
  none_option = { value = "none", label = "None of these" }

[[pages]]
id = "pip-rate"
show_if = { question = "benefits", includes = "pip" }
  [[pages.questions]]
  id = "pip-rate"
  type = "choose_one"
  label = "Which rate?"
  options = [{ value = "standard", label = "Standard" }, { value = "enhanced", label = "Enhanced" }]
  [[pages.routes]]
  if = "enhanced"
  goto = "check-answers"

[[pages]]
id = "more"
show_if = { question = "resident", not_equals = "no" }
  [[pages.questions]]
  id = "more"
  type = "long_text"
  label = "Tell us more"
  optional = true

[[exits]]
id = "outside"
title = "You cannot apply with this council"
body = "Apply to the council where you live."
'''

ALONE = {"intro": None, "name": "Jo Bloggs", "resident": "yes", "household-type": "alone", "phone": None,
         "email": None, "benefits": ["none"], "more": None}


@pytest.fixture
def form(tmp_path):
    path = tmp_path / "badge.toml"
    path.write_text(FORM, encoding="utf-8")
    return load_form(path)


def ids(pages):
    return [page.id for page in pages]


def step(result):
    kind, target = result
    return kind, getattr(target, "id", None)


def test_start_of_a_new_journey(form):
    journey = Journey(form, {})
    assert journey.first_page().id == "intro"
    assert ids(journey.path()) == ["intro"]
    assert journey.first_incomplete().id == "intro"
    assert not journey.is_complete()
    assert journey.previous_before("intro") is None
    assert step(journey.next_after("intro")) == ("page", "name")


def test_content_pages_count_as_answered_once_seen(form):
    journey = Journey(form, {"intro": None})
    assert journey.first_incomplete().id == "name"


def test_complete_route_skipping_the_household_pages(form):
    journey = Journey(form, ALONE)
    assert ids(journey.path()) == ["intro", "name", "resident", "household-type", "phone", "benefits", "more"]
    assert journey.is_complete()
    assert journey.first_incomplete() is None
    assert step(journey.next_after("household-type")) == ("page", "phone")
    assert step(journey.next_after("more")) == ("check", None)


def test_exit_page(form):
    journey = Journey(form, {**ALONE, "resident": "no"})
    assert step(journey.next_after("resident")) == ("exit", "outside")
    assert journey.exit().title == "You cannot apply with this council"
    assert not journey.is_complete()
    assert journey.first_incomplete().id == "resident"
    assert ids(journey.path()) == ["intro", "name", "resident"]


def test_answers_of_skipped_pages_are_dropped(form):
    answers = {**ALONE, "household": [{"person-name": "Al", "person-age": 40}], "carer": "yes"}
    relevant = Journey(form, answers).relevant_answers()
    assert "household" not in relevant and "carer" not in relevant
    assert relevant["name"] == "Jo Bloggs"


def test_show_if_and_repeats_on_the_other_branch(form):
    answers = {**ALONE, "household-type": "others"}
    journey = Journey(form, answers)
    assert step(journey.next_after("household-type")) == ("page", "household")
    assert journey.first_incomplete().id == "household"
    answers["household"] = [{"person-name": "Al", "person-age": 40}]
    journey = Journey(form, answers)
    assert journey.first_incomplete().id == "carer"
    answers["carer"] = "no"
    journey = Journey(form, answers)
    assert journey.is_complete()
    assert ids(journey.path())[4:6] == ["household", "carer"]
    assert journey.relevant_answers()["household"] == [{"person-name": "Al", "person-age": 40}]


@pytest.mark.parametrize("items, complete", [
    ([], False),                                              # min 1
    ([{"person-name": "Al", "person-age": 40}], True),
    ([{"person-name": "Al", "person-age": 40}] * 2, True),
    ([{"person-name": "Al", "person-age": 40}] * 3, False),   # max 2
    ([{"person-name": "Al"}], False),                         # an item with a missing answer
    ([{"person-name": "Al", "person-age": "forty"}], False),  # an item with an invalid answer
    ("not a list", False),
])
def test_repeat_min_max_and_valid_items(form, items, complete):
    answers = {**ALONE, "household-type": "others", "carer": "no", "household": items}
    journey = Journey(form, answers)
    assert journey.is_complete() is complete
    if not complete:
        assert journey.first_incomplete().id == "household"


def test_includes_condition_and_goto_check_answers(form):
    answers = {**ALONE, "benefits": ["pip"]}
    journey = Journey(form, answers)
    assert step(journey.next_after("benefits")) == ("page", "pip-rate")
    assert journey.first_incomplete().id == "pip-rate"
    journey = Journey(form, {**answers, "pip-rate": "enhanced"})
    assert step(journey.next_after("pip-rate")) == ("check", None)
    assert journey.is_complete()
    assert ids(journey.path())[-2:] == ["benefits", "pip-rate"]
    journey = Journey(form, {**answers, "pip-rate": "standard"})
    assert step(journey.next_after("pip-rate")) == ("page", "more")


def test_invalid_stored_answer_makes_the_page_incomplete(form):
    journey = Journey(form, {**ALONE, "phone": "not a phone"})
    assert journey.first_incomplete().id == "phone"
    assert not journey.is_complete()


def test_missing_answer_is_incomplete_even_if_optional(form):
    answers = dict(ALONE)
    del answers["more"]
    assert Journey(form, answers).first_incomplete().id == "more"


def test_previous_before_follows_the_path_taken(form):
    journey = Journey(form, ALONE)
    assert journey.previous_before("phone").id == "household-type"
    assert journey.previous_before("name").id == "intro"
    others = Journey(form, {**ALONE, "household-type": "others", "carer": "yes",
                            "household": [{"person-name": "Al", "person-age": 40}]})
    assert others.previous_before("phone").id == "carer"
    assert others.previous_before("carer").id == "household"


def test_previous_before_a_page_not_yet_on_the_path(form):
    journey = Journey(form, {"intro": None, "name": "Jo"})
    assert journey.previous_before("resident").id == "name"
    assert journey.previous_before("phone").id == "resident"


def test_next_after_uses_the_answer_just_given(form):
    journey = Journey(form, {"intro": None, "name": "Jo", "resident": "yes", "household-type": "others"})
    assert step(journey.next_after("household-type")) == ("page", "household")


def test_path_stops_at_the_first_unanswered_page(form):
    answers = dict(ALONE)
    del answers["household-type"]
    journey = Journey(form, answers)
    assert ids(journey.path()) == ["intro", "name", "resident", "household-type"]
    assert "phone" not in journey.relevant_answers()


def test_condition_describes_itself_for_paper(form):
    assert form.number_of("name") == 1          # content is not numbered
    assert form.number_of("intro") is None
    assert form.number_of("household-type") == 3
    repeat = form.page("household")
    assert repeat.show_if.describe(form, section=True).render() == (
        "Only answer this section if you answered ‘With other people’ to question 3")
    assert form.page("carer").show_if.describe(form).render() == (
        "Only answer this if you answered ‘With other people’ to question 3")
    assert form.page("pip-rate").show_if.describe(form).render() == (
        "Only answer this if you selected ‘PIP’ in question 9")
    assert form.page("more").show_if.describe(form).render() == (
        "Only answer this if you did not answer ‘No’ to question 2")


def test_routes_describe_themselves_for_paper(form):
    resident, household_type, pip = form.page("resident"), form.page("household-type"), form.page("pip-rate")
    assert resident.routes[0].describe(form, resident).render() == (
        "If you answered ‘No’, you cannot use this form: You cannot apply with this council")
    assert household_type.routes[0].describe(form, household_type).render() == (
        "If you answered ‘Alone’, go to question 7")
    assert pip.routes[0].describe(form, pip).render() == "If you answered ‘Enhanced’, go to the end of the form"


def test_any_of_condition(tmp_path):
    path = tmp_path / "f.toml"
    path.write_text('''id = "f"\nversion = "1"\ntitle = "T"
[[pages]]
id = "a"
  [[pages.questions]]
  id = "a"
  type = "choose_one"
  label = "A?"
  options = [{ value = "x", label = "X" }, { value = "y", label = "Y" }, { value = "z", label = "Z" }]
[[pages]]
id = "b"
show_if = { question = "a", any_of = ["x", "y"] }
  [[pages.questions]]
  id = "b"
  type = "text"
  label = "B?"
''', encoding="utf-8")
    form = load_form(path)
    assert ids(Journey(form, {"a": "y"}).path()) == ["a", "b"]
    assert Journey(form, {"a": "z"}).is_complete()
    assert form.page("b").show_if.describe(form).render() == (
        "Only answer this if you answered ‘X’ or ‘Y’ to question 1")


GOTO_FORM = '''id = "g"\nversion = "1"\ntitle = "T"
[[pages]]
id = "owner"
  [[pages.questions]]
  id = "owner"
  type = "yes_no"
  label = "Do you own the property?"
  [[pages.routes]]
  if = "no"
  goto = "landlord"
  [[pages.routes]]
  if = "yes"
  goto = "mortgage"
[[pages]]
id = "deeds"
  [[pages.questions]]
  id = "deeds"
  type = "text"
  label = "Where are the deeds kept?"
[[pages]]
id = "mortgage"
show_if = { question = "owner", equals = "no" }
  [[pages.questions]]
  id = "mortgage"
  type = "text"
  label = "Who is the mortgage with?"
[[pages]]
id = "landlord"
  [[pages.questions]]
  id = "landlord"
  type = "text"
  label = "Who is your landlord?"
[[pages]]
id = "phone"
  [[pages.questions]]
  id = "phone"
  type = "text"
  label = "Phone?"
'''


@pytest.fixture
def goto_form(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(GOTO_FORM, encoding="utf-8")
    return load_form(path)


def test_goto_jumps_over_pages_that_would_otherwise_be_asked(goto_form):
    """"deeds" has no condition: only the route from "owner" keeps it from being asked."""
    journey = Journey(goto_form, {"owner": "no"})
    assert step(journey.next_after("owner")) == ("page", "landlord")
    assert ids(journey.path()) == ["owner", "landlord"]
    assert journey.first_incomplete().id == "landlord"
    assert journey.previous_before("landlord").id == "owner"
    journey = Journey(goto_form, {"owner": "no", "deeds": "In the loft", "landlord": "Ms Evans", "phone": "1"})
    assert ids(journey.path()) == ["owner", "landlord", "phone"]
    assert journey.is_complete()
    assert journey.relevant_answers() == {"owner": "no", "landlord": "Ms Evans", "phone": "1"}


def test_goto_to_a_page_whose_condition_fails_goes_on_to_the_next_shown(goto_form):
    """"yes" goes to "mortgage", which is only asked of those who answered "no": the resident
    carries on from there, to "landlord", and "deeds" (before it) stays skipped."""
    journey = Journey(goto_form, {"owner": "yes"})
    assert step(journey.next_after("owner")) == ("page", "landlord")
    assert ids(journey.path()) == ["owner", "landlord"]


def test_a_page_without_a_route_for_the_answer_goes_to_the_next_page(tmp_path):
    path = tmp_path / "other" / "g.toml"
    path.parent.mkdir()
    path.write_text(GOTO_FORM.replace('if = "yes"\n  goto = "mortgage"', 'if = "yes"\n  goto = "check-answers"')
                    .replace('  [[pages.routes]]\n  if = "no"\n  goto = "landlord"\n', ''), encoding="utf-8")
    form = load_form(path)
    assert step(Journey(form, {"owner": "no"}).next_after("owner")) == ("page", "deeds")
    journey = Journey(form, {"owner": "yes"})
    assert step(journey.next_after("owner")) == ("check", None)
    assert journey.is_complete() and ids(journey.path()) == ["owner"]


def test_a_stored_answer_counts_only_while_it_is_still_one_of_the_options_and_parses_back_to_itself(form):
    # "maybe" was never an option (or is one no longer): the page is asked again.
    assert Journey(form, {**ALONE, "resident": "maybe"}).first_incomplete().id == "resident"
    assert Journey(form, {**ALONE, "household-type": "lodger"}).first_incomplete().id == "household-type"
    assert Journey(form, {**ALONE, "resident": ["yes"]}).first_incomplete().id == "resident"
    # A phone number stored as typed, not as the engine keeps it (+44...), is not a valid answer.
    assert Journey(form, {**ALONE, "phone": "+447700900982"}).is_complete()
    assert Journey(form, {**ALONE, "phone": "07700 900982"}).first_incomplete().id == "phone"


def test_a_signature_stamped_when_signed_still_counts_as_answered(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('''id = "s"\nversion = "1"\ntitle = "T"
[[pages]]
id = "sign"
  [[pages.questions]]
  id = "sign"
  type = "signature"
  label = "Sign here"
''', encoding="utf-8")
    form = load_form(path)
    stamped = {"typed": "Jane Smith", "signed_at": "2026-11-24T17:30:02Z", "signed_by": "resident"}
    assert Journey(form, {"sign": stamped}).is_complete()
    assert Journey(form, {"sign": {"typed": "Jane Smith"}}).is_complete()
    assert not Journey(form, {"sign": {**stamped, "typed": ""}}).is_complete()


def test_exit_is_none_unless_the_answers_lead_to_one(form):
    assert Journey(form, {}).exit() is None
    assert Journey(form, ALONE).exit() is None
    assert Journey(form, {**ALONE, "resident": "no"}).exit().id == "outside"


def test_next_after_takes_the_answers_given_now_over_the_journeys_own(form):
    before = {"intro": None, "name": "Jo", "resident": "yes", "household-type": "alone"}
    journey = Journey(form, before)
    assert step(journey.next_after("household-type")) == ("page", "phone")
    assert step(journey.next_after("household-type", {**before, "household-type": "others"})) == ("page", "household")


SECTIONS_FORM = '''id = "c"\nversion = "1"\ntitle = "T"
[[pages]]
id = "a"
  [[pages.questions]]
  id = "a"
  type = "choose_one"
  label = "A?"
  options = [{ value = "x", label = "X" }, { value = "y", label = "Y" }, { value = "z", label = "Z" }]
[[pages]]
id = "m"
  [[pages.questions]]
  id = "m"
  type = "choose_many"
  label = "M?"
  options = [{ value = "p", label = "P" }, { value = "q", label = "Q" }]
'''


@pytest.mark.parametrize("condition, section, words", [
    ('{ question = "a", equals = "x" }', False, "Only answer this if you answered ‘X’ to question 1"),
    ('{ question = "a", equals = "x" }', True, "Only answer this section if you answered ‘X’ to question 1"),
    ('{ question = "a", any_of = ["x", "z"] }', False, "Only answer this if you answered ‘X’ or ‘Z’ to question 1"),
    ('{ question = "a", any_of = ["x", "z"] }', True,
     "Only answer this section if you answered ‘X’ or ‘Z’ to question 1"),
    ('{ question = "a", not_equals = "y" }', False, "Only answer this if you did not answer ‘Y’ to question 1"),
    ('{ question = "a", not_equals = "y" }', True,
     "Only answer this section if you did not answer ‘Y’ to question 1"),
    ('{ question = "m", includes = "q" }', False, "Only answer this if you selected ‘Q’ in question 2"),
    ('{ question = "m", includes = "q" }', True, "Only answer this section if you selected ‘Q’ in question 2"),
])
def test_every_kind_of_condition_describes_itself_for_a_page_and_a_section(tmp_path, condition, section, words):
    path = tmp_path / "c.toml"
    path.write_text(SECTIONS_FORM + f'''[[pages]]
id = "later"
show_if = {condition}
  [[pages.questions]]
  id = "later"
  type = "text"
  label = "Later?"
''', encoding="utf-8")
    form = load_form(path)
    assert form.page("later").show_if.describe(form, section=section).render() == words


@pytest.mark.parametrize("condition, answers, holds", [
    (("a", "equals", "x"), {"a": "x"}, True), (("a", "equals", "x"), {"a": "y"}, False),
    (("a", "equals", "x"), {}, False),
    (("a", "not_equals", "x"), {"a": "y"}, True), (("a", "not_equals", "x"), {"a": "x"}, False),
    (("a", "not_equals", "x"), {}, True),  # unanswered equals nothing, so it is not "x"
    (("a", "any_of", ["x", "z"]), {"a": "z"}, True), (("a", "any_of", ["x", "z"]), {"a": "y"}, False),
    (("a", "any_of", ["x", "z"]), {}, False),
    (("m", "includes", "q"), {"m": ["p", "q"]}, True), (("m", "includes", "q"), {"m": ["p"]}, False),
    (("m", "includes", "q"), {"m": "q"}, False),  # not a list of choices
    (("m", "includes", "q"), {}, False),
])
def test_condition_holds(condition, answers, holds):
    from assist.engine.conditions import Comparison

    assert Comparison(*condition).holds(answers) is holds
