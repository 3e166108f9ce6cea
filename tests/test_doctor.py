"""``assist doctor``: each deployment problem named in plain words, and silence when there is none."""

from __future__ import annotations

import base64
import os
import sqlite3
from collections import namedtuple
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from assist import doctor
from assist.config import Delivery, Replication, Retention, Server

ROOT = Path(__file__).resolve().parent.parent
Usage = namedtuple("Usage", "total used free")


@pytest.fixture
def roomy_disk(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * 1024 ** 3, 10 * 1024 ** 3, 90 * 1024 ** 3))


@pytest.fixture
def good_app(data_dir, monkeypatch, tmp_path, roomy_disk):
    """An app deployed as docs/setup.md says: key in the environment, deliveries encrypted, replicated,
    behind an HTTPS proxy, no demo data, retention at its default."""
    from assist import create_app
    from assist.config import load_config

    monkeypatch.setenv("ASSIST_DATA_KEY", base64.b64encode(os.urandom(32)).decode())
    config = load_config(ROOT / "config.toml")
    config = replace(config, server=Server(trusted_proxies=1), replication=Replication(replica=str(tmp_path / "replica")),
                     delivery=replace(config.delivery, folder_key=base64.b64encode(os.urandom(32)).decode()),
                     retention=Retention(days_after_delivery=90))
    return create_app(config, testing=True)


def problems(app, **changes):
    config = replace(app.extensions["assist.config"], **changes)
    return [str(p) for p in doctor.check_deployment(config, app.extensions["assist.store"], app.extensions["assist.forms"])]


def run_doctor(app, **changes):
    app.extensions["assist.config"] = replace(app.extensions["assist.config"], **changes)
    return app.test_cli_runner().invoke(args=["doctor"])


def test_a_deployment_done_right_has_no_problems_and_exits_0(good_app):
    assert problems(good_app) == []
    result = run_doctor(good_app)
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output


def test_the_demo_set_up_exits_1_naming_each_problem(app, roomy_disk):
    result = run_doctor(app)
    assert result.exit_code == 1
    for words in ("data key", "plain text", "Replication is not set up", "No HTTPS proxy"):
        assert words in result.output
    assert "What to do:" in result.output


def test_data_key_in_the_data_folder(app, good_app, roomy_disk):
    found = [p for p in problems(app) if "data key" in p]
    assert found and str(app.extensions["assist.config"].data_dir) in found[0] and "$ASSIST_DATA_KEY" in found[0]
    assert not [p for p in problems(good_app) if "data key" in p]


def test_folder_deliveries_in_plain_text(good_app):
    config = good_app.extensions["assist.config"]
    plain = replace(config.delivery, folder_key="")
    found = [p for p in problems(good_app, delivery=plain) if "plain text" in p]
    assert found and "inside the data folder" in found[0] and "$ASSIST_DELIVERY_KEY" in found[0]
    webhook_only = replace(config, delivery=replace(plain, destinations=("webhook",)))
    assert doctor.check_folder_deliveries(webhook_only, None, {}) == []
    assert not [p for p in problems(good_app) if "plain text" in p]


def test_no_replication(good_app):
    assert any("Replication is not set up" in p for p in problems(good_app, replication=Replication()))
    assert not any("Replication" in p for p in problems(good_app))


def test_not_behind_https(good_app):
    assert any("trusted_proxies" in p for p in problems(good_app, server=Server(trusted_proxies=0)))
    assert not any("HTTPS" in p for p in problems(good_app))


def test_demo_data_folder_and_demo_helper(good_app):
    config = good_app.extensions["assist.config"]
    (config.data_dir / "demo").write_text("demo\n")
    assert any("made as a demo" in p for p in problems(good_app))
    (config.data_dir / "demo").unlink()
    store = good_app.extensions["assist.store"]
    store.add_helper("Sam Helper", "1234", [], helper_id="sam-helper")
    found = [p for p in problems(good_app) if "demo helper" in p]
    assert found and "assist helpers deactivate sam-helper" in found[0]
    store.deactivate_helper("sam-helper")
    assert not any("demo" in p for p in problems(good_app))


def test_retention_very_long(good_app):
    found = [p for p in problems(good_app, retention=Retention(days_after_delivery=3650))]
    assert any("3650 days" in p for p in found)
    assert not any("days after delivery" in p for p in problems(good_app))


def test_database_that_cannot_be_written(good_app, monkeypatch):
    real = Database.execute

    def read_only(self, sql, parameters=None):
        if sql.lstrip().lower().startswith(("insert", "update", "delete")):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(self, sql, parameters)

    monkeypatch.setattr(Database, "execute", read_only)
    found = [p for p in problems(good_app) if "cannot be written" in p]
    assert found and "read-only" in found[0]
    monkeypatch.setattr(Database, "execute", real)
    assert not any("cannot be written" in p for p in problems(good_app))


def test_disk_nearly_full(good_app, monkeypatch):
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * 1024 ** 3, 100 * 1024 ** 3 - 200 * 1024 ** 2,
                                                                        200 * 1024 ** 2))
    found = [p for p in problems(good_app) if "nearly full" in p]
    assert found and "200 MB free" in found[0]
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * 1024 ** 3, 96 * 1024 ** 3, 4 * 1024 ** 3))
    assert any("nearly full" in p for p in problems(good_app))  # 4 GB, but only 4 % of the disk
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: Usage(100 * 1024 ** 3, 90 * 1024 ** 3, 10 * 1024 ** 3))
    assert not any("nearly full" in p for p in problems(good_app))


def test_a_data_key_file_kept_apart_from_the_database(data_dir, tmp_path, roomy_disk, monkeypatch):
    """``security.data_key_file``: the key made on another disk, not in the data folder, and the
    doctor content with it."""
    from assist import create_app
    from assist.config import load_config

    monkeypatch.delenv("ASSIST_DATA_KEY", raising=False)
    keys = tmp_path / "key-drive"
    keys.mkdir()
    config = load_config(ROOT / "config.toml")
    config = replace(config, security=replace(config.security, data_key_file=str(keys / "assist.key")))
    app = create_app(config, testing=True)
    assert (keys / "assist.key").exists()
    assert not (config.data_dir / "data_key").exists()
    assert not [p for p in problems(app) if "data key" in p]
