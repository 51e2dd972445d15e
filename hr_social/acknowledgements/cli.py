import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from hr_social.acknowledgements import services
from hr_social.acknowledgements.importing import PolicyFileRejected, import_text
from hr_social.db import db
from hr_social.documents.services import purge_verification_attempts

policy_cli = AppGroup("policy", help="Versions de la politique.")
acknowledgements_cli = AppGroup("acknowledgements", help="Accusés de réception.")


@policy_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default="Politique portant sur les médias sociaux", show_default=True)
@click.option("--version", "version_label", required=True, help="Libellé, p. ex. 2020-10.")
@click.option("--effective", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date d'entrée en vigueur (AAAA-MM-JJ), aujourd'hui par défaut.")
@click.option("--publish", is_flag=True, help="Publier aussitôt (ouvre la campagne).")
def import_policy(path: Path, title: str, version_label: str, effective, publish: bool):
    """Importe un fichier texte, Markdown ou HTML comme nouvelle version (brouillon)."""
    limit = current_app.config["ACK_POLICY_MAX_BYTES"]
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    try:
        body = import_text(data, path.name, limit)
        version = services.create_version(
            None, title=title, version_label=version_label,
            effective_date=effective.date() if effective else dt.date.today(), body=body,
            source_name=path.name)
        if publish:
            services.publish_version(version, None)
    except (PolicyFileRejected, services.AcknowledgementError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    sections = [s for s in version.sections if s.number]
    click.echo(f"Version {version.id} importée : {len(sections)} sections numérotées"
               + (", publiée." if publish else " (brouillon)."))


@acknowledgements_cli.command("remind")
def remind():
    """Envoie les rappels dus (à lancer par cron ; sans effet s'il n'y a rien à faire).

    Efface aussi les traces de vérification publique de plus d'un jour."""
    count = services.send_reminders()
    purged = purge_verification_attempts()
    db.session.commit()
    from hr_social.mail.services import deliver_queued

    deliver_queued()
    click.echo(f"{count} rappel(s) envoyé(s), {purged} trace(s) de vérification effacée(s).")
