import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hr_social.audit.services import record
from hr_social.auth.passwords import hash_password, password_error
from hr_social.auth.services import purge_old_records
from hr_social.db import db
from hr_social.people.account_services import USERNAME_RE
from hr_social.people.models import User, UserRole

users_cli = AppGroup("users", help=_l("Comptes d'utilisateurs."))


# Same rules as the account screens.
@users_cli.command("create-admin", help=_l("Crée le premier compte administrateur."))
@click.argument("username")
@click.password_option(help=_l("Mot de passe (au moins PASSWORD_MIN_LENGTH caractères, 12 "
                               "par défaut)."))
def create_admin(username: str, password: str):
    if message := password_error(password):
        raise click.BadParameter(message, param_hint="password")
    if not USERNAME_RE.match(username.lower()):
        raise click.BadParameter(_("3 à 80 caractères parmi les lettres minuscules, "
                                   "chiffres, point, tiret et souligné"),
                                 param_hint="username")
    if User.by_username(username):
        raise click.ClickException(_("Le nom d'utilisateur %(username)s existe déjà.",
                                     username=username))
    user = User(username=username.lower(), password_hash=hash_password(password),
                roles=[UserRole(role="admin")])
    db.session.add(user)
    db.session.flush()
    record("user.created", user, after={"username": user.username, "roles": ["admin"]})
    db.session.commit()
    click.echo(_("Administrateur %(username)s créé.", username=user.username))


@users_cli.command("purge", help=_l(
    "Supprime les anciennes traces de connexion (sessions terminées, tentatives, clés de "
    "formulaire utilisées)."))
@click.option("--days", default=90, show_default=True, type=click.IntRange(min=2),
              help=_l("Garder les traces plus récentes que ce nombre de jours."))
def purge(days: int):
    counts = purge_old_records(days)
    db.session.commit()
    click.echo(_("Supprimé : %(sessions)d session(s) terminée(s), %(attempts)d tentative(s) "
                 "de connexion, %(keys)d clé(s) de formulaire (plus de %(days)d jours).",
                 sessions=counts["sessions"], attempts=counts["attempts"],
                 keys=counts["keys"], days=days))


@users_cli.command("reset-two-factor")
@click.argument("username")
def reset_two_factor(username: str):
    """Remove a lost authenticator (the last administrator's too): enrol again at next login."""
    from hr_social.auth import totp
    from hr_social.auth.services import end_all_sessions

    user = User.by_username(username)
    if user is None:
        raise click.ClickException(_("Aucun compte ne s'appelle %(u)s.", u=username))
    totp.reset(None, user)
    end_all_sessions(user, "two_factor_reset")
    db.session.commit()
    click.echo(_("Validation en deux étapes de %(u)s réinitialisée : elle sera configurée de "
                 "nouveau à la prochaine connexion.", u=user.username))
