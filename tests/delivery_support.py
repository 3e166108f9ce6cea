"""Shared parts of the delivery tests: an app with [delivery] settings, a clock, quick submissions,
and a real HTTP receiver on loopback that stores what it gets by idempotency key."""

from __future__ import annotations

import dataclasses
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assist.moments import ManualClock as Clock
from conftest import CheckingClient
from support import complete_form

SECRET = "a-webhook-secret-for-tests-only"


def with_delivery(config, **settings):
    """``config`` with some ``[delivery]`` settings changed."""
    return dataclasses.replace(config, delivery=dataclasses.replace(config.delivery, **settings))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def delivery_config(config, tmp_path):
    """The demo config delivering to a folder, a webhook on loopback and email (tests choose per form)."""
    return with_delivery(config, destinations=("folder",), folder=tmp_path / "share",
                         webhook_secret=SECRET, backoff_base_seconds=30, backoff_cap_seconds=600, max_attempts=4)


@pytest.fixture
def store(delivery_config, clock):
    from assist.storage import Store

    store = Store(delivery_config.database_path, clock=clock)
    store.migrate()
    yield store
    store.close()


def make_app(config, store):
    from assist import create_app

    app = create_app(config, store=store, testing=True)
    app.test_client_class = CheckingClient
    return app


_ANSWERS: dict = {}


def answers_for(app, form_id: str = "missed-bin") -> dict:
    """Valid answers to ``form_id``, made once by completing the form through the test client."""
    if form_id not in _ANSWERS:
        store = app.extensions["assist.store"]
        form = app.extensions["assist.forms"][form_id]
        routing = store._delivery_routing
        store.set_delivery_routing(None)  # this submission is only a source of answers
        try:
            complete_form(app.test_client(), form)
        finally:
            store.set_delivery_routing(routing)
        row = store.db.execute("select reference from submissions order by rowid desc limit 1").fetchone()
        _ANSWERS[form_id] = store.get_submission(row[0])["answers"]
    return _ANSWERS[form_id]


def submit(store, form, answers: dict, mode: str = "online") -> str:
    """One submission straight through the store (as the journey's submit does)."""
    from assist.engine import make_reference

    journey = store.start_journey(form.id, form.version, "en", mode=mode)
    return store.submit(journey, lambda: make_reference("MB"), answers)


class FakePrintouts:
    """Stands in for WeasyPrint where a test is about something else (the PDF is tested with email)."""

    def __init__(self, size: int = 4096):
        self.size = size

    def completed_copy(self, form, submission, **options) -> bytes:
        body = (submission["reference"].encode() + b" ") * (self.size // 13 + 1)
        return b"%PDF-1.7\n" + body[: self.size] + b"\n%%EOF\n"


class Receiver:
    """A back office on loopback: stores each body by Idempotency-Key, like a well-behaved receiver.

    ``fail_after_store`` answers 500 *after* storing (the answer was lost: the sender must retry,
    and the receiver must not process the repeat). ``seen`` counts every request per key.
    """

    def __init__(self, port: int | None = None, secret: str = SECRET):
        self.port = port or free_port()
        self.secret = secret
        self.stored: dict[str, bytes] = {}
        #: The headers of the request whose body was stored, by key.
        self.headers: dict[str, dict[str, str]] = {}
        self.processed: dict[str, int] = {}
        self.seen: dict[str, int] = {}
        self.bad_signatures = 0
        self.fail_after_store: set[str] = set()
        self.lock = threading.Lock()
        self.received = threading.Condition(self.lock)
        self.server = None
        #: While set, the receiver stores a request and then hangs before answering (sender killed meanwhile).
        self.hang = threading.Event()
        self.released = threading.Event()

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                from assist.delivery import verify_signature

                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("Idempotency-Key")
                if not verify_signature(receiver.secret, body, self.headers.get("X-Assist-Signature")):
                    with receiver.lock:
                        receiver.bad_signatures += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.seen[key] = receiver.seen.get(key, 0) + 1
                    if key not in receiver.stored:
                        receiver.stored[key] = body
                        receiver.headers[key] = dict(self.headers.items())
                        receiver.processed[key] = receiver.processed.get(key, 0) + 1
                    fail = key in receiver.fail_after_store
                    receiver.fail_after_store.discard(key)
                    receiver.received.notify_all()
                if receiver.hang.is_set():
                    receiver.released.wait(30)
                self.send_response(500 if fail else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.released.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/submissions"

    def wait_for(self, count: int, timeout: float = 20) -> bool:
        with self.received:
            return self.received.wait_for(lambda: len(self.stored) >= count, timeout)
