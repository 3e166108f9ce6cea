"""The outbox: rows written with the submission, routing per form, retries with backoff, failure."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from delivery_support import (SECRET, FakePrintouts, Receiver, answers_for, clock, delivery_config,  # noqa: F401
                              make_app, store, submit, with_delivery)


class Broken:
    """A destination that is down."""

    name = "folder"

    def __init__(self):
        self.calls = 0

    def deliver(self, parcel, timeout):
        from assist.delivery import DeliveryError

        self.calls += 1
        raise DeliveryError("connection refused")


@pytest.fixture
def app(delivery_config, store):
    return make_app(delivery_config, store)


def forms(app):
    return app.extensions["assist.forms"]


def test_submit_writes_one_outbox_row_per_destination_in_the_same_transaction(app, store):
    form = forms(app)["missed-bin"]
    answers = answers_for(app)
    store.set_delivery_routing(lambda form_id: ("folder", "webhook"))
    reference = submit(store, form, answers)
    rows = store.list_deliveries(reference=reference)
    assert sorted(r["destination"] for r in rows) == ["folder", "webhook"]
    assert {r["idempotency_key"] for r in rows} == {f"{reference}-folder", f"{reference}-webhook"}
    assert all(r["status"] == "pending" and r["attempts"] == 0 for r in rows)

    # A transaction that fails after submit leaves neither the submission nor its outbox rows.
    journey = store.start_journey(form.id, form.version, "en")
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.submit(journey, lambda: "MB-ROLL-BACK", answers)
            raise RuntimeError("power cut")
    assert store.get_submission("MB-ROLL-BACK") is None
    assert store.list_deliveries(reference="MB-ROLL-BACK") == []

    # Submitting twice (double tap) queues nothing more.
    count = len(store.list_deliveries())
    journey = store.start_journey(form.id, form.version, "en")
    first = store.submit(journey, lambda: "MB-TWO-TAPS", answers)
    assert store.submit(journey, lambda: "MB-OTHER", answers) == first
    assert len(store.list_deliveries()) == count + 2


def test_routing_unknown_destination_is_refused_and_nothing_is_saved(app, store):
    form = forms(app)["missed-bin"]
    store.set_delivery_routing(lambda form_id: ("fax",))
    journey = store.start_journey(form.id, form.version, "en")
    with pytest.raises(ValueError, match="unknown destination 'fax'"):
        store.submit(journey, lambda: "MB-FAX", answers_for(app))
    assert store.get_submission("MB-FAX") is None


def test_a_submission_through_the_web_is_queued_for_the_councils_default(app, store):
    from support import complete_form

    complete_form(app.test_client(), forms(app)["school-meals"])
    rows = store.list_deliveries()
    assert [(r["form_id"], r["destination"]) for r in rows] == [("school-meals", "folder")]


def test_a_form_can_name_its_own_destinations(delivery_config, tmp_path, store):
    from assist.delivery import destinations_for
    from assist.engine import load_form

    source = (delivery_config.forms_dir / "missed-bin.toml").read_text(encoding="utf-8")
    path = tmp_path / "missed-bin.toml"
    path.write_text('destinations = ["webhook", "folder"]\n' + source, encoding="utf-8")
    form = load_form(path)
    assert form.destinations == ["webhook", "folder"]
    assert destinations_for(delivery_config, form) == ("webhook", "folder")
    default = load_form(delivery_config.forms_dir / "missed-bin.toml")
    assert default.destinations is None
    assert destinations_for(delivery_config, default) == ("folder",)


def test_form_destinations_are_checked_when_loading(tmp_path, delivery_config):
    from assist.engine import DefinitionError, load_form

    source = (delivery_config.forms_dir / "missed-bin.toml").read_text(encoding="utf-8")
    path = tmp_path / "missed-bin.toml"
    path.write_text('destinations = ["webhok", "folder", "folder"]\n' + source, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_form(path)
    messages = [f"{p.path}: {p.message}" for p in caught.value.problems]
    assert "destinations[0]: unknown destination 'webhok' (did you mean 'webhook'?); use one of: email, webhook, folder" in messages
    assert "destinations[2]: 'folder' is listed twice" in messages


def test_the_app_refuses_to_start_when_a_forms_destination_is_not_configured(config, store, tmp_path):
    from assist import create_app
    from assist.config import ConfigError

    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    source = (config.forms_dir / "missed-bin.toml").read_text(encoding="utf-8")
    (forms_dir / "missed-bin.toml").write_text('destinations = ["webhook"]\n' + source, encoding="utf-8")
    broken = dataclasses.replace(config, forms=dataclasses.replace(config.forms, directory=forms_dir))
    with pytest.raises(ConfigError) as caught:
        create_app(broken, store=store, testing=True)
    assert "form missed-bin (missed-bin.toml) needs delivery.webhook_url" in str(caught.value)


def test_failed_attempts_back_off_exponentially_with_jitter_then_fail_and_can_be_retried(app, store, clock,
                                                                                        delivery_config):
    from assist.delivery import Backoff, Worker

    form = forms(app)["missed-bin"]
    reference = submit(store, form, answers_for(app))
    broken = Broken()
    worker = Worker(store, forms(app), delivery_config, destinations={"folder": broken},
                    backoff=Backoff(30, 600, rng=lambda: 1.0), printouts=FakePrintouts())
    waits = []
    for attempt in range(1, 5):
        result = worker.run_once()
        row = store.list_deliveries(reference=reference)[0]
        assert row["attempts"] == attempt
        assert row["last_error"] == "connection refused"
        if attempt < 4:
            assert result.retrying == 1 and row["status"] == "pending"
            due = row["next_attempt_at"]
            waits.append(int((_parse(due) - clock()).total_seconds()))
            assert worker.run_once().attempts == 0  # not due yet: nothing tried
            clock.advance(seconds=waits[-1])
        else:
            assert result.failed == 1 and row["status"] == "failed"
    assert waits == [30, 60, 120]
    assert broken.calls == 4
    # Failed rows are kept, shown to admins, and never tried again on their own.
    clock.advance(days=30)
    assert worker.run_once().attempts == 0
    assert store.delivery_counts() == {"pending": 0, "delivered": 0, "failed": 1}
    assert store.get_submission(reference) is not None

    # Fixed: an admin tries again; it is delivered.
    row = store.list_deliveries(status="failed")[0]
    assert store.retry_delivery(row["id"])
    worker.destinations = {"folder": _Ok()}
    assert worker.run_once().delivered == 1
    assert store.delivery_counts() == {"pending": 0, "delivered": 1, "failed": 0}


def test_jitter_spreads_waits_between_half_and_all_of_the_exponential_delay_up_to_the_cap():
    from assist.delivery import Backoff

    low, high = Backoff(10, 100, rng=lambda: 0.0), Backoff(10, 100, rng=lambda: 0.999999)
    assert [low.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [5, 10, 20, 40, 50, 50]
    assert [round(high.delay(n)) for n in (1, 2, 3, 4, 5, 6)] == [10, 20, 40, 80, 100, 100]
    assert Backoff(10, 100, rng=lambda: 0.5).delay(3) == 30  # halfway between half and all of 40
    import random

    # One generator for many submissions that failed together: their waits are spread over the range.
    backoff = Backoff(10, 100, rng=random.Random(7).random)
    waits = [backoff.delay(3) for _ in range(500)]
    assert all(20 <= wait <= 40 for wait in waits)
    assert min(waits) < 21 and max(waits) > 39
    assert len({round(wait, 6) for wait in waits}) > 490
    quarters = [sum(20 + 5 * q <= wait < 25 + 5 * q for wait in waits) for q in range(4)]
    assert all(90 <= count <= 160 for count in quarters), quarters


class _Ok:
    name = "folder"

    def deliver(self, parcel, timeout):
        return "ok"


def _parse(text):
    from assist.moments import parse_moment

    return parse_moment(text)


def test_claims_are_leases_and_a_dead_claimants_rows_are_taken_over(app, store, clock):
    form = forms(app)["missed-bin"]
    submit(store, form, answers_for(app))
    lease = timedelta(minutes=5)
    mine = store.claim_deliveries("host:1:a", lease)  # a pid on another host: cannot be checked
    assert len(mine) == 1
    assert store.claim_deliveries("other:2:b", lease) == []
    clock.advance(minutes=6)
    assert len(store.claim_deliveries("other:2:b", lease)) == 1


def test_submission_json_document_has_the_documented_shape(app, store, delivery_config):
    from assist.delivery import SCHEMA_VERSION, Worker

    form = forms(app)["missed-bin"]
    reference = submit(store, form, answers_for(app))
    document = Worker(store, forms(app), delivery_config, printouts=FakePrintouts()).document(reference)
    assert document["schema_version"] == SCHEMA_VERSION == 2
    assert list(document) == ["schema", "schema_version", "reference", "form", "language", "mode", "venue", "helper",
                              "paper", "started_at", "submitted_at", "answers", "files"]
    assert document["files"] == []  # version 2: always there, empty for a form without evidence
    assert document["form"] == {"id": "missed-bin", "version": form.version, "title": form.title}
    assert document["reference"] == reference and document["mode"] == "online" and document["paper"] is None
    for question_id, answer in document["answers"].items():
        question = form.question(question_id)
        assert answer["question"] == question.label
        assert answer["number"] == form.number_of(question_id)
        assert answer["value"] == answers_for(app)[question_id]
        assert isinstance(answer["display"], str) and answer["display"]
    json.dumps(document)
    docs = (delivery_config.forms_dir.parent / "docs" / "delivery.md").read_text(encoding="utf-8")
    for key in document:
        assert f"`{key}`" in docs, key
