"""`flask demo seed` and `flask demo logins`."""

from __future__ import annotations

import importlib
import pkgutil
import random

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

import hr_social
from hr_social.db import db
from hr_social.demo import LOGINS, SEEDERS, DemoContext

demo_cli = AppGroup("demo", help="Données de démonstration.")


def load_seeders() -> None:
    """Import every ``hr_social.<domain>.demo`` module: each registers its seeder(s)."""
    for info in pkgutil.iter_modules(hr_social.__path__):
        if info.ispkg:
            try:
                importlib.import_module(f"hr_social.{info.name}.demo")
            except ModuleNotFoundError as missing:
                if missing.name != f"hr_social.{info.name}.demo":
                    raise


def run_seeders(seed: int = 2026) -> DemoContext:
    """Every registered seeder in order, in the caller's transaction (flush only)."""
    load_seeders()
    context = DemoContext(rng=random.Random(seed))
    for _order, seeder in sorted(SEEDERS, key=lambda item: item[0]):
        seeder(context)
        db.session.flush()
    return context


@demo_cli.command("seed")
@click.option("--if-empty", is_flag=True, help="Ne rien faire si des personnes existent déjà.")
@click.option("--seed", default=2026, show_default=True, help="Graine du générateur aléatoire.")
def seed_command(if_empty: bool, seed: int):
    """Load the demo municipality (one transaction: all or nothing)."""
    from hr_social.people.models import Person

    if if_empty and db.session.scalar(select(func.count()).select_from(Person)):
        click.echo("Des personnes existent déjà : données de démonstration non chargées.")
        return
    try:
        context = run_seeders(seed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Démonstration chargée : {len(context.services)} services, "
               f"{len(context.people)} personnes, {len(context.users)} comptes.")


@demo_cli.command("logins")
def logins_command():
    """Print the demo accounts (username, password, role)."""
    from hr_social.people.models import User

    load_seeders()
    click.echo("Comptes de démonstration (à ne jamais utiliser en production) :")
    for username, password, description in LOGINS:
        present = User.by_username(username) is not None
        suffix = "" if present else " (absent de cette base)"
        click.echo(f"  Rôle : {description:<32} Identifiant : {username:<16} "
                   f"Mot de passe : {password}{suffix}")
    click.echo("Les rôles RH, DG et administration configurent la validation en deux étapes "
               "à leur première connexion (README, « Les façons d'entrer »).")
