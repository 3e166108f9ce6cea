"""The condition language, routes from any page and rules across answers: what residents are asked,
what they are told when answers do not agree, and what the paper form says, in English and Welsh."""

import datetime as dt
from pathlib import Path

import pytest
from babel.support import Translations

from assist.engine import Journey, load_form, page_problems, questions_date
from assist.engine.conditions import parse_condition
from assist.printouts.context import blank_context, page_conditions

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 3)

FORM = '''
id = "pass"
version = "1"
title = "Apply for a travel pass"

[[pages]]
id = "reasons"
  [[pages.questions]]
  id = "reasons"
  type = "choose_many"
  label = "Why do you need a pass?"
  options = [{ value = "age", label = "I am 66 or over" }, { value = "disabled", label = "I am disabled" },
             { value = "other", label = "Another reason" }]
  none_option = { value = "none", label = "None of these" }
  [[pages.routes]]
  if = { question = "reasons", includes = "none" }
  exit = "cannot-apply"

[[pages]]
id = "other-reason"
title = "Tell us more"
  [[pages.questions]]
  id = "other-reason"
  type = "text"
  label = "Your other reason"
  name = "your other reason"
  required_if = { question = "reasons", includes = "other" }
  [[pages.questions]]
  id = "has-badge"
  type = "yes_no"
  label = "Do you have a Blue Badge?"

[[pages]]
id = "stolen"
  [[pages.questions]]
  id = "stolen"
  type = "yes_no"
  label = "Was your old pass stolen?"

[[pages]]
id = "date-of-birth"
  [[pages.questions]]
  id = "date-of-birth"
  type = "date"
  label = "What is your date of birth?"
  date_of_birth = true
  [[pages.rules]]
  must = { any = [ { not = { question = "reasons", includes = "age" } },
                   { question = "date-of-birth", age_at_least = 66 } ] }
  error = "Your date of birth must show you are 66 or over, or do not choose ‘I am 66 or over’"
  # A stolen pass is replaced without new photos.
  [[pages.routes]]
  if = { question = "stolen", equals = "yes" }
  goto = "contact"

[[pages]]
id = "photo-guide"
  [[pages.questions]]
  id = "photo-guide"
  type = "content"
  label = "Your photo"
  body = "Have a photo ready."

[[pages]]
id = "photo-kind"
  [[pages.questions]]
  id = "photo-kind"
  type = "choose_one"
  label = "How will you send your photo?"
  options = [{ value = "post", label = "By post" }, { value = "counter", label = "At the counter" }]

[[pages]]
id = "evidence"
show_if = { all = [ { question = "reasons", includes = "disabled" }, { question = "has-badge", equals = "no" } ] }
  [[pages.questions]]
  id = "evidence"
  type = "text"
  label = "What proof of disability will you send?"

[[pages]]
id = "evidence-copy"
show_if = { all = [ { question = "reasons", includes = "disabled" }, { question = "has-badge", equals = "no" } ] }
  [[pages.questions]]
  id = "evidence-copy"
  type = "yes_no"
  label = "Is it a copy?"

[[pages]]
id = "contact"
title = "How can we contact you?"
  [[pages.questions]]
  id = "phone"
  type = "phone"
  label = "Phone number"
  optional = true
  [[pages.questions]]
  id = "email"
  type = "email"
  label = "Email address"
  optional = true
  [[pages.rules]]
  at_least_one_of = ["phone", "email"]
  error = "Enter a phone number or an email address"

[[exits]]
id = "cannot-apply"
title = "You cannot get a travel pass"
'''


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(questions_date, "today", lambda: TODAY)


@pytest.fixture
def form(tmp_path):
    path = tmp_path / "pass.toml"
    path.write_text(FORM, encoding="utf-8")
    return load_form(path)


def ids(pages):
    return [page.id for page in pages]


BASE = {"reasons": ["age"], "other-reason": None, "has-badge": "no", "stolen": "no", "date-of-birth": "1950-05-01",
        "photo-guide": None, "photo-kind": "post", "phone": "+441632960001", "email": None}


def test_a_route_on_a_tick_box_answer_leads_to_the_exit(form):
    route = Journey(form, {"reasons": ["none"]})
    assert route.exit().id == "cannot-apply"
    assert ids(route.path()) == ["reasons"]


