"""``assist restore``: bring the database back from the replica (see docs/setup.md, "Replication")."""

from __future__ import annotations

from datetime import timezone
from pathlib import Path

import click


def _utc_timestamp(value: str | None) -> str | None:
    """``value`` (ISO 8601; UTC unless it says otherwise) as Litestream's ``2026-12-03T14:30:00Z``."""
    if not value:
        return None
    from .moments import parse_moment

    text = value.strip()
    for candidate in (text, text + "+00:00"):  # without a time zone it is UTC
        try:
            return parse_moment(candidate).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r} is not a date and time like 2026-12-03T14:30:00Z")


@click.command("restore")
@click.option("--to", "to", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to restore the database into (default: the data dir).")
@click.option("--timestamp", help="Restore the database as it was at this time (UTC, like 2026-12-03T14:30:00Z); "
                                  "default: the latest copy.")
@click.option("--force", is_flag=True, help="Replace a database that is already there (what it holds that is not "
                                            "in the replica is lost).")
def restore_command(to: Path | None, timestamp: str | None, force: bool) -> None:
    """Restore the database from the replica set in [replication] (stop assist serve first)."""
    from .config import ConfigError, load_config
    from .replication import ReplicationError, restore
    from .storage import DATA_KEY_FILE

    when = _utc_timestamp(timestamp)
    try:
        config = load_config()
        restored = restore(config, to=to, timestamp=when, force=force)
    except (ConfigError, ReplicationError) as error:
        raise click.ClickException(str(error)) from None
    moment = f"as it was at {restored.timestamp}" if restored.timestamp else "as last copied"
    verb = "Replaced" if restored.replaced else "Restored"
    click.echo(f"{verb} the database at {restored.database} with the copy in {restored.replica}, {moment} "
               f"({restored.seconds:.1f} s). Its integrity check passed.")
    key_file = config.data_key_path if to is None else restored.database.parent / DATA_KEY_FILE
    env_name = config.security.data_key_env
    if config.data_key_from_env:
        click.echo(f"The answers in it open with the data key in ${env_name}, if that is the key it was made with.")
    elif key_file.exists():
        click.echo(f"The answers in it open with the data key in {key_file}, if that is the key it was made with.")
    else:
        click.echo(f"The data key is not in the replica: put the council's copy of it in {key_file} "
                   f"(or set ${env_name}) before starting assist, or the answers cannot be read.")
