"""``assist deliver``: deliver the outbox now (``--once``, for cron) or keep delivering."""

from __future__ import annotations

import signal
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop (for cron).")
@click.option("--status", "show_status", is_flag=True, help="Show what is pending, delivered and failed, then stop.")
@click.option("--retry-failed", is_flag=True, help="Put every failed delivery back in the queue first.")
@with_appcontext
def deliver_command(once: bool, show_status: bool, retry_failed: bool) -> None:
    """Deliver submissions to the back office (email, webhook, folder) from the outbox.

    `assist serve` delivers in the background already; use this for cron or a separate service.
    Exits 1 with --once when something is left failed.
    """
    from . import Worker

    store = current_app.extensions["assist.store"]
    if retry_failed:
        failed = store.list_deliveries(status="failed", limit=100000)
        for row in failed:
            store.retry_delivery(row["id"])
        click.echo(f"{len(failed)} failed deliveries queued again.")
    if show_status:
        counts = store.delivery_counts()
        click.echo(", ".join(f"{status}: {count}" for status, count in counts.items()))
        for row in store.list_deliveries(status="failed", limit=50):
            click.echo(f"failed  {row['submission_reference']}  {row['destination']}  "
                       f"{row['attempts']} attempts  {row['last_error']}")
        return
    app = current_app._get_current_object()
    worker = Worker(store, app.extensions["assist.forms"], app.extensions["assist.config"])
    if once:
        result = worker.run_once()
        click.echo(f"Delivered {result.delivered}, will retry {result.retrying}, failed {result.failed}.")
        sys.exit(1 if result.failed else 0)
    click.echo("Delivering submissions; press Ctrl+C to stop.")
    signal.signal(signal.SIGTERM, lambda *_: worker.stop(timeout=0))
    store.add_outbox_listener(worker.wake)
    try:
        worker.run_forever()
    except KeyboardInterrupt:
        worker.stop(timeout=0)


@click.command("decrypt")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--to", "to", type=click.Path(file_okay=False), help="The folder to write the opened files to "
              "(default: beside each file).")
def decrypt_command(files: tuple[str, ...], to: str | None) -> None:
    """Open folder deliveries encrypted with the delivery key (<name>.enc), for the back office.

    The key comes from the environment variable named by delivery.folder_key_env (ASSIST_DELIVERY_KEY).
    """
    from pathlib import Path

    from ..config import ConfigError, load_config
    from ..files import write_atomically
    from ..storage import DataKeyError
    from ..storage.errors import StorageError
    from .folder_files import SEALED_SUFFIX, folder_key_ring, open_file

    try:
        settings = load_config().delivery
        ring = folder_key_ring(settings)
    except (ConfigError, DataKeyError) as error:
        raise click.ClickException(str(error)) from None
    if ring is None:
        raise click.ClickException(f"${settings.folder_key_env} is not set: set it to the delivery key first")
    failed = 0
    for name in files:
        path = Path(name)
        if not path.name.endswith(SEALED_SUFFIX):
            click.echo(f"{path}: not an encrypted delivery (its name does not end {SEALED_SUFFIX}); skipped", err=True)
            failed += 1
            continue
        try:
            plain_name, data = open_file(ring, path)
        except StorageError as error:
            click.echo(f"{path}: could not be opened with this delivery key ({error}); skipped", err=True)
            failed += 1
            continue
        folder = Path(to) if to else path.parent
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / plain_name, data)
        click.echo(f"{path} -> {folder / plain_name}")
    if failed:
        sys.exit(1)
