"""``assist purge [--dry-run]``: delete residents' answers that are due (see :mod:`assist.reporting.retention`)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted; delete nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete answers kept longer than the retention rules allow, and expired drafts. Statistics stay."""
    from .retention import purge

    extensions = current_app.extensions
    result = purge(extensions["assist.store"], extensions["assist.forms"], extensions["assist.config"],
                   dry_run=dry_run)
    for line in result.lines():
        click.echo(line)