def test_a_route_on_an_answer_given_pages_earlier_skips_pages_without_conditions(form):
    asked = ids(Journey(form, {**BASE, "stolen": "yes"}).path())
    assert "photo-guide" not in asked and "photo-kind" not in asked
    assert asked[-1] == "contact"
    assert ids(Journey(form, BASE).path()) == ["reasons", "other-reason", "stolen", "date-of-birth", "photo-guide",
                                               "photo-kind", "contact"]
    assert Journey(form, BASE).is_complete()


def test_combined_conditions_ask_for_evidence_only_if_disabled_and_without_a_badge(form):
    disabled = {**BASE, "reasons": ["disabled"]}
    assert "evidence" in ids(Journey(form, disabled).path())
    assert "evidence" not in ids(Journey(form, {**disabled, "has-badge": "yes"}).path())
    assert "evidence" not in ids(Journey(form, BASE).path())


def test_required_if_asks_for_the_other_reason_only_when_other_is_chosen(form):
    page = form.page("other-reason")
    errors = page_problems(form, page, {"other-reason": None, "has-badge": "no"}, {"reasons": ["other"]})
    assert {name: message.render() for name, message in errors.items()} == {"other-reason": "Enter your other reason"}
    assert page_problems(form, page, {"other-reason": None, "has-badge": "no"}, {"reasons": ["age"]}) == {}
    assert not Journey(form, {**BASE, "reasons": ["other"]}).is_complete()
    assert not form.question("other-reason").marked_optional


def test_must_rule_checks_the_date_of_birth_against_the_age_answer(form):
    page = form.page("date-of-birth")
    young = page_problems(form, page, {"date-of-birth": "1990-01-01"}, {"reasons": ["age"]})
    assert [message.render() for message in young.values()] == [
        "Your date of birth must show you are 66 or over, or do not choose ‘I am 66 or over’"]
    assert list(young) == ["date-of-birth-day"]  # the error summary links to the day input
    assert page_problems(form, page, {"date-of-birth": "1990-01-01"}, {"reasons": ["disabled"]}) == {}
    # 66 on the day: 3 December 1960 is old enough today, 4 December 1960 is not.
    assert page_problems(form, page, {"date-of-birth": "1960-12-03"}, {"reasons": ["age"]}) == {}
    assert page_problems(form, page, {"date-of-birth": "1960-12-04"}, {"reasons": ["age"]})
    assert Journey(form, {**BASE, "date-of-birth": "1990-01-01"}).first_incomplete().id == "date-of-birth"


def test_at_least_one_of_phone_or_email(form):
    page = form.page("contact")
    errors = page_problems(form, page, {"phone": None, "email": None}, BASE)
    assert {name: message.render() for name, message in errors.items()} == {
        "phone": "Enter a phone number or an email address"}
    assert page_problems(form, page, {"phone": None, "email": "a@example.org"}, BASE) == {}


