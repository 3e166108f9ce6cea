"""Residents' answers encrypted at rest: nothing readable in the database files, the key kept outside
the database, tampering detected, a wrong or missing key stopping start-up, and `assist rotate-key`."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import stat

import pytest
from click.testing import CliRunner

import support
from conftest import ROOT, csrf_token
from delivery_support import FakePrintouts, answers_for, make_app, submit, with_delivery
from delivery_support import clock, delivery_config, store  # noqa: F401 - fixtures
from support import complete_form, walk_to

#: What the resident types, distinctive enough to search for in the raw database files.
NAME = "Zephyrine Quillfeather"
STREET = "77 Marmalade Quay"
TOWN = "Wrenbury-under-Lyme"
EMAIL = "zephyrine.q@example.org"
STORY = "My neighbour Obadiah collects the parcels on Thursdays"
TYPED = (NAME, "Zephyrine", "Quillfeather", STREET, TOWN, EMAIL, STORY)


EXAMPLE_RAW = support.example_raw


def distinctive_raw(question, avoid=frozenset()):
    raw = EXAMPLE_RAW(question, avoid)
    replacements = {"Sam Example": NAME, "Sam": "Zephyrine", "Example": "Quillfeather", "1 High Street": STREET,
                    "Demotown": TOWN, "sam@example.com": EMAIL}
    limit = question.options.get("max_length") or 1000
    for key, value in raw.items():
        if isinstance(value, str) and len(replacements.get(value, value)) <= limit:
            raw[key] = replacements.get(value, value)
    if question.type == "long_text" and len(STORY) <= limit:
        raw[question.id] = STORY
    return raw


@pytest.fixture
def typing(monkeypatch):
    """complete_form and walk_to type the distinctive answers above."""
    monkeypatch.setattr(support, "example_raw", distinctive_raw)


def raw_bytes(store) -> bytes:
    """Everything on disk for the database: the file and its write-ahead log."""
    data = b""
    for suffix in ("", "-wal"):
        path = store.path.with_name(store.path.name + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


def form_with_everything(app):
    return app.extensions["assist.forms"]["council-tax-reduction"]


def answer_everything(client, form) -> str:
    """Answer every page but do not submit; return the check answers page's HTML."""
    last = form.pages[-1]
    url = walk_to(client, form, last)
    data = {"csrf_token": csrf_token(client.get(url))}
    for question in last.questions:
        data.update(distinctive_raw(question))
    response = client.post(url, data=data)
    assert response.headers["Location"].endswith("/check-answers"), response.headers["Location"]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def submit_one(app, client) -> str:
    store = app.extensions["assist.store"]
    complete_form(client, form_with_everything(app))
    return store.db.execute("select reference from submissions order by rowid desc").fetchone()[0]


def test_answers_are_nowhere_in_the_database_files_yet_shown_to_the_resident(app, client, typing):
    store = app.extensions["assist.store"]
    form = form_with_everything(app)
    reference = submit_one(app, client)
    check_answers = answer_everything(app.test_client(), form)
    journey_id = store.db.execute("select journey_id from drafts where answers != '{}'").fetchone()[0]

    submitted = json.dumps(store.get_submission(reference)["answers"], ensure_ascii=False)
    drafted = json.dumps(store.get_journey(journey_id)["answers"], ensure_ascii=False)
    for text in (NAME, STREET, TOWN, EMAIL, STORY):
        assert text in submitted
    assert NAME in drafted and STREET in drafted
    on_disk = raw_bytes(store)
    for text in TYPED:
        assert text.encode() not in on_disk, text
    stored = [row[0] for row in store.db.execute("select answers from submissions union all "
                                                 "select answers from drafts where answers != '{}'")]
    assert stored and all(value.startswith("enc1:") for value in stored)
    assert NAME in check_answers and STREET in check_answers


