"""Yes/no, choose one and choose many questions."""

import pytest

from assist.engine import display_answer, load_form, parse_answer, raw_from_value

OPTIONS = ('options = [{ value = "own", label = "I own it" }, '
           '{ value = "rent", label = "I rent it", hint = "From anyone" }]')
NONE = 'none_option = { value = "none", label = "None of these" }'


def ask(tmp_path, body):
    path = tmp_path / "f.toml"
    path.write_text(f'id = "f"\nversion = "1"\ntitle = "T"\n[[pages]]\nid = "p"\n'
                    f'[[pages.questions]]\nid = "q"\nlabel = "Question?"\n{body}\n', encoding="utf-8")
    return load_form(path).question("q")


def answer(question, raw):
    value, errors = parse_answer(question, raw)
    return value, {name: message.render() for name, message in errors.items()}


class MultiDict(dict):
    """Like werkzeug's MultiDict: ``get`` gives the first value, ``getlist`` all of them."""

    def get(self, key, default=None):
        return super().get(key, [default])[0]

    def getlist(self, key):
        return super().get(key, [])


def test_yes_no(tmp_path):
    q = ask(tmp_path, 'type = "yes_no"')
    assert [(c.value, c.label) for c in q.choices] == [("yes", "Yes"), ("no", "No")]
    assert answer(q, {"q": "yes"}) == ("yes", {})
    assert answer(q, {"q": "no"}) == ("no", {})
    assert answer(q, {}) == (None, {"q": "Select yes or no"})
    assert answer(q, {"q": "YES please"}) == (None, {"q": "Select yes or no"})
    assert display_answer(q, "no") == "No"


def test_yes_no_message_from_the_form(tmp_path):
    q = ask(tmp_path, 'type = "yes_no"\nerrors = { required = "Select yes if you get PIP" }')
    assert answer(q, {}) == (None, {"q": "Select yes if you get PIP"})


def test_choose_one(tmp_path):
    q = ask(tmp_path, f'type = "choose_one"\nname = "if you own or rent your home"\n{OPTIONS}\n{NONE}')
    assert [c.value for c in q.choices] == ["own", "rent", "none"]
    assert q.choices[1].hint == "From anyone"
    assert answer(q, {"q": "rent"}) == ("rent", {})
    assert answer(q, {"q": "none"}) == ("none", {})
    assert answer(q, {}) == (None, {"q": "Select if you own or rent your home"})
    assert display_answer(q, "rent") == "I rent it"


def test_choose_one_refuses_values_that_are_not_options(tmp_path):
    q = ask(tmp_path, f'type = "choose_one"\n{OPTIONS}')
    assert answer(q, {"q": "steal"}) == (None, {"q": "Select an option"})


def test_choose_many_keeps_option_order_and_ignores_unknown_values(tmp_path):
    q = ask(tmp_path, f'type = "choose_many"\n{OPTIONS}')
    assert answer(q, MultiDict(q=["rent", "own", "hack"])) == (["own", "rent"], {})
    assert answer(q, {"q": "rent"}) == (["rent"], {})
    assert display_answer(q, ["own", "rent"]) == "I own it\nI rent it"
    assert raw_from_value(q, ["own"]) == {"q": ["own"]}


def test_choose_many_required(tmp_path):
    q = ask(tmp_path, f'type = "choose_many"\nname = "the benefits you get"\n{OPTIONS}')
    assert answer(q, MultiDict()) == (None, {"q": "Select the benefits you get"})


def test_choose_many_none_option_is_exclusive(tmp_path):
    q = ask(tmp_path, f'type = "choose_many"\nname = "the benefits you get"\n{OPTIONS}\n{NONE}')
    assert answer(q, MultiDict(q=["none"])) == (["none"], {})
    assert answer(q, MultiDict(q=["own", "none"])) == (
        None, {"q": "Select the benefits you get, or select ‘None of these’"})


def test_optional_choice_left_empty(tmp_path):
    q = ask(tmp_path, f'type = "choose_many"\noptional = true\n{OPTIONS}')
    assert answer(q, MultiDict()) == (None, {})


@pytest.mark.parametrize("raw", [{}, {"q": None}, {"q": 5}, {"q": ["own", None, 3]}, {"q": "\x00"}])
def test_choice_questions_never_crash(tmp_path, raw):
    for body in ('type = "yes_no"', f'type = "choose_one"\n{OPTIONS}', f'type = "choose_many"\n{OPTIONS}'):
        value, errors = parse_answer(ask(tmp_path, body), raw)
        assert value is not None or errors
