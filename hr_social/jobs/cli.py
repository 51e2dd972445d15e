import click
from flask.cli import AppGroup

from hr_social.jobs.runner import work_queued

jobs_cli = AppGroup("jobs", help="Travaux en arrière-plan.")


@jobs_cli.command("work")
@click.option("--limit", type=int, default=None, help="Nombre maximal de travaux.")
def work(limit):
    """Exécute les travaux en attente (sans Redis)."""
    click.echo(f"{work_queued(limit)} travail(aux) exécuté(s).")
