from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.acknowledgements import policy_services
from hr_social.acknowledgements.importing import import_text
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.documents.services import purge_verification_attempts
from hr_social.errors import DomainError

policy_cli = AppGroup("policy", help=_l("Versions de la politique."))
acknowledgements_cli = AppGroup("acknowledgements", help=_l("Accusés de réception."))


@policy_cli.command("import", help=_l(
    "Importe un fichier texte, Markdown ou HTML comme nouvelle version (brouillon)."))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default="Politique portant sur les médias sociaux", show_default=True,
              help=_l("Titre de la version."))
@click.option("--version", "version_label", required=True,
              help=_l("Libellé, p. ex. 2020-10."))
@click.option("--effective", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help=_l("Date d'entrée en vigueur (AAAA-MM-JJ), aujourd'hui par défaut."))
@click.option("--publish", is_flag=True, help=_l("Publier aussitôt (ouvre la campagne)."))
def import_policy(path: Path, title: str, version_label: str, effective, publish: bool):
    """Importe un fichier texte, Markdown ou HTML comme nouvelle version (brouillon)."""
    limit = current_app.config["ACK_POLICY_MAX_BYTES"]
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    try:
        body = import_text(data, path.name, limit)
        version = policy_services.create_version(
            None, title=title, version_label=version_label,
            effective_date=effective.date() if effective else local_today(), body=body,
            source_name=path.name)
        if publish:
            policy_services.publish_version(None, version)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    sections = [s for s in version.sections if s.number]
    message = (_("Version %(id)s importée : %(n)d sections numérotées, publiée.")
               if publish else
               _("Version %(id)s importée : %(n)d sections numérotées (brouillon)."))
    click.echo(message % {"id": version.id, "n": len(sections)})


@acknowledgements_cli.command("remind", help=_l(
    "Envoie les rappels dus (à lancer par cron ; sans effet s'il n'y a rien à faire). "
    "Efface aussi les traces de vérification publique de plus d'un jour."))
def remind():
    count = policy_services.send_reminders()
    purged = purge_verification_attempts()
    db.session.commit()
    from hr_social.mail.services import deliver_queued

    deliver_queued()
    click.echo(_("%(count)d rappel(s) envoyé(s), %(purged)d trace(s) de vérification "
                 "effacée(s).", count=count, purged=purged))
