"""User accounts (logins of people), managed by the system administration.

An administrator manages logins and roles but may not lock themself out: they cannot remove
their own admin role nor disable their own account.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

from hr_social.audit.services import record
from hr_social.auth.passwords import hash_password, password_error
from hr_social.auth.services import end_all_sessions
from hr_social.db import db, utcnow
from hr_social.people.models import Person, User, UserRole
from hr_social.people.services import InvalidChange
from hr_social.permissions import ROLES

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")


# Enabled logins of people who have left: they cannot sign in while the person is departed,
# but reactivating the person (a rehire) would bring the login back with its old roles.
DEPARTED_WITH_LOGIN = (User.is_enabled.is_(True), User.person_id.in_(Person.departed_ids()))


def _clean_roles(roles) -> list[str]:
    chosen = sorted(set(roles or ()))
    if not chosen:
        raise InvalidChange(field_errors={"roles": _("Choisissez au moins un rôle.")})
    unknown = set(chosen) - set(ROLES)
    if unknown:
        raise InvalidChange(field_errors={
            "roles": _("Rôle inconnu : %(v)s.", v=", ".join(sorted(unknown)))})
    return chosen


def create_login(actor, person: Person, *, username: str, password: str, roles) -> User:
    username = (username or "").strip().lower()
    roles = _clean_roles(roles)
    errors: dict[str | None, str] = {}
    if person.user is not None:
        errors[None] = _("%(name)s a déjà un compte (%(u)s).", name=person.full_name,
                         u=person.user.username)
    if not person.is_active:
        errors[None] = _("%(name)s a quitté l'organisation : impossible de lui créer un compte.",
                         name=person.full_name)
    if not USERNAME_RE.match(username):
        errors["username"] = _("Nom d'utilisateur invalide : 3 à 80 caractères parmi les lettres "
                               "minuscules, chiffres, point, tiret et souligné.")
    elif User.by_username(username) is not None:
        errors["username"] = _("Le nom d'utilisateur %(u)s est déjà pris.", u=username)
    if message := password_error(password):
        errors["password"] = message
    if errors:
        raise InvalidChange(field_errors=errors)
    # The password is typed by the administrator: temporary, changed at the first login.
    user = User(username=username, password_hash=hash_password(password), person=person,
                password_changed_at=utcnow(), must_change_password=True,
                roles=[UserRole(role=r) for r in roles])
    db.session.add(user)
    db.session.flush()
    record("user.created", user, actor=actor,
           after={"username": username, "roles": roles, "person": person.employee_number})
    return user


def set_roles(actor, user: User, *, roles) -> bool:
    roles = _clean_roles(roles)
    before = sorted(user.role_names)
    if user.id == actor.id and "admin" in before and "admin" not in roles:
        raise InvalidChange(field_errors={"roles": _(
            "Vous ne pouvez pas retirer votre propre rôle d'administration : demandez-le à un "
            "autre administrateur.")})
    if roles == before:
        return False
    for role in list(user.roles):
        if role.role not in roles:
            user.roles.remove(role)
    for name in set(roles) - set(before):
        user.roles.append(UserRole(role=name))
    db.session.flush()
    record("user.roles_changed", user, before={"roles": before}, after={"roles": roles},
           actor=actor)
    return True


def disable_user(actor, user: User) -> int:
    """Disable a login; every session of the account ends at once."""
    if user.id == actor.id:
        raise InvalidChange(_("Vous ne pouvez pas désactiver votre propre compte."))
    if not user.is_enabled:
        raise InvalidChange(_("Ce compte est déjà désactivé."))
    # Ended here, before the flag changes, so the count is this change's (the auth flush
    # hook would otherwise end them first, under a generic reason).
    ended = end_all_sessions(user, "account_disabled")
    user.is_enabled = False
    db.session.flush()
    record("user.disabled", user, before={"is_enabled": True},
           after={"is_enabled": False, "sessions_ended": ended}, actor=actor)
    return ended


def enable_user(actor, user: User) -> None:
    if user.is_enabled:
        raise InvalidChange(_("Ce compte est déjà actif."))
    user.is_enabled = True
    db.session.flush()
    record("user.enabled", user, before={"is_enabled": False}, after={"is_enabled": True},
           actor=actor)


def reset_password(actor, user: User, *, new_password: str) -> int:
    """Give a new initial password (told to the person in person); sessions end."""
    if user.id == actor.id:
        raise InvalidChange(_("Changez votre propre mot de passe depuis la page « Mot de "
                              "passe »."))
    if message := password_error(new_password):
        raise InvalidChange(field_errors={"password": message})
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = True  # temporary: changed at the next login
    ended = end_all_sessions(user, "password_reset")
    db.session.flush()
    # The password itself never reaches the audit trail.
    record("user.password_reset", user, after={"sessions_ended": ended}, actor=actor)
    return ended
