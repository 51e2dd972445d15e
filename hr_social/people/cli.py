import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from hr_social.db import db
from hr_social.people.importer import import_people

people_cli = AppGroup("people", help="Personnes (import CSV).")


@people_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Montrer les changements sans rien enregistrer.")
def import_command(file: Path, dry_run: bool):
    """Import people from a CSV export (all or nothing)."""
    # The messages are translated through Flask-Babel, which reads the locale of a request:
    # a bare request context gives the default (French) one.
    with current_app.test_request_context():
        report = import_people(None, file.read_bytes(), dry_run=dry_run,
                               filename=file.name)
        _print_and_finish(report, dry_run)
    if not report.ok:
        sys.exit(1)


def _print_and_finish(report, dry_run: bool) -> None:
    for error in report.errors:
        click.echo(error, err=True)
    for change in report.changes:
        if change.action != "unchanged":
            label = "création" if change.action == "created" else "mise à jour"
            click.echo(f"Ligne {change.line} : {change.number} {change.name} — {label}")
    if report.ok and not dry_run:
        db.session.commit()
    else:
        db.session.rollback()
    click.echo(report.summary())