@pytest.mark.parametrize("condition, answers, holds", [
    ({"question": "n", "at_least": 3}, {"n": 3}, True), ({"question": "n", "at_least": 3}, {"n": 2}, False),
    ({"question": "n", "less_than": 3}, {"n": "2.5"}, True), ({"question": "n", "more_than": 3}, {}, False),
    ({"question": "m", "at_most": 100}, {"m": "100.00"}, True),
    ({"question": "d", "before": "2026-04-01"}, {"d": "2026-03-31"}, True),
    ({"question": "d", "before": "2026-04-01"}, {"d": "2026-04-01"}, False),
    ({"question": "d", "on_or_before": "today"}, {"d": "2026-12-03"}, True),
    ({"question": "d", "after": "today"}, {"d": "2026-12-03"}, False),
    ({"question": "b", "age_at_least": 75, "on": "2027-01-01"}, {"b": "1952-01-01"}, True),
    ({"question": "b", "age_at_least": 75, "on": "2026-12-31"}, {"b": "1952-01-01"}, False),
    ({"question": "b", "age_under": 16, "on": "start"}, {"b": "2010-09-01", "start": "2026-09-01"}, False),
    ({"question": "b", "age_under": 16, "on": "start"}, {"b": "2010-09-02", "start": "2026-09-01"}, True),
    ({"question": "t", "answered": True}, {"t": "x"}, True), ({"question": "t", "answered": True}, {"t": ""}, False),
    ({"question": "t", "answered": False}, {}, True),
    ({"question": "c", "none_of": ["a", "b"]}, {"c": "c"}, True), ({"question": "c", "none_of": ["a"]}, {"c": "a"}, False),
    ({"question": "m", "excludes": "x"}, {"m": ["y"]}, True), ({"question": "m", "excludes": "x"}, {"m": ["x"]}, False),
    ({"not": {"question": "c", "equals": "a"}}, {"c": "a"}, False),
    ({"any": [{"question": "c", "equals": "a"}, {"question": "c", "equals": "b"}]}, {"c": "b"}, True),
    ({"all": [{"question": "c", "equals": "a"}, {"question": "t", "answered": True}]}, {"c": "a"}, False),
    ({"items": "people", "any": {"question": "age", "at_least": 18}}, {"people": [{"age": 4}, {"age": 40}]}, True),
    ({"items": "people", "all": {"question": "age", "at_least": 18}}, {"people": [{"age": 4}, {"age": 40}]}, False),
    ({"items": "people", "all": {"question": "age", "at_least": 18}}, {"people": []}, False),
    ({"items": "people", "at_least": 2}, {"people": [{"age": 4}, {"age": 40}]}, True),
    ({"items": "people", "at_least": 2, "where": {"question": "age", "at_least": 18}},
     {"people": [{"age": 4}, {"age": 40}]}, False),
])
def test_condition_holds(condition, answers, holds):
    assert parse_condition(condition).holds(answers) is holds
    assert parse_condition({"not": condition}).holds(answers) is (not holds)


def test_a_condition_in_a_repeating_group_reads_the_current_item_first():
    condition = parse_condition({"question": "age", "at_least": 16})
    assert condition.holds({"age": 3}, {"age": 20}) is True
    assert condition.holds({"age": 30}, {"age": 3}) is False


def welsh(text: str) -> str:
    catalogue = Translations.load(str(ROOT / "translations"), ["cy"])
    return catalogue.gettext(text)


WORDS = [
    ('{ question = "reasons", includes = "age" }', "you selected ‘I am 66 or over’ in question 1",
     "gwnaethoch ddewis ‘I am 66 or over’ yng nghwestiwn 1"),
    ('{ not = { question = "reasons", includes = "age" } }', "you did not select ‘I am 66 or over’ in question 1",
     "na wnaethoch ddewis ‘I am 66 or over’ yng nghwestiwn 1"),
    ('{ all = [ { question = "reasons", includes = "disabled" }, { question = "has-badge", equals = "no" } ] }',
     "you selected ‘I am disabled’ in question 1 and you answered ‘No’ to question 3",
     "gwnaethoch ddewis ‘I am disabled’ yng nghwestiwn 1 a gwnaethoch ateb ‘Na’ i gwestiwn 3"),
    ('{ any = [ { question = "stolen", equals = "yes" }, { not = { all = [ { question = "has-badge", equals = "yes" },'
     ' { question = "reasons", includes = "other" } ] } } ] }',
     "you answered ‘Yes’ to question 4 or (you did not answer ‘Yes’ to question 3 or you did not select "
     "‘Another reason’ in question 1)",
     "gwnaethoch ateb ‘Ie’ i gwestiwn 4 neu (na wnaethoch ateb ‘Ie’ i gwestiwn 3 neu na wnaethoch "
     "ddewis ‘Another reason’ yng nghwestiwn 1)"),
    ('{ question = "date-of-birth", age_at_least = 66, on = "2027-04-01" }',
     "the date of birth in question 5 gives an age of 66 or more on 1 April 2027",
     "yw’r dyddiad geni yng nghwestiwn 5 yn rhoi oed o 66 neu fwy ar 1 April 2027"),
]


@pytest.mark.parametrize("source, english, cymraeg", WORDS)
def test_every_condition_says_itself_in_plain_english_and_welsh(form, source, english, cymraeg):
    import tomllib

    condition = parse_condition(tomllib.loads(f"c = {source}")["c"])
    assert condition.words(form).render() == english
    assert condition.words(form).render(welsh) == cymraeg


