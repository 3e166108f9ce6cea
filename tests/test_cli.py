"""The ``assist`` command line."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from assist.cli import main
from conftest import ROOT


def test_check_forms_passes_on_the_demo_forms():
    result = CliRunner().invoke(main, ["check-forms", str(ROOT / "forms")])
    assert result.exit_code == 0, result.output
    assert "All form definitions are valid" in result.output


def test_check_forms_names_file_and_path_and_fails(tmp_path):
    broken = (ROOT / "forms" / "missed-bin.toml").read_text().replace('type = "choose_one"', 'type = "radio"', 1)
    path = tmp_path / "missed-bin.toml"
    path.write_text(broken)
    result = CliRunner().invoke(main, ["check-forms", str(path)])
    assert result.exit_code == 1
    assert "missed-bin.toml" in result.output
    assert "questions[0].type" in result.output
    assert "unknown type 'radio'" in result.output


def test_init_db_creates_the_database(data_dir):
    result = CliRunner().invoke(main, ["init-db"])
    assert result.exit_code == 0, result.output
    tables = {row[0] for row in sqlite3.connect(data_dir / "assist.sqlite3").execute("select name from sqlite_master")}
    assert {"journeys", "submissions"} <= tables


def test_app_refuses_to_start_with_a_broken_form(tmp_path, data_dir):
    import pytest

    from assist import create_app
    from assist.config import load_config
    from assist.engine import DefinitionError

    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "bad.toml").write_text('id = "bad"\n')
    config = load_config(ROOT / "config.toml")
    from dataclasses import replace

    config = replace(config, forms=replace(config.forms, directory=tmp_path / "forms"))
    with pytest.raises(DefinitionError) as raised:
        create_app(config)
    assert "bad.toml" in str(raised.value)