def test_deliveries_carry_the_answers_in_plain_text(delivery_config, store, tmp_path, typing):
    from assist.delivery import Worker

    settings = with_delivery(delivery_config, folder=tmp_path / "share")
    app = make_app(settings, store)
    store.set_delivery_routing(lambda form_id: ["folder"])
    reference = submit_one(app, app.test_client())
    Worker(store, app.extensions["assist.forms"], settings, printouts=FakePrintouts()).run_once()
    delivered = (tmp_path / "share" / f"{reference}.json").read_text(encoding="utf-8")
    assert NAME in delivered and STORY in delivered
    assert NAME.encode() not in raw_bytes(store)


def test_the_residents_printed_copy_shows_the_answers(app, client, typing):
    from printouts_support import flat, pdf_text

    reference = submit_one(app, client)
    response = client.get(f"/print/copy/{reference}.pdf")
    assert response.status_code == 200
    assert NAME in flat(pdf_text(response.data))


def test_key_file_is_owner_only_and_never_in_the_database(app, client, config, typing):
    store = app.extensions["assist.store"]
    submit_one(app, client)
    key_file = config.data_dir / "data_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = base64.b64decode(key_file.read_text().strip())
    on_disk = raw_bytes(store)
    assert key not in on_disk and base64.b64encode(key) not in on_disk
    assert not str(key_file).startswith(str(ROOT))
    key_file.chmod(0o644)  # restored from a backup by hand
    from assist import create_app

    create_app(config)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_changed_byte_in_stored_answers_is_an_error_not_wrong_answers(app, client, typing):
    from assist.storage import TamperedData

    store = app.extensions["assist.store"]
    reference = submit_one(app, client)
    value = store.db.execute("select answers from submissions where reference = ?", [reference]).fetchone()[0]
    position = len(value) - 30
    flipped = value[:position] + ("A" if value[position] != "A" else "B") + value[position + 1:]
    with store.transaction() as db:
        db.execute("update submissions set answers = ? where reference = ?", [flipped, reference])
    with pytest.raises(TamperedData, match="integrity check"):
        store.get_submission(reference)


def test_answers_copied_to_another_row_do_not_open(app, client, typing):
    from assist.storage import TamperedData

    store = app.extensions["assist.store"]
    first, second = submit_one(app, client), submit_one(app, app.test_client())
    with store.transaction() as db:
        db.execute("update submissions set answers = (select answers from submissions where reference = ?) "
                   "where reference = ?", [first, second])
    assert store.get_submission(first)["answers"]
    with pytest.raises(TamperedData):
        store.get_submission(second)


def test_a_wrong_or_missing_key_stops_start_up_with_what_to_do(app, client, config, typing):
    from assist import create_app
    from assist.storage import DataKeyError

    submit_one(app, client)
    key_file = config.data_dir / "data_key"
    saved = key_file.read_bytes()
    key_file.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    with pytest.raises(DataKeyError, match="Restore the matching data key from your backup"):
        create_app(config)
    key_file.unlink()
    with pytest.raises(DataKeyError, match="there is no data key") as raised:
        create_app(config)
    assert "data_key" in str(raised.value) and not key_file.exists()  # no new key made over the data
    key_file.write_bytes(saved)
    assert create_app(config)


def test_the_command_line_says_what_is_wrong_with_the_key_without_a_traceback(app, client, config, typing,
                                                                                monkeypatch):
    submit_one(app, client)
    from assist.cli import main

    monkeypatch.setenv("ASSIST_DATA_KEY", base64.b64encode(os.urandom(32)).decode())
    result = CliRunner().invoke(main, ["init-db"])
    assert result.exit_code == 1
    assert "$ASSIST_DATA_KEY has key" in result.output and "Traceback" not in result.output


