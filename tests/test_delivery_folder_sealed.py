"""Folder deliveries encrypted for the back office with the delivery key, `assist decrypt`, and purging them."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from delivery_support import (FakePrintouts, answers_for, clock, delivery_config, make_app, store,  # noqa: F401
                              submit, with_delivery)

KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()


def _deliver_one(delivery_config, store, tmp_path, key: str = KEY):
    from assist.delivery import Worker

    folder = tmp_path / "share"
    settings = with_delivery(delivery_config, destinations=("folder",), folder=folder, folder_key=key)
    app = make_app(settings, store)
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    worker = Worker(store, app.extensions["assist.forms"], settings, printouts=FakePrintouts())
    assert worker.run_once().delivered == 1
    return app, folder, reference


def _cli_env(tmp_path, monkeypatch, key: str | None):
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n')
    monkeypatch.setenv("ASSIST_CONFIG", str(config))
    if key is None:
        monkeypatch.delenv("ASSIST_DELIVERY_KEY", raising=False)
    else:
        monkeypatch.setenv("ASSIST_DELIVERY_KEY", key)


def test_with_a_delivery_key_the_folder_holds_only_encrypted_files(delivery_config, store, tmp_path):
    app, folder, reference = _deliver_one(delivery_config, store, tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == [f"{reference}.json.enc", f"{reference}.pdf.enc"]
    answers = answers_for(app)
    text = next(value for value in answers.values() if isinstance(value, str) and len(value) > 3)
    for path in folder.iterdir():
        data = path.read_bytes()
        assert text.encode() not in data and reference.encode() not in data and b"%PDF" not in data
    row = store.list_deliveries(reference=reference)[0]
    assert row["status"] == "delivered"


def test_assist_decrypt_opens_them_for_the_back_office(delivery_config, store, tmp_path, monkeypatch):
    from assist.cli import main

    _, folder, reference = _deliver_one(delivery_config, store, tmp_path)
    _cli_env(tmp_path, monkeypatch, KEY)
    out = tmp_path / "opened"
    sealed = [str(folder / f"{reference}.json.enc"), str(folder / f"{reference}.pdf.enc")]
    result = CliRunner().invoke(main, ["decrypt", *sealed, "--to", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / f"{reference}.json").read_text())["reference"] == reference
    assert (out / f"{reference}.pdf").read_bytes().startswith(b"%PDF")


def test_decrypt_refuses_the_wrong_key_and_a_renamed_file_in_plain_words(delivery_config, store, tmp_path,
                                                                        monkeypatch):
    from assist.cli import main

    _, folder, reference = _deliver_one(delivery_config, store, tmp_path)
    renamed = folder / "MB-OTHER.pdf.enc"
    renamed.write_bytes((folder / f"{reference}.pdf.enc").read_bytes())
    _cli_env(tmp_path, monkeypatch, KEY)
    result = CliRunner().invoke(main, ["decrypt", str(renamed), "--to", str(tmp_path / "opened")])
    assert result.exit_code == 1
    assert "could not be opened with this delivery key" in result.output
    assert not (tmp_path / "opened" / "MB-OTHER.pdf").exists()

    _cli_env(tmp_path, monkeypatch, OTHER_KEY)
    result = CliRunner().invoke(main, ["decrypt", str(folder / f"{reference}.json.enc")])
    assert result.exit_code == 1 and "could not be opened with this delivery key" in result.output

    _cli_env(tmp_path, monkeypatch, None)
    result = CliRunner().invoke(main, ["decrypt", str(folder / f"{reference}.json.enc")])
    assert result.exit_code == 1 and "$ASSIST_DELIVERY_KEY is not set" in result.output


def test_a_delivery_key_that_is_not_a_key_is_refused_at_start(tmp_path):
    from assist.config import ConfigError, config_from_mapping

    with pytest.raises(ConfigError) as raised:
        config_from_mapping({"storage": {"data_dir": str(tmp_path)}}, environ={"ASSIST_DELIVERY_KEY": "secret"})
    assert "$ASSIST_DELIVERY_KEY: not a data key" in str(raised.value)
    assert "delivery key for the \"folder\" destination" in str(raised.value)


def test_the_purge_deletes_the_folder_files_with_the_answers(delivery_config, store, clock, tmp_path):
    from assist.reporting.retention import purge

    for key in (KEY, ""):  # encrypted or plain
        app, folder, reference = _deliver_one(delivery_config, store, tmp_path, key=key)
        settings = app.extensions["assist.config"]
        assert any(folder.iterdir())
        kept = purge(store, app.extensions["assist.forms"], settings)
        assert kept.folder_files == 0 and len(list(folder.glob(f"{reference}*"))) == 2
        clock.now += timedelta(days=settings.retention.days_after_delivery + 1)
        result = purge(store, app.extensions["assist.forms"], settings)
        assert result.folder_files == 2
        assert not list(folder.glob(f"{reference}*"))
        assert "Deleted 2 delivered files from the delivery folder." in result.lines()
