"""``assist print``: blank paper forms and completed copies from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("print")
def print_group() -> None:
    """Print blank paper forms and copies of submissions as PDF."""


def _printouts():
    from . import Printouts

    return Printouts(current_app.extensions["assist.config"])


def _write(pdf: bytes, output: str) -> None:
    if output == "-":
        sys.stdout.buffer.write(pdf)
        return
    Path(output).write_bytes(pdf)
    click.echo(f"Wrote {output} ({len(pdf) // 1024} KB)", err=True)


def _pair(config, hint: str) -> tuple:
    """Welsh's and English's ``gettext``, for a bilingual printout (both must be configured)."""
    from . import gettext_for
    from .bilingual import PAIR, available

    if not available(config.languages.available):
        raise click.BadParameter("a bilingual printout needs both 'cy' and 'en' among the configured languages: "
                                 f"{', '.join(config.languages.available)}", param_hint=hint)
    return tuple(gettext_for(code) for code in PAIR)


@print_group.command("blank")
@click.argument("form_id")
@click.option("--lang", "language", default=None, help="Language code, e.g. cy (default: the council's language).")
@click.option("--bilingual", is_flag=True, help="Welsh and English on one form (needs both configured).")
@click.option("-o", "--output", required=True, help="PDF file to write ('-' for standard output).")
@with_appcontext
def blank_command(form_id: str, language: str | None, bilingual: bool, output: str) -> None:
    """Write the blank paper form of FORM_ID."""
    from . import gettext_for

    config = current_app.extensions["assist.config"]
    form = current_app.extensions["assist.forms"].get(form_id)
    if form is None:
        raise click.BadParameter(f"no form '{form_id}'; forms: {', '.join(current_app.extensions['assist.forms'])}",
                                 param_hint="FORM_ID")
    if bilingual:
        _write(_printouts().blank_form_bilingual(form, gettexts=_pair(config, "--bilingual")), output)
        return
    language = language or config.languages.default
    if language not in config.languages.available:
        raise click.BadParameter(f"'{language}' is not one of the configured languages: "
                                 f"{', '.join(config.languages.available)}", param_hint="--lang")
    _write(_printouts().blank_form(form, language=language, gettext=gettext_for(language)), output)


@print_group.command("copy")
@click.argument("reference")
@click.option("--council", "for_council", is_flag=True,
              help="The council's copy: in the council's language, with how it was sent, archival PDF/A-3a.")
@click.option("--bilingual", is_flag=True, help="Welsh and English on one copy, answers once (needs both configured).")
@click.option("-o", "--output", required=True, help="PDF file to write ('-' for standard output).")
@with_appcontext
def copy_command(reference: str, for_council: bool, bilingual: bool, output: str) -> None:
    """Write the completed copy of the submission REFERENCE."""
    from ..engine import normalise_reference
    from . import gettext_for

    config = current_app.extensions["assist.config"]
    store = current_app.extensions["assist.store"]
    submission = store.get_submission(normalise_reference(reference) or reference)
    if submission is None:
        raise click.ClickException(f"no submission with reference {reference}")
    form = current_app.extensions["assist.forms"].get(submission["form_id"])
    if form is None:
        raise click.ClickException(f"the form '{submission['form_id']}' of {reference} is not loaded")
    evidence = store.submission_evidence(submission["reference"]) if for_council else None
    if bilingual:
        pdf = _printouts().completed_copy_bilingual(form, submission, gettexts=_pair(config, "--bilingual"),
                                                    for_council=for_council, archival=for_council, evidence=evidence)
        _write(pdf, output)
        return
    language = config.languages.default if for_council else (submission.get("language") or config.languages.default)
    pdf = _printouts().completed_copy(form, submission, language=language, gettext=gettext_for(language),
                                      for_council=for_council, archival=for_council, evidence=evidence)
    _write(pdf, output)
