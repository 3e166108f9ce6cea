"""Delivery: submissions delivered per second from the outbox to a local receiver.

``python -m bench.delivery`` runs just these; ``bench/__main__.py`` calls :func:`main`.

* webhook: signed JSON POSTs to an HTTP server on 127.0.0.1 that checks every signature and
  stores by idempotency key (the whole path: claim, build the JSON, sign, POST, record);
* folder: JSON and the council-copy PDF (WeasyPrint) written atomically, which the PDF dominates.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-webhook-secret-0123456789"
WEBHOOK_SUBMISSIONS = 500
FOLDER_SUBMISSIONS = 20


def _receiver():
    from assist.delivery import verify_signature

    stored: dict[str, int] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = verify_signature(SECRET, body, self.headers.get("X-Assist-Signature"))
            if ok:
                with lock:
                    stored.setdefault(self.headers["Idempotency-Key"], len(body))
            self.send_response(201 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, stored


def _setup(folder: Path, destinations: tuple[str, ...], url: str = ""):
    from assist.config import load_config
    from assist.delivery import configure_store
    from assist.engine import load_forms
    from assist.storage import Store

    config = load_config(ROOT / "config.toml", environ={"ASSIST_DATA_DIR": str(folder / "data"),
                                                        "ASSIST_WEBHOOK_SECRET": SECRET})
    config = dataclasses.replace(config, delivery=dataclasses.replace(
        config.delivery, destinations=destinations, webhook_url=url, folder=folder / "share"))
    forms = load_forms(config.forms_dir)
    store = Store(config.database_path)
    store.migrate()
    configure_store(store, config, forms)
    return config, forms, store


def _submit(store, form, count: int) -> None:
    from assist.engine import make_reference

    from .printouts import example_submission

    answers = example_submission(form)["answers"]
    for _ in range(count):
        journey = store.start_journey(form.id, form.version, "en", mode="assisted")
        store.submit(journey, lambda: make_reference("BB"), answers)


def _deliver(config, forms, store, **options) -> tuple[int, float]:
    from assist.delivery import Worker

    worker = Worker(store, forms, config, **options)
    start = time.perf_counter()
    result = worker.run_once()
    return result.delivered, time.perf_counter() - start


def main() -> list[str]:
    lines = ["Delivery (outbox → local receiver, one worker):"]
    with tempfile.TemporaryDirectory() as temporary:
        server, stored = _receiver()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/submissions"
            config, forms, store = _setup(Path(temporary) / "webhook", ("webhook",), url)
            _submit(store, forms["blue-badge"], WEBHOOK_SUBMISSIONS)
            delivered, seconds = _deliver(config, forms, store)
            assert delivered == WEBHOOK_SUBMISSIONS == len(stored), (delivered, len(stored))
            lines.append(f"  webhook (signed JSON POST): {delivered / seconds:.0f} submissions/s "
                         f"({delivered} in {seconds:.2f} s)")
            store.close()
        finally:
            server.shutdown()
            server.server_close()
        config, forms, store = _setup(Path(temporary) / "folder", ("folder",))
        _submit(store, forms["blue-badge"], FOLDER_SUBMISSIONS)
        from assist.printouts import Printouts

        printouts = Printouts(config)
        printouts.completed_copy(forms["blue-badge"], {**store.get_submission(
            store.list_deliveries()[0]["submission_reference"])}, for_council=True)  # warm up WeasyPrint
        delivered, seconds = _deliver(config, forms, store, printouts=printouts)
        lines.append(f"  folder (JSON + council-copy PDF, atomic): {delivered / seconds:.1f} submissions/s "
                     f"({delivered} in {seconds:.2f} s; the PDF dominates)")
        store.close()
    return lines


if __name__ == "__main__":
    for line in main():
        print(line)
