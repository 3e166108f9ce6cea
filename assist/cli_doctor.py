"""``assist doctor``: check a deployment and name each problem in plain words (see assist/doctor.py)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("doctor")
@with_appcontext
def doctor_command() -> None:
    """Check this deployment (data key, deliveries, replication, HTTPS, demo data, retention, disk);
    exit 1 naming each problem and what to do, 0 when all is well."""
    from .doctor import check_deployment

    app = current_app
    problems = check_deployment(app.extensions["assist.config"], app.extensions["assist.store"],
                                app.extensions["assist.forms"])
    for number, problem in enumerate(problems, 1):
        click.echo(f"{number}. {problem}\n")
    if problems:
        click.echo(f"{len(problems)} problem(s) found.")
        sys.exit(1)
    click.echo("No problems found.")
