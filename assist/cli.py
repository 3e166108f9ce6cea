"""The ``assist`` command line, following Flask's CLI conventions (``flask --app assist`` works too)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .cli_doctor import doctor_command
from .cli_keys import rotate_key_command
from .cli_people import COMMANDS as PEOPLE_COMMANDS  # helpers, venues, demo-data
from .cli_replication import restore_command
from .printouts.cli import print_group
from .delivery.cli import decrypt_command, deliver_command
from .reporting.cli import purge_command


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, envvar="PORT", help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option("--connection-limit", default=400, show_default=True, type=click.IntRange(min=1),
              help="Open connections held at once; more wait until one closes.")
@click.option("--no-delivery", is_flag=True, help="Do not deliver submissions in the background "
              "(run `assist deliver` separately).")
@click.option("--no-purge", is_flag=True, help="Do not delete answers that are due once a day in the background "
              "(run `assist purge` from cron instead).")
@with_appcontext
def serve_command(host: str, port: int, threads: int, connection_limit: int = 400, no_delivery: bool = False,
                  no_purge: bool = False) -> None:
    """Serve the app with waitress, delivering submissions in the background."""
    from .server import serve_app, server_options

    app = current_app._get_current_object()
    if not no_delivery:
        from .delivery import start_background

        start_background(app)
    if not no_purge:
        from .reporting.retention import start_background as start_purge

        start_purge(app)  # answers past their retention, expired drafts: daily, counts audited
    config = app.extensions["assist.config"]
    click.echo(f"{config.council.name}: council forms at http://{host}:{port}/")
    for line in app.extensions.get("assist.sign_in_help", []):
        click.echo(line)
    from .replication import ReplicationError, start_replication

    try:
        replicator = start_replication(config)  # [replication]: litestream beside the server, stopped with it
    except (ReplicationError, OSError) as error:
        raise click.ClickException(f"replication cannot start: {error}") from None
    if replicator is not None:
        click.echo(f"Copying the database to {config.replication.replica} every "
                   f"{config.replication.sync_seconds} s (Litestream).")
    click.echo("Press Ctrl+C to stop.")
    try:
        serve_app(app, **server_options(config, host=host, port=port, threads=threads,
                                        connection_limit=connection_limit))
    finally:
        if replicator is not None:
            replicator.stop()


@click.command("check-forms")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--explain", "explain", metavar="FORM", default=None,
              help="Also print FORM's conditions, routes and rules in plain words, as its paper form says them.")
def check_forms_command(paths: tuple[str, ...], explain: str | None) -> None:
    """Check form definitions (default: the configured forms folder); exit 1 on any problem."""
    from .engine import check_forms

    if not paths:
        from .config import load_config

        paths = (str(load_config().forms_dir),)
    problems = check_forms([*paths])
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("All form definitions are valid.")
    if explain:
        _explain(paths, explain)


def _explain(paths, form_id: str) -> None:
    """Print the form ``form_id`` (a form id, or a file's path) found in ``paths`` in plain words."""
    from pathlib import Path

    from .engine import load_form, load_forms
    from .engine.instructions import explain_form

    if Path(form_id).is_file():
        form = load_form(form_id)
    else:
        forms = {}
        for path in paths:
            forms.update(load_forms(path) if Path(path).is_dir() else {load_form(path).id: load_form(path)})
        if form_id not in forms:
            raise click.ClickException(f"no form '{form_id}'; the forms are: {', '.join(sorted(forms))}")
        form = forms[form_id]
    click.echo("")
    for line in explain_form(form):
        click.echo(line)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database, or bring it up to date."""
    store = current_app.extensions["assist.store"]
    store.migrate()
    click.echo(f"Database ready: {current_app.extensions['assist.config'].database_path}")


COMMANDS = [serve_command, init_db_command, print_group, deliver_command, purge_command, rotate_key_command, doctor_command,
            *PEOPLE_COMMANDS]


def register_commands(app) -> None:
    """Make the app's commands available under ``flask --app assist``."""
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app():
    from . import create_app
    from .config import ConfigError
    from .storage import DataKeyError

    try:
        return create_app()
    except (ConfigError, DataKeyError) as error:  # what to fix, without a traceback
        raise click.ClickException(str(error)) from None


main = FlaskGroup(
    name="assist",
    help="assist: council forms with a helper, at a kiosk or on paper.",
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
main.add_command(check_forms_command)
main.add_command(restore_command)  # before any app is made: making one would create an empty database
main.add_command(decrypt_command)  # the back office's, with the delivery key only
