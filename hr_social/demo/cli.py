"""`flask demo seed` and `flask demo logins`."""

from __future__ import annotations

import importlib
import pkgutil
import random

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

import hr_social
from hr_social.db import db
from hr_social.demo import LOGINS, SEEDERS, DemoContext

demo_cli = AppGroup("demo", help=_l("Données de démonstration."))


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


# One transaction: all or nothing.
@demo_cli.command("seed", help=_l("Charge la municipalité de démonstration."))
@click.option("--if-empty", is_flag=True,
              help=_l("Ne rien faire si des personnes existent déjà."))
@click.option("--seed", default=2026, show_default=True,
              help=_l("Graine du générateur aléatoire."))
def seed_command(if_empty: bool, seed: int):
    from hr_social.people.models import Person

    if if_empty and db.session.scalar(select(func.count()).select_from(Person)):
        click.echo(_("Des personnes existent déjà : données de démonstration non chargées."))
        return
    try:
        context = run_seeders(seed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(_("Démonstration chargée : %(services)d services, %(people)d personnes, "
                 "%(users)d comptes.", services=len(context.services),
                 people=len(context.people), users=len(context.users)))


@demo_cli.command("logins", help=_l(
    "Affiche les comptes de démonstration (identifiant, mot de passe, rôle)."))
def logins_command():
    from hr_social.people.models import User

    load_seeders()
    click.echo(_("Comptes de démonstration (à ne jamais utiliser en production) :"))
    role, login, secret = _("Rôle :"), _("Identifiant :"), _("Mot de passe :")
    for username, password, description in LOGINS:
        present = User.by_username(username) is not None
        suffix = "" if present else " " + _("(absent de cette base)")
        click.echo(f"  {role} {description:<32} {login} {username:<16} "
                   f"{secret} {password}{suffix}")
    click.echo(_("Les rôles RH, DG et administration configurent la validation en deux "
                 "étapes à leur première connexion (README, « Les façons d'entrer »)."))
