"""``assist helpers …``, ``assist venues …`` and ``assist demo-data``: the people and places of assisted mode.

PINs are asked for with a hidden prompt (typed twice); for scripts they can come from the
``ASSIST_PIN`` environment variable. A PIN is never printed or logged.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .storage.helpers import ROLES, valid_pin
from .storage.venues import VENUE_MODES

DEMO_VENUE = {"venue_id": "central-library", "name": "Central Library", "address": "1 Library Square, Demotown",
              "mode": "assisted"}
DEMO_HELPER = {"display_name": "Sam Helper", "helper_id": "sam-helper", "pin": "1234"}


def _store():
    return current_app.extensions["assist.store"]


def _check_pin(ctx, param, value):
    if value is not None and not valid_pin(value):
        raise click.BadParameter("a PIN is 4 to 8 digits")
    return value


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


# --- helpers ---------------------------------------------------------------------------------


@click.group("helpers")
def helpers_group() -> None:
    """Add, list, reset the PIN of, or deactivate helpers."""


@helpers_group.command("add")
@click.argument("display_name")
@click.option("--venue", "venues", multiple=True, required=True, help="Venue id where they help (repeat for several).")
@click.option("--role", type=click.Choice(ROLES), default="helper", show_default=True)
@click.option("--id", "helper_id", default=None, help="Helper id (default: from the name, e.g. sam-helper).")
@click.option("--pin", prompt="PIN (4 to 8 digits)", hide_input=True, confirmation_prompt=True, envvar="ASSIST_PIN",
              callback=_check_pin, help="Asked for if not given; or set ASSIST_PIN.")
@with_appcontext
def helpers_add(display_name, venues, role, helper_id, pin):
    """Add a helper called DISPLAY_NAME (which they type to sign in)."""
    try:
        new_id = _store().add_helper(display_name, pin, list(venues), role=role, helper_id=helper_id)
    except ValueError as error:
        _fail(str(error))
    _store().audit("helper_added", helper_id=new_id, detail=role)
    click.echo(f"Added {display_name} ({new_id}), {role}, at {', '.join(venues)}.")


@helpers_group.command("list")
@click.option("--venue", default=None, help="Only helpers at this venue.")
@click.option("--all", "include_inactive", is_flag=True, help="Include deactivated helpers.")
@with_appcontext
def helpers_list(venue, include_inactive):
    """List helpers (never their PINs)."""
    helpers = _store().list_helpers(venue, include_inactive=include_inactive)
    if not helpers:
        click.echo("No helpers.")
        return
    waits = _store().pin_waits()
    for helper in helpers:
        flags = [] if helper["active"] else ["deactivated"]
        if helper["id"] in waits:
            flags.append(f"waiting after wrong PINs until {waits[helper['id']].isoformat()}")
        extra = f" ({', '.join(flags)})" if flags else ""
        click.echo(f"{helper['id']}\t{helper['display_name']}\t{helper['role']}\t{','.join(helper['venues'])}{extra}")


@helpers_group.command("reset-pin")
@click.argument("helper_id")
@click.option("--pin", prompt="New PIN (4 to 8 digits)", hide_input=True, confirmation_prompt=True, envvar="ASSIST_PIN",
              callback=_check_pin)
@with_appcontext
def helpers_reset_pin(helper_id, pin):
    """Give HELPER_ID a new PIN (also ends any wait after wrong PINs)."""
    if not _store().set_pin(helper_id, pin):
        _fail(f"no helper with id {helper_id!r} (see `assist helpers list --all`)")
    _store().audit("pin_reset", helper_id=helper_id)
    click.echo(f"New PIN set for {helper_id}.")


@helpers_group.command("deactivate")
@click.argument("helper_id")
@with_appcontext
def helpers_deactivate(helper_id):
    """Stop HELPER_ID signing in, and sign them out on every tablet."""
    if not _store().deactivate_helper(helper_id):
        _fail(f"no helper with id {helper_id!r}")
    _store().audit("helper_deactivated", helper_id=helper_id)
    click.echo(f"Deactivated {helper_id}.")


# --- venues -----------------------------------------------------------------------------------


@click.group("venues")
def venues_group() -> None:
    """Add or list venues (the database is the source of truth; config.toml venues are added at start)."""


@venues_group.command("add")
@click.argument("venue_id")
@click.argument("name")
@click.option("--address", default="", help="One line address.")
@click.option("--mode", type=click.Choice(VENUE_MODES), default="assisted", show_default=True,
              help="assisted (helpers with tablets), kiosk, or both.")
@with_appcontext
def venues_add(venue_id, name, address, mode):
    """Add venue VENUE_ID (lowercase, hyphens) called NAME."""
    try:
        added = _store().add_venue(venue_id, name, address, mode)
    except ValueError as error:
        _fail(str(error))
    if not added:
        _fail(f"a venue with id {venue_id!r} already exists")
    click.echo(f"Added venue {name} ({venue_id}), {mode}.")


@venues_group.command("list")
@with_appcontext
def venues_list():
    """List venues."""
    venues = _store().list_venues(include_inactive=True)
    if not venues:
        click.echo("No venues.")
    for venue in venues:
        click.echo(f"{venue['id']}\t{venue['name']}\t{venue['mode']}{'' if venue['active'] else ' (inactive)'}")


# --- demo data --------------------------------------------------------------------------------


#: A file in the data folder saying it was made as a demo (by ``assist demo-data`` on an empty database).
DEMO_MARKER = "demo"


@click.command("demo-data")
@with_appcontext
def demo_data_command():
    """Add a demo venue and a demo helper (Sam Helper, PIN 1234) to a demo data folder.

    A data folder becomes a demo when this runs on it with no helpers yet (a file ``demo`` in it says
    so). A folder with helpers of its own that is not a demo is left alone; in a demo folder the demo
    helper is added only while it and no other helper exists, so it is never brought back, reactivated
    or given its PIN again once someone has changed things.
    """
    store = _store()
    marker = current_app.extensions["assist.config"].data_dir / DEMO_MARKER
    helpers = store.list_helpers(include_inactive=True)
    if not marker.exists():
        if helpers:
            click.echo("This data folder has helpers of its own and is not a demo: no demo data added.")
            return
        marker.write_text("Made by `assist demo-data`: the demo helper may be added here.\n", encoding="utf-8")
        click.echo(f"Made this data folder a demo ({marker}).")
    if store.add_venue(**DEMO_VENUE):
        click.echo(f"Added the demo venue {DEMO_VENUE['name']}.")
    if helpers:
        if any(helper["id"] != DEMO_HELPER["helper_id"] for helper in helpers):
            click.echo("This demo data folder has other helpers now: the demo helper is left as it is.")
        else:
            click.echo(f"The demo helper {DEMO_HELPER['display_name']} is already there (unchanged). Sign in at /helpers/")
        return
    store.add_helper(DEMO_HELPER["display_name"], DEMO_HELPER["pin"], [DEMO_VENUE["venue_id"]],
                     helper_id=DEMO_HELPER["helper_id"])
    click.echo(f"Demo helper: {DEMO_HELPER['display_name']} at {DEMO_VENUE['name']}, PIN {DEMO_HELPER['pin']} "
               "(demo only). Sign in at /helpers/")


COMMANDS = [helpers_group, venues_group, demo_data_command]
