"""[replication]: the settings, the Litestream config made from them, the supervised child, `assist restore`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assist.config import ConfigError, config_from_mapping
from support import runnable_litestream


def _config(tmp_path: Path, environ: dict | None = None, **replication):
    data = {"storage": {"data_dir": str(tmp_path / "data")}, "delivery": {"destinations": []},
            "replication": replication}
    return config_from_mapping(data, base_dir=tmp_path, environ=environ or {})


def _wait_until(condition, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


# -- settings --------------------------------------------------------------------------------------

def test_replication_is_off_unless_a_replica_is_set(tmp_path):
    assert not _config(tmp_path).replication.enabled


def test_a_replica_folder_is_relative_to_the_config_file_and_must_be_outside_the_data_dir(tmp_path):
    assert _config(tmp_path, replica="backup").replication.replica == str(tmp_path / "backup")
    with pytest.raises(ConfigError) as raised:
        _config(tmp_path, replica="data/replica")
    assert "replication.replica" in str(raised.value) and "inside storage.data_dir" in str(raised.value)


@pytest.mark.parametrize("replica, message", [
    ("ftp://backup.example.gov.uk/assist", "must be a folder, or start file://, sftp:// or s3://"),
    ("s3:///assist", "needs a bucket"),
    ("sftp://backup:hunter2@files.example.gov.uk/assist", "no passwords in the replica address"),
])
def test_a_replica_address_that_cannot_work_is_refused_with_what_to_do(tmp_path, replica, message):
    with pytest.raises(ConfigError) as raised:
        _config(tmp_path, replica=replica)
    assert message in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_s3_keys_come_from_the_environment_and_are_never_written_to_the_litestream_config(tmp_path):
    from assist.replication import litestream_config, litestream_environment

    with pytest.raises(ConfigError) as raised:
        _config(tmp_path, replica="s3://council-backups/assist")
    assert "$ASSIST_REPLICA_ACCESS_KEY_ID: not set" in str(raised.value)

    environ = {"ASSIST_REPLICA_ACCESS_KEY_ID": "AKIDEXAMPLE", "ASSIST_REPLICA_SECRET_ACCESS_KEY": "s3cr3t-value"}
    config = _config(tmp_path, environ, replica="s3://council-backups/assist",
                     endpoint="https://s3.eu-west-2.amazonaws.com", region="eu-west-2", sync_seconds=5,
                     retention_days=3)
    text = litestream_config(config)
    assert "AKIDEXAMPLE" not in text and "s3cr3t-value" not in text
    assert '"s3://council-backups/assist"' in text
    assert 'endpoint: "https://s3.eu-west-2.amazonaws.com"' in text and 'region: "eu-west-2"' in text
    assert 'sync-interval: "5s"' in text and "retention: 72h" in text
    assert f'path: "{config.database_path}"' in text
    environment = litestream_environment(config.replication, {})
    assert environment["LITESTREAM_ACCESS_KEY_ID"] == "AKIDEXAMPLE"
    assert environment["LITESTREAM_SECRET_ACCESS_KEY"] == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(config)


def test_the_litestream_config_replicates_the_database_only_never_the_data_key(tmp_path):
    from assist.replication import litestream_config

    text = litestream_config(_config(tmp_path, replica="backup"))
    assert "data_key" not in text and "secret_key" not in text
    assert text.count("- path:") == 1


# -- the supervised child --------------------------------------------------------------------------

def test_litestream_is_restarted_when_it_dies_and_stopped_with_the_replicator(tmp_path):
    from assist.replication import Replicator
    from assist.storage import Store

    binary = runnable_litestream()
    config = _config(tmp_path, replica="replica")
    Store(config.database_path).migrate()
    replicator = Replicator(config, binary=binary).start()
    try:
        first = replicator.process
        config_file = replicator._config_file.path
        assert os.stat(config_file).st_mode & 0o077 == 0  # private: nobody else reads where the replica is
        _wait_until(lambda: any((tmp_path / "replica").rglob("*.ltx")), what="a first copy in the replica")
        first.kill()
        _wait_until(lambda: replicator.process is not first and replicator.running(), what="litestream restarted")
        assert replicator.restarts == 1
    finally:
        replicator.stop()
    assert not replicator.running()
    assert not config_file.exists()


# -- assist restore --------------------------------------------------------------------------------

def _write_config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n[delivery]\ndestinations = []\n'
                    f'[replication]\nreplica = "{tmp_path / "replica"}"\n')
    return path


def _replicate_once(config, binary: Path) -> None:
    from assist.replication import _ConfigFile

    config_file = _ConfigFile(config)
    try:
        subprocess.run([str(binary), "replicate", "-config", str(config_file.path), "-no-expand-env", "-once"],
                       check=True, capture_output=True, timeout=60)
    finally:
        config_file.remove()


def test_restore_brings_the_database_back_and_refuses_to_overwrite_one(tmp_path, monkeypatch):
    from assist.cli import main
    from assist.config import load_config
    from assist.storage import Store

    binary = runnable_litestream()
    monkeypatch.setenv("ASSIST_CONFIG", str(_write_config(tmp_path)))
    monkeypatch.delenv("ASSIST_DATA_DIR", raising=False)
    monkeypatch.delenv("ASSIST_DATA_KEY", raising=False)
    config = load_config()
    store = Store(config.database_path)
    store.migrate()
    journey = store.start_journey("missed-bin", "1", "en")
    store.close()
    _replicate_once(config, binary)

    result = CliRunner().invoke(main, ["restore"])
    assert result.exit_code == 1
    assert f"there is already a database at {config.database_path}; nothing was changed" in result.output

    result = CliRunner().invoke(main, ["restore", "--to", str(tmp_path / "elsewhere")])
    assert result.exit_code == 0, result.output
    restored = tmp_path / "elsewhere" / "assist.sqlite3"
    assert f"Restored the database at {restored} with the copy in {tmp_path / 'replica'}" in result.output
    assert "The data key is not in the replica" in result.output
    with sqlite3.connect(restored) as conn:
        assert conn.execute("select id from journeys").fetchall() == [(journey,)]

    result = CliRunner().invoke(main, ["restore", "--to", str(tmp_path / "elsewhere"), "--timestamp", "soon"])
    assert result.exit_code == 2 and "'soon' is not a date and time like 2026-12-03T14:30:00Z" in result.output
    result = CliRunner().invoke(main, ["restore", "--to", str(tmp_path / "elsewhere"), "--force"])
    assert result.exit_code == 0 and result.output.startswith("Replaced the database at"), result.output


def test_restore_without_a_replica_says_what_to_set(tmp_path, monkeypatch):
    from assist.cli import main

    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n[delivery]\ndestinations = []\n')
    monkeypatch.setenv("ASSIST_CONFIG", str(path))
    result = CliRunner().invoke(main, ["restore"])
    assert result.exit_code == 1
    assert "no replica is set: set [replication] replica in the config file" in result.output
    assert not (tmp_path / "data").exists()
