"""``assist rotate-key``: encrypt every stored answer with a new data key (see docs/admin.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .storage import DataKeyError


@click.command("rotate-key")
@click.option("--new-key-file", type=click.Path(dir_okay=False, writable=True),
              help="Only when the data key is in the environment: a new file (it must not exist) to write the "
                   "new key to, before anything is re-encrypted.")
@with_appcontext
def rotate_key_command(new_key_file: str | None) -> None:
    """Make a new data key and re-encrypt every answer with it, in one transaction.

    With the key file (<data_dir>/data_key) the new key replaces the old one once every value
    is re-encrypted; if this is interrupted, run it again. With the key in the environment, stop
    assist first; the new key goes to --new-key-file: put it in the environment and start assist again.
    """
    store = current_app.extensions["assist.store"]
    try:
        rotation = store.rotate_data_key(new_key_file)
    except DataKeyError as error:
        raise click.ClickException(str(error)) from None
    except FileExistsError:
        raise click.ClickException(f"{new_key_file} already exists: give a new file for the new key") from None
    keys = store.data_keys
    click.echo(f"Re-encrypted {rotation.values} value(s) with data key {rotation.new_id} "
               f"(was {', '.join(rotation.old_ids)}).")
    if rotation.new_key_file is not None:
        click.echo(f"The new key is in {rotation.new_key_file}. Set ${keys.env_name} to it now and start "
                   "assist (and `assist deliver`) again; keep a copy with your backups, then delete the file. "
                   "The old key no longer opens anything in this database, only older backups.")
    else:
        click.echo(f"The new key is in {keys.key_file}. Back it up now: database backups made from now on "
                   "need it; older backups need the old key.")