def test_the_paper_says_a_shared_condition_once_for_a_run_of_pages(form):
    said = page_conditions(form)
    assert said["evidence"].render() == ("Only answer questions 7 to 8 if you selected ‘I am disabled’ in question 1 "
                                         "and you answered ‘No’ to question 3")
    assert said["evidence-copy"] is None
    blocks = [block for section in blank_context(form, council=None)["sections"] for block in section["blocks"]]
    copy = next(block for block in blocks if block["id"] == "evidence-copy")
    assert copy["condition"] == "" and copy["continues_condition"]


def test_the_paper_instruction_in_welsh(form):
    said = page_conditions(form)["evidence"].render(welsh)
    assert said == ("Atebwch gwestiynau 7 i 8 dim ond os gwnaethoch ddewis ‘I am disabled’ yng nghwestiwn 1 "
                    "a gwnaethoch ateb ‘Na’ i gwestiwn 3")


def test_the_paper_says_routes_on_any_answer(form):
    blocks = {block["id"]: block for section in blank_context(form, council=None)["sections"]
              for block in section["blocks"]}
    assert [route["text"] for route in blocks["reasons"]["routes"]] == [
        "If you selected ‘None of these’ in question 1, you cannot use this form: You cannot get a travel pass"]
    assert [route["text"] for route in blocks["date-of-birth"]["routes"]] == [
        "If you answered ‘Yes’ to question 4, go to question 9"]


WALKING_PAGES = ["other-automatic", "about-walking", "walking-difficulty", "walking-distance", "walking-time",
                 "walking-aids"]


def test_blue_badge_mobility_benefit_yes_skips_the_six_walking_pages_that_have_no_condition():
    badge = load_form(ROOT / "forms" / "blue-badge.toml")
    assert all(badge.page(page).show_if is None for page in WALKING_PAGES)  # only the route can skip them
    answers = {"who-for": "myself", "lives-in-area": "yes", "mobility-benefit": "yes"}
    route = Journey(badge, answers)
    assert route.next_after("mobility-benefit") == ("page", badge.page("full-name"))
    assert ids(route.path())[-1] == "full-name"
    assert not set(WALKING_PAGES) & set(ids(route.path()))
    # The paper copy of the same answers follows the same route.
    from assist.printouts.context import asked_pages

    assert not set(WALKING_PAGES) & set(ids(asked_pages(badge, answers)))
    # "No" asks them.
    assert Journey(badge, {**answers, "mobility-benefit": "no"}).next_after("mobility-benefit")[1].id == \
        "other-automatic"


