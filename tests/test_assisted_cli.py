"""``assist helpers``, ``assist venues`` and ``assist demo-data``."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from assist.cli import main


@pytest.fixture
def run(data_dir):
    def run(*args, input=None, env=None):
        result = CliRunner().invoke(main, list(args), input=input, env=env)
        return result

    return run


def _store(data_dir):
    from assist.config import load_config
    from assist.storage import Store
    from conftest import ROOT

    return Store(load_config(ROOT / "config.toml").database_path)


def test_demo_data_is_idempotent_and_says_how_to_sign_in(run, data_dir):
    first = run("demo-data")
    assert first.exit_code == 0, first.output
    assert "Sam Helper" in first.output and "PIN 1234" in first.output
    assert run("demo-data").exit_code == 0
    store = _store(data_dir)
    assert [h["id"] for h in store.list_helpers()] == ["sam-helper"]
    assert store.check_pin("sam-helper", "central-library", "1234").ok


def test_demo_data_marks_an_empty_data_folder_as_a_demo(run, data_dir):
    from assist.config import load_config
    from conftest import ROOT

    first = run("demo-data")
    assert "Made this data folder a demo" in first.output
    assert (load_config(ROOT / "config.toml").data_dir / "demo").exists()
    again = run("demo-data")
    assert "already there (unchanged)" in again.output and "PIN 1234" not in again.output


def test_demo_data_leaves_a_data_folder_with_real_helpers_alone(run, data_dir):
    from assist.config import load_config
    from conftest import ROOT

    assert run("helpers", "add", "Ali Khan", "--venue", "central-library", env={"ASSIST_PIN": "482913"}).exit_code == 0
    result = run("demo-data")
    assert result.exit_code == 0, result.output
    assert "not a demo: no demo data added" in result.output and "PIN 1234" not in result.output
    assert [h["id"] for h in _store(data_dir).list_helpers(include_inactive=True)] == ["ali-khan"]
    assert not (load_config(ROOT / "config.toml").data_dir / "demo").exists()


def test_demo_data_never_brings_back_or_resets_the_demo_helper_once_real_helpers_exist(run, data_dir):
    run("demo-data")
    assert run("helpers", "reset-pin", "sam-helper", env={"ASSIST_PIN": "8642"}).exit_code == 0
    assert run("helpers", "deactivate", "sam-helper").exit_code == 0
    assert run("helpers", "add", "Ali Khan", "--venue", "central-library", env={"ASSIST_PIN": "482913"}).exit_code == 0
    result = run("demo-data")
    assert "other helpers now: the demo helper is left as it is" in result.output
    store = _store(data_dir)
    assert not store.get_helper("sam-helper")["active"]
    assert not store.check_pin("sam-helper", "central-library", "1234").ok


def test_venues_add_and_list(run):
    result = run("venues", "add", "post-office", "High Street Post Office", "--address", "2 High Street")
    assert result.exit_code == 0, result.output
    assert run("venues", "add", "post-office", "Again").exit_code == 1
    assert run("venues", "add", "Bad Id", "Nope").exit_code == 1
    listing = run("venues", "list").output
    assert "post-office\tHigh Street Post Office\tassisted" in listing
    assert "central-library" in listing  # from config.toml


def test_helpers_add_prompts_for_the_pin_twice_and_never_shows_it(run, data_dir):
    result = run("helpers", "add", "Ali Khan", "--venue", "central-library", input="482913\n482913\n")
    assert result.exit_code == 0, result.output
    assert "ali-khan" in result.output
    assert "482913" not in result.output.split("\n", 2)[-1]
    listing = run("helpers", "list").output
    assert "ali-khan\tAli Khan\thelper\tcentral-library" in listing
    assert "482913" not in listing and "scrypt" not in listing
    assert _store(data_dir).check_pin("ali-khan", "central-library", "482913").ok


def test_helpers_add_refuses_bad_pins_and_unknown_venues(run):
    assert run("helpers", "add", "Ali", "--venue", "central-library", "--pin", "12").exit_code != 0
    result = run("helpers", "add", "Ali", "--venue", "nowhere", env={"ASSIST_PIN": "1234"})
    assert result.exit_code == 1 and "unknown venue" in result.output


def test_reset_pin_ends_a_wait_and_deactivate_stops_sign_in(run, data_dir):
    run("demo-data")
    store = _store(data_dir)
    for _ in range(5):
        store.check_pin("sam-helper", "central-library", "0000")
    assert store.check_pin("sam-helper", "central-library", "1234").outcome == "wait"
    assert "waiting after wrong PINs until" in run("helpers", "list").output
    assert run("helpers", "reset-pin", "sam-helper", env={"ASSIST_PIN": "8642"}).exit_code == 0
    assert store.check_pin("sam-helper", "central-library", "8642").ok
    assert run("helpers", "reset-pin", "nobody", env={"ASSIST_PIN": "8642"}).exit_code == 1
    assert run("helpers", "deactivate", "sam-helper").exit_code == 0
    assert store.check_pin("sam-helper", "central-library", "8642").outcome == "wrong"
    assert "deactivated" in run("helpers", "list", "--all").output
    events = [row["event"] for row in store.audit_log()]
    assert "pin_reset" in events and "helper_deactivated" in events
