"""Broken, malicious and oversized form definitions and config files: a clear error naming the file,
never a crash; markup written into a form's texts is shown as text, not run."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assist.config import ConfigError, load_config
from assist.engine import DefinitionError, load_forms
from conftest import ROOT, TEMPLATES, CheckingClient
from support import walk_to
from test_security_hostile_input import HOSTILE, HOSTILE_SETTINGS

MISSED_BIN = (ROOT / "forms" / "missed-bin.toml").read_text(encoding="utf-8")
#: Lines a careless or hostile author might write into a form file.
BAD_LINES = [
    "type = 12", "type = \"radio\"", "max_length = -1", "max_length = 99999999999999999999", "optional = \"yes\"",
    "[[pages]]", "[[pages.questions]]", "[[exits]]", "id = \"../../etc/passwd\"", "id = \"\"", "goto = \"nowhere\"",
    "label = \"\"", "options = \"x\"", "options = [1, 2]", "show_if = { question = \"x\" }", "min = 5\nmax = 1",
    "kind = \"repeat\"", "a = " + "[" * 3000 + "]" * 3000, "x = \"\\u0000\"", "version = 2026", "\x00\x01",
    "label = \"\"\"", "= broken", "[pages]",
]


def _load(tmp_path: Path, text: str | bytes, name: str = "missed-bin.toml"):
    folder = tmp_path / "forms"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_forms(folder)


@pytest.mark.parametrize("content, message", [
    ("id = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not saved as UTF-8"),
    ("title = \"" + "x" * 1_100_000 + "\"", "too large"),
    ("id = \"missed-bin\"\n[[pages]\n", "not valid TOML"),
])
def test_a_broken_or_oversized_form_file_gets_a_clear_error_naming_it(tmp_path, content, message):
    with pytest.raises(DefinitionError) as caught:
        _load(tmp_path, content)
    assert "missed-bin.toml" in str(caught.value) and message in str(caught.value)


@HOSTILE_SETTINGS
@given(data=st.data())
def test_any_mangled_form_file_loads_or_gets_a_definition_error(tmp_path_factory, data):
    lines = MISSED_BIN.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["replace", "insert", "delete", "hostile value"]))
        if action == "delete":
            del lines[index]
        elif action == "hostile value" and " = " in lines[index]:
            key = lines[index].split(" = ", 1)[0]
            lines[index] = f"{key} = {data.draw(st.sampled_from(HOSTILE))!r}".replace("'", '"', 2)
        else:
            line = data.draw(st.sampled_from(BAD_LINES))
            lines[index:index + (action == "replace")] = [line]
    try:
        _load(tmp_path_factory.mktemp("mangled"), "\n".join(lines))
    except DefinitionError as error:
        assert "missed-bin.toml" in str(error)


@pytest.mark.parametrize("content, message", [
    ("[council]\nname = " + "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    (b"[council]\nname = \"\xff\xfe\"\n", "not saved as UTF-8"),
    ("# " + "x" * 1_100_000 + "\n", "too large"),
    ("[council\n", "not valid TOML"),
    ("[council]\nname = 12\n", "council.name"),
])
def test_a_broken_or_oversized_config_file_gets_a_clear_error_naming_it(tmp_path, content, message):
    path = tmp_path / "config.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={"ASSIST_DATA_DIR": str(tmp_path / "data")})
    assert "config.toml" in str(caught.value) and message in str(caught.value)


def test_markup_in_a_forms_own_texts_is_shown_as_text(tmp_path, config):
    from assist import create_app

    text = (MISSED_BIN
            .replace('title = "Report a missed bin collection"', 'title = "<script>alert(\'title\')</script>"')
            .replace('label = "What is the house number or name, and street?"',
                     'label = "<img src=x onerror=alert(1)> Street?"'))
    assert "<script>" in text and "<img src=x" in text
    forms = _load(tmp_path, text)
    app = create_app(config, forms=forms, testing=True)
    app.test_client_class = CheckingClient
    app.jinja_env.bytecode_cache = TEMPLATES
    client = app.test_client()
    client.typed = {"<script>alert('title')</script>", "<img src=x onerror=alert(1)>"}  # the council's own text
    start = client.get("/forms/missed-bin/")
    assert "&lt;script&gt;alert(" in start.get_data(as_text=True)
    page = client.get(walk_to(client, forms["missed-bin"], forms["missed-bin"].page("street-address")))
    assert "&lt;img src=x onerror=alert(1)&gt; Street?" in page.get_data(as_text=True)
    for response in (start, page):
        html = response.get_data(as_text=True)
        assert "<script>alert(" not in html and "<img src=x" not in html