def test_check_forms_explain_prints_routes_conditions_and_rules_as_the_paper_says_them(form):
    from click.testing import CliRunner

    from assist.cli import main

    result = CliRunner().invoke(main, ["check-forms", str(form.source), "--explain", str(form.source)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "    If you selected ‘None of these’ in question 1, you cannot use this form: You cannot get a travel pass" \
        in lines
    assert "    Question 2 must be answered if you selected ‘Another reason’ in question 1" in lines
    assert "    If you answered ‘Yes’ to question 4, go to question 9" in lines
    assert ("    Only answer questions 7 to 8 if you selected ‘I am disabled’ in question 1 and you answered ‘No’ "
            "to question 3") in lines
    assert ("    At least one of questions 9, 10 must be answered (otherwise: “Enter a phone number or an email "
            "address”)") in lines
    unknown = CliRunner().invoke(main, ["check-forms", str(form.source.parent), "--explain", "nope"])
    assert unknown.exit_code == 1 and "no form 'nope'; the forms are: pass" in unknown.output


def checked(tmp_path, extra: str) -> list[str]:
    from assist.engine import check_forms

    path = tmp_path / "pass.toml"
    path.write_text(FORM.replace("[[exits]]", extra + "\n[[exits]]"), encoding="utf-8")
    return [f"{p.path}: {p.message}" for p in check_forms(path)]


LATER = '''
[[pages]]
id = "later"
show_if = {condition}
  [[pages.questions]]
  id = "later"
  type = "text"
  label = "Later"
'''


@pytest.mark.parametrize("condition, expected", [
    ('{ and = [ { question = "stolen", equals = "yes" } ] }',
     "pages[9].show_if.and: 'and' is not supported; combine conditions with all = [ {...}, {...} ]"),
    ('{ all = { question = "stolen", equals = "yes" } }',
     "pages[9].show_if.all: must be a list of conditions, like all = [ { question = \"a\", equals = \"yes\" }, "
     "{ question = \"b\", equals = \"no\" } ]"),
    ('{ question = "date_of_birth", age_at_least = 66 }',
     "pages[9].show_if.question: no question 'date_of_birth' (did you mean 'date-of-birth'?)"),
    ('{ question = "date-of-birth", at_least = 66 }',
     "pages[9].show_if.at_least: 'at_least' cannot test 'date-of-birth' (a date question); 'at_least' is for "
     "number and money questions; for dates use before, after, on_or_before, on_or_after, age_at_least or age_under"),
    ('{ question = "date-of-birth", before = "1 April 2026" }',
     "pages[9].show_if.before: must be a date like \"2026-04-01\", \"today\", or the id of an earlier date question"),
    ('{ items = "nobody", any = { question = "stolen", equals = "yes" } }',
     "pages[9].show_if.items: no repeating group 'nobody'"),
    ('{ question = "reasons", includes = "young" }',
     "pages[9].show_if.includes: 'young' is not an option of 'reasons'"),
])
def test_check_forms_says_what_is_wrong_with_a_condition_and_what_to_write(tmp_path, condition, expected):
    assert checked(tmp_path, LATER.replace("{condition}", condition)) == [expected]


def test_check_forms_explains_end_and_rules_without_error(tmp_path):
    found = checked(tmp_path, '''
[[pages]]
id = "later"
  [[pages.questions]]
  id = "later"
  type = "text"
  label = "Later"
  [[pages.rules]]
  must = { question = "stolen", equals = "yes" }
  [[pages.routes]]
  if = { question = "later", answered = true }
  goto = "END"
''')
    assert found == [
        "pages[9].routes[0].goto: no page 'END'; to go to the end of the form, use goto = \"check-answers\"",
        "pages[9].rules[0].error: required with must: the message the resident sees, like "
        "\"Your date of birth must show you are 75 or over\""]


def test_the_paper_says_when_a_required_if_question_must_be_answered(form):
    blocks = {block["id"]: block for section in blank_context(form, council=None)["sections"]
              for block in section["blocks"]}
    other = blocks["other-reason"]["questions"][0]
    assert other["required_if"] == "You must answer this if you selected ‘Another reason’ in question 1"
    assert other["optional"] is False


def test_a_date_compared_with_another_answer(form):
    condition = parse_condition({"question": "moved-out", "after": "moved-in"})
    assert condition.holds({"moved-in": "2026-04-01", "moved-out": "2026-05-01"})
    assert not condition.holds({"moved-in": "2026-04-01", "moved-out": "2026-04-01"})
    assert not condition.holds({"moved-out": "2026-05-01"})  # nothing to compare with
    words = parse_condition({"question": "date-of-birth", "on_or_after": "date-of-birth"}).words(form).render()
    assert words == "the date in question 5 is the same as or after the date in question 5"


def test_a_rules_own_error_is_extracted_for_translation(form):
    import tomllib

    from assist.i18n.extract import form_messages

    texts = dict(form_messages(tomllib.loads(FORM)))
    assert texts["pages[3].rules[0].error"] == ("Your date of birth must show you are 66 or over, or do not choose "
                                                "‘I am 66 or over’")
    assert texts["pages[8].rules[0].error"] == "Enter a phone number or an email address"


def test_the_paper_says_at_least_one_of_phone_or_email(form):
    blocks = {block["id"]: block for section in blank_context(form, council=None)["sections"]
              for block in section["blocks"]}
    assert blocks["contact"]["rules"] == ["Answer at least one of questions 9 and 10"]
    assert page_conditions(form)  # and the welsh words
    from assist.engine.instructions import rule_instructions

    assert rule_instructions(form, form.page("contact"))[0].render(welsh) == "Atebwch o leiaf un o gwestiynau 9 a 10"