def test_plaintext_answers_of_an_older_database_are_encrypted_at_start_up(app, client, config, typing):
    from assist import create_app

    store = app.extensions["assist.store"]
    reference = submit_one(app, client)
    answers = store.get_submission(reference)["answers"]
    with store.transaction() as db:  # as a version before encryption stored them
        db.execute("update submissions set answers = ? where reference = ?",
                   [json.dumps(answers, ensure_ascii=False), reference])
    store.close()
    again = create_app(config).extensions["assist.store"]
    assert again.get_submission(reference)["answers"] == answers
    stored = again.db.execute("select answers from submissions where reference = ?", [reference]).fetchone()[0]
    assert stored.startswith("enc1:")
    assert NAME.encode() not in raw_bytes(again)


def _sealed_besides_answers(store) -> int:
    """Values sealed with the data key that are not answers: browser sessions, the digests' key."""
    return sum(store.db.execute(f"select count(*) from {table}").fetchone()[0]
               for table in ("browser_sessions", "digest_keys"))


def test_rotate_key_reencrypts_everything_and_the_old_key_is_no_longer_needed(app, client, config, typing):
    from assist import create_app
    from assist.cli import main

    store = app.extensions["assist.store"]
    reference = submit_one(app, client)
    answer_everything(app.test_client(), form_with_everything(app))
    journey_id = store.db.execute("select journey_id from drafts where answers != '{}'").fetchone()[0]
    before = (store.get_submission(reference)["answers"], store.get_journey(journey_id)["answers"])
    old_ids = set(store.stored_key_ids())
    old_key = (config.data_dir / "data_key").read_text()

    result = CliRunner().invoke(main, ["rotate-key"])
    assert result.exit_code == 0, result.output
    assert "Back it up now" in result.output

    new_key = (config.data_dir / "data_key").read_text()
    assert new_key != old_key and len(new_key.split()) == 1
    assert stat.S_IMODE((config.data_dir / "data_key").stat().st_mode) == 0o600
    fresh = create_app(config).extensions["assist.store"]
    ids = fresh.stored_key_ids()
    # The submission's and the draft's answers, and the rest sealed with the data key (browser
    # sessions, the paper digests' key): every one of them re-encrypted.
    assert len(ids) == 1 and not set(ids) & old_ids and sum(ids.values()) == 2 + _sealed_besides_answers(fresh)
    assert (fresh.get_submission(reference)["answers"], fresh.get_journey(journey_id)["answers"]) == before
    assert (store.get_submission(reference)["answers"], store.get_journey(journey_id)["answers"]) == before
    (config.data_dir / "data_key").write_text(old_key)  # the old key alone opens nothing now
    from assist.storage import DataKeyError

    with pytest.raises(DataKeyError):
        create_app(config)


def test_a_running_server_follows_a_key_change_made_by_the_command(app, client, config, typing):
    from assist.storage import Store

    server = app.extensions["assist.store"]
    reference = submit_one(app, client)
    answers = server.get_submission(reference)["answers"]
    rotation = Store(config.database_path).rotate_data_key()  # another process: `assist rotate-key`
    assert server.get_submission(reference)["answers"] == answers
    journey_id = server.start_journey("missed-bin", "1", "en")
    server.save_answers(journey_id, {"street": STREET}, "street")
    assert server.stored_key_ids() == {rotation.new_id: 2 + _sealed_besides_answers(server)}
    assert server.get_journey(journey_id)["answers"] == {"street": STREET}


def test_an_interrupted_rotation_leaves_every_answer_readable_and_can_be_run_again(app, client, config, typing,
                                                                                   monkeypatch):
    from assist import create_app
    from assist.storage.encryption import EncryptionMixin

    store = app.extensions["assist.store"]
    reference = submit_one(app, client)
    answers = store.get_submission(reference)["answers"]

    def killed(self, ring):
        raise KeyboardInterrupt  # stopped before the transaction committed

    with monkeypatch.context() as patch:
        patch.setattr(EncryptionMixin, "reencrypt", killed)
        with pytest.raises(KeyboardInterrupt):
            store.rotate_data_key()
    assert len((config.data_dir / "data_key").read_text().split()) == 2  # new and old kept
    assert create_app(config).extensions["assist.store"].get_submission(reference)["answers"] == answers
    rotation = store.rotate_data_key()
    assert rotation.values == 1 + _sealed_besides_answers(store) and list(store.stored_key_ids()) == [rotation.new_id]
    assert len((config.data_dir / "data_key").read_text().split()) == 1
    assert store.get_submission(reference)["answers"] == answers


