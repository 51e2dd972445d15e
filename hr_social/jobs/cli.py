import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.jobs.runner import work_queued

jobs_cli = AppGroup("jobs", help=_l("Travaux en arrière-plan."))


@jobs_cli.command("work", help=_l("Exécute les travaux en attente (sans Redis)."))
@click.option("--limit", type=int, default=None, help=_l("Nombre maximal de travaux."))
def work(limit):
    click.echo(_("%(n)d travail(aux) exécuté(s).", n=work_queued(limit)))
