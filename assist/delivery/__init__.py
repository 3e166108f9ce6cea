"""Delivery: every submission reaches the back office through a store-and-forward outbox.

``store.submit`` writes one outbox row per destination in the submission's own transaction
(:mod:`assist.storage.outbox`); a :class:`Worker` delivers them by email, webhook or to a
folder, retrying with backoff, and never deletes a row before delivery. Each destination gets
the submission document, the council copy and the evidence files (:mod:`.evidence`). See
docs/delivery.md.
"""

from __future__ import annotations

from ..config import ConfigError
from .destinations import (IDEMPOTENCY_HEADER, SCHEMA_VERSION_HEADER, SIGNATURE_HEADER, DeliveryError, EmailDestination,
                           FolderDestination, Parcel, WebhookDestination, files_folder, signature, verify_signature,
                           write_atomically)
from .evidence import DeliveredFile, MissingEvidence, delivered_filename, delivered_files
from .payload import SCHEMA, SCHEMA_VERSION, encode, submission_document, summary_text
from .worker import Backoff, RunResult, Worker, make_destinations

__all__ = [
    "Backoff", "DeliveredFile", "DeliveryError", "EmailDestination", "FolderDestination", "IDEMPOTENCY_HEADER",
    "MissingEvidence", "Parcel", "RunResult", "SCHEMA", "SCHEMA_VERSION", "SCHEMA_VERSION_HEADER",
    "SIGNATURE_HEADER", "WebhookDestination", "Worker", "check_destinations", "configure_store",
    "delivered_filename", "delivered_files", "destinations_for", "encode", "files_folder", "init_app",
    "make_destinations", "signature", "start_background", "submission_document", "summary_text",
    "verify_signature", "write_atomically",
]


def destinations_for(config, form) -> tuple[str, ...]:
    """Where submissions of ``form`` go: the form's own ``destinations``, else ``[delivery] destinations``."""
    own = getattr(form, "destinations", None)
    return tuple(own) if own is not None else tuple(config.delivery.destinations)


def check_destinations(config, forms: dict) -> list[str]:
    """Problems that would stop a form's submissions being delivered (e.g. a form sends to a webhook
    but ``delivery.webhook_url`` is empty), one line each."""
    problems = []
    for form in forms.values():
        for problem in config.delivery.problems(destinations_for(config, form)):
            line = f"form {form.id} ({form.source.name if form.source else form.id}) needs {problem}"
            if line not in problems:
                problems.append(line)
    return problems


def configure_store(store, config, forms: dict) -> None:
    """Make ``store.submit`` queue each submission for its form's destinations."""

    def routing(form_id: str) -> tuple[str, ...]:
        form = forms.get(form_id)
        return destinations_for(config, form) if form is not None else tuple(config.delivery.destinations)

    store.set_delivery_routing(routing)


def init_app(app) -> None:
    """Check every form's destinations can be delivered, and route the app's submissions to the outbox."""
    config, forms, store = (app.extensions[k] for k in ("assist.config", "assist.forms", "assist.store"))
    problems = check_destinations(config, forms)
    if problems:
        raise ConfigError([f"{config.source or 'config'}: {p}" for p in problems])
    configure_store(store, config, forms)


def start_background(app, **worker_options) -> Worker:
    """Start a delivery :class:`Worker` thread for ``app`` (``assist serve`` does this); it wakes
    whenever this process makes a submission, and polls every ``delivery.poll_seconds``."""
    worker_options.setdefault("printouts", app.extensions.get("assist.printouts"))
    worker = Worker(app.extensions["assist.store"], app.extensions["assist.forms"], app.extensions["assist.config"],
                    **worker_options)
    app.extensions["assist.delivery_worker"] = worker
    app.extensions["assist.store"].add_outbox_listener(worker.wake)
    worker.start()
    return worker