def test_rotating_a_key_from_the_environment_writes_the_new_key_to_a_file(data_dir, tmp_path, monkeypatch, typing):
    from assist import create_app
    from assist.cli import main
    from assist.config import load_config

    old = base64.b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("ASSIST_DATA_KEY", old)
    app = create_app(load_config(ROOT / "config.toml"))
    reference = submit_one(app, app.test_client())
    answers = app.extensions["assist.store"].get_submission(reference)["answers"]
    assert not (data_dir / "data_key").exists()

    refused = CliRunner().invoke(main, ["rotate-key"])
    assert refused.exit_code == 1 and "--new-key-file" in refused.output
    new_file = tmp_path / "new-data-key"
    result = CliRunner().invoke(main, ["rotate-key", "--new-key-file", str(new_file)])
    assert result.exit_code == 0, result.output
    assert "Set $ASSIST_DATA_KEY to it" in result.output
    assert stat.S_IMODE(new_file.stat().st_mode) == 0o600 and not (data_dir / "data_key").exists()

    monkeypatch.setenv("ASSIST_DATA_KEY", new_file.read_text().strip())
    store = create_app(load_config(ROOT / "config.toml")).extensions["assist.store"]
    assert store.get_submission(reference)["answers"] == answers
    monkeypatch.setenv("ASSIST_DATA_KEY", old)
    assert CliRunner().invoke(main, ["init-db"]).exit_code == 1


def test_a_delivery_error_is_encrypted_too(delivery_config, store, tmp_path):
    app = make_app(delivery_config, store)
    store.set_delivery_routing(lambda form_id: ["webhook"])
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    row = store.list_deliveries(reference=reference)[0]
    quoted = "webhook answered 422: name 'Zephyrine Quillfeather' is not on the electoral roll"
    store.mark_attempt_failed(row["id"], "worker", quoted, store.now())
    assert store.get_delivery(row["id"])["last_error"] == quoted
    assert store.submission_record(reference)["deliveries"][0]["last_error"] == quoted
    assert NAME.encode() not in raw_bytes(store)


def test_statistics_and_admin_lists_need_no_key(app, client, tmp_path, typing):
    """The dashboard summaries and the admin's submission list read plain columns only."""
    from assist.storage import DataKeyError, DataKeys, Store

    reference = submit_one(app, client)
    keyless = Store(app.extensions["assist.store"].path, keys=DataKeys(tmp_path / "no-such-key"))
    with pytest.raises(DataKeyError):
        keyless.get_submission(reference)
    counted = keyless.db.execute("select sum(submitted) from stats_forms where form_id = ?",
                                 ["council-tax-reduction"]).fetchone()[0]
    assert counted == 1
    found = keyless.find_submissions(reference=reference)
    assert [s["reference"] for s in found] == [reference] and keyless.submission_record(reference)["has_answers"]


def test_config_names_the_environment_variable(tmp_path, monkeypatch):
    from assist.config import config_from_mapping

    monkeypatch.delenv("ASSIST_DATA_KEY", raising=False)
    config = config_from_mapping({"security": {"data_key_env": "COUNCIL_DATA_KEY"}}, base_dir=tmp_path,
                                 environ={"COUNCIL_DATA_KEY": "  abc  "})
    assert config.security.data_key_env == "COUNCIL_DATA_KEY" and config.data_key_from_env == "abc"
    assert "abc" not in repr(config) and dataclasses.replace(config).data_key_from_env == "abc"
