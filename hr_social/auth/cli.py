import click
from flask.cli import AppGroup

from hr_social.audit.services import record
from hr_social.auth.passwords import hash_password, password_error
from hr_social.auth.services import purge_old_records
from hr_social.db import db
from hr_social.people.accounts import USERNAME_RE
from hr_social.people.models import User, UserRole

users_cli = AppGroup("users", help="Comptes d'utilisateurs.")


@users_cli.command("create-admin")
@click.argument("username")
@click.password_option(help="Mot de passe (au moins PASSWORD_MIN_LENGTH caractères, 12 par "
                            "défaut).")
def create_admin(username: str, password: str):
    """Create the first administrator account (same rules as the account screens)."""
    if message := password_error(password):
        raise click.BadParameter(message, param_hint="password")
    if not USERNAME_RE.match(username.lower()):
        raise click.BadParameter("3 à 80 caractères parmi les lettres minuscules, chiffres, "
                                 "point, tiret et souligné", param_hint="username")
    if User.by_username(username):
        raise click.ClickException(f"Le nom d'utilisateur {username} existe déjà.")
    user = User(username=username.lower(), password_hash=hash_password(password),
                roles=[UserRole(role="admin")])
    db.session.add(user)
    db.session.flush()
    record("user.created", user, after={"username": user.username, "roles": ["admin"]})
    db.session.commit()
    click.echo(f"Administrateur {user.username} créé.")


@users_cli.command("purge")
@click.option("--days", default=90, show_default=True, type=click.IntRange(min=2),
              help="Garder les traces plus récentes que ce nombre de jours.")
def purge(days: int):
    """Delete old login traces (ended sessions, attempts, used form keys)."""
    counts = purge_old_records(days)
    db.session.commit()
    click.echo(f"Supprimé : {counts['sessions']} session(s) terminée(s), "
               f"{counts['attempts']} tentative(s) de connexion, "
               f"{counts['keys']} clé(s) de formulaire (plus de {days} jours).")


@users_cli.command("reset-two-factor")
@click.argument("username")
def reset_two_factor(username: str):
    """Remove a lost authenticator (the last administrator's too): enrol again at next login."""
    from hr_social.auth import totp
    from hr_social.auth.services import end_all_sessions

    user = User.by_username(username)
    if user is None:
        raise click.ClickException(f"Aucun compte ne s'appelle {username}.")
    totp.reset(None, user)
    end_all_sessions(user, "two_factor_reset")
    db.session.commit()
    click.echo(f"Validation en deux étapes de {user.username} réinitialisée : elle sera "
               "configurée de nouveau à la prochaine connexion.")
