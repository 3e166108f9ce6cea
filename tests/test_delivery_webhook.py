"""Webhook delivery to a real HTTP server on loopback: signature, outage then recovery, idempotency."""

from __future__ import annotations

import json

import pytest

from delivery_support import (SECRET, FakePrintouts, Receiver, answers_for, clock, delivery_config,  # noqa: F401
                              free_port, make_app, store, submit, with_delivery)


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.stop()


def webhook_app(delivery_config, store, receiver):
    settings = with_delivery(delivery_config, destinations=("webhook",), webhook_url=receiver.url, timeout_seconds=5)
    return settings, make_app(settings, store)


def worker_for(app, settings):
    from assist.delivery import Backoff, Worker

    return Worker(app.extensions["assist.store"], app.extensions["assist.forms"], settings,
                  printouts=FakePrintouts(), backoff=Backoff(30, 600, rng=lambda: 0.5))


def test_webhook_body_is_the_submission_json_signed_with_hmac_sha256(delivery_config, store, receiver):
    import hashlib
    import hmac

    settings, app = webhook_app(delivery_config, store, receiver)
    receiver.start()
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    assert worker_for(app, settings).run_once().delivered == 1
    key = f"{reference}-webhook"
    assert list(receiver.stored) == [key] and receiver.bad_signatures == 0
    body = receiver.stored[key]
    assert json.loads(body)["reference"] == reference
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    from assist.delivery import signature, verify_signature

    assert signature(SECRET, body) == expected
    assert not verify_signature("another secret of enough length", body, expected)
    assert store.list_deliveries(reference=reference)[0]["detail"] == "webhook answered 201"


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(delivery_config, store, receiver):
    settings, app = webhook_app(delivery_config, store, receiver)
    receiver.secret = "the back office has another secret"
    receiver.start()
    reference = submit(store, app.extensions["assist.forms"]["missed-bin"], answers_for(app))
    assert worker_for(app, settings).run_once().retrying == 1
    assert receiver.bad_signatures == 1 and receiver.stored == {}
    assert "401" in store.list_deliveries(reference=reference)[0]["last_error"]


def test_receiver_down_for_a_while_then_up_everything_delivered_once(delivery_config, store, receiver, clock):
    settings, app = webhook_app(delivery_config, store, receiver)
    form = app.extensions["assist.forms"]["missed-bin"]
    references = [submit(store, form, answers_for(app)) for _ in range(12)]
    worker = worker_for(app, settings)
    # Down: nothing listens on the port. Every attempt fails and is put off.
    for _ in range(2):
        result = worker.run_once()
        assert result.retrying == 12 and result.delivered == 0
        clock.advance(minutes=10)
    rows = store.list_deliveries()
    assert all(r["status"] == "pending" and r["attempts"] == 2 for r in rows)
    assert all("refused" in r["last_error"].lower() for r in rows)
    # Up again, and the first answer for three of them is lost (500 after storing).
    receiver.fail_after_store = {f"{references[i]}-webhook" for i in (0, 5, 11)}
    receiver.start()
    result = worker.run_once()
    assert result.delivered == 9 and result.retrying == 3
    clock.advance(minutes=10)
    assert worker.run_once().delivered == 3
    assert store.delivery_counts() == {"pending": 0, "delivered": 12, "failed": 0}
    assert set(receiver.stored) == {f"{r}-webhook" for r in references}
    # Each key was processed once, although three of them arrived twice.
    assert all(count == 1 for count in receiver.processed.values())
    assert sorted(receiver.seen.values()) == [1] * 9 + [2] * 3
    assert worker.run_once().attempts == 0


def test_background_worker_delivers_as_soon_as_a_submission_is_made(delivery_config, store, receiver):
    from assist.delivery import start_background
    from support import complete_form

    settings, app = webhook_app(delivery_config, store, receiver)
    receiver.start()
    worker = start_background(app, printouts=FakePrintouts())
    try:
        complete_form(app.test_client(), app.extensions["assist.forms"]["missed-bin"])
        assert receiver.wait_for(1, timeout=10)
    finally:
        worker.stop()
    [body] = receiver.stored.values()
    assert json.loads(body)["form"]["id"] == "missed-bin"


def test_plain_http_is_allowed_only_to_loopback(config):
    from assist.config import ConfigError, config_from_mapping

    with pytest.raises(ConfigError, match="must start https://"):
        config_from_mapping({"delivery": {"webhook_url": "http://backoffice.example.gov.uk/hook"}}, environ={})
    loaded = config_from_mapping({"delivery": {"webhook_url": "http://127.0.0.1:9/hook"}}, environ={})
    assert loaded.delivery.webhook_url == "http://127.0.0.1:9/hook"
    with pytest.raises(ConfigError, match="ASSIST_WEBHOOK_SECRET"):
        config_from_mapping({"delivery": {"destinations": ["webhook"], "webhook_url": "https://b.example.gov.uk/h"}},
                            environ={})
    ok = config_from_mapping({"delivery": {"destinations": ["webhook"], "webhook_url": "https://b.example.gov.uk/h"}},
                             environ={"ASSIST_WEBHOOK_SECRET": SECRET})
    assert ok.delivery.webhook_secret == SECRET and SECRET not in repr(ok)
