"""Invitations: a person without a login receives a single-use link to choose a password.

The link carries a random token; only its SHA-256 is stored. It expires after
INVITATION_DAYS, works once, and is cancelled when the person leaves (``person_departed``).
A re-send replaces the token, so an older e-mail stops working.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from hr_social.audit.services import record
from hr_social.auth.passwords import hash_password, password_error
from hr_social.db import db, utcnow
from hr_social.errors import DomainError
from hr_social.mail.services import queue_template
from hr_social.people.events import person_departed
from hr_social.people.models import Invitation, Person, User, UserRole

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
STATUS_LABELS = {"pending": _l("En attente"), "accepted": _l("Acceptée"),
                 "expired": _l("Expirée"), "cancelled": _l("Annulée")}


class InvitationRefused(DomainError):
    """A link that cannot be used, or a choice refused (on ``field_name``)."""

    def __init__(self, message: str, field_name: str | None = None):
        if field_name:
            super().__init__(field_errors={field_name: message})
        else:
            super().__init__(message)
        self.field_name = field_name


@dataclass
class InviteReport:
    sent: int = 0
    resent: int = 0
    skipped: list[tuple[Person, str]] = field(default_factory=list)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=current_app.config["INVITATION_DAYS"])


def pending_for(person: Person) -> Invitation | None:
    return db.session.scalars(select(Invitation).where(
        Invitation.person_id == person.id, Invitation.accepted_at.is_(None),
        Invitation.cancelled_at.is_(None)).order_by(Invitation.id.desc())).first()


def why_not_invitable(person: Person) -> str | None:
    if not person.is_active:
        return _("a quitté l'organisation")
    if person.user is not None:
        return _("a déjà un compte")
    if not person.email:
        return _("n'a pas de courriel : remettez-lui une copie papier")
    return None


def _send(invitation: Invitation, token: str) -> None:
    base_url = current_app.config["BASE_URL"].rstrip("/")
    queue_template(invitation.person.email, _("Votre accès à l'application"),
                   "people/invitation", person=invitation.person,
                   link=f"{base_url}/invitation/{token}", expires_at=invitation.expires_at)


def invite(actor, people) -> InviteReport:
    """Invite each person who can be (a pending invitation is sent again)."""
    report, now = InviteReport(), utcnow()
    for person in people:
        if reason := why_not_invitable(person):
            report.skipped.append((person, reason))
            continue
        existing = pending_for(person)
        if existing is not None:
            resend(actor, existing)
            report.resent += 1
            continue
        token = secrets.token_urlsafe(32)
        invitation = Invitation(person=person, token_hash=token_hash(token), created_at=now,
                                sent_at=now, expires_at=_expiry(now), created_by=actor)
        db.session.add(invitation)
        db.session.flush()
        _send(invitation, token)
        record("invitation.sent", invitation, actor=actor,
               after={"person": person.employee_number, "expires_at": invitation.expires_at})
        report.sent += 1
    return report


def resend(actor, invitation: Invitation) -> None:
    if invitation.accepted_at is not None or invitation.cancelled_at is not None:
        raise InvitationRefused(_("Cette invitation est déjà acceptée ou annulée."))
    if reason := why_not_invitable(invitation.person):
        raise InvitationRefused(_("%(name)s %(reason)s.", name=invitation.person.full_name,
                                  reason=reason))
    token, now = secrets.token_urlsafe(32), utcnow()
    invitation.token_hash, invitation.sent_at = token_hash(token), now
    invitation.expires_at, invitation.send_count = _expiry(now), invitation.send_count + 1
    db.session.flush()
    _send(invitation, token)
    record("invitation.resent", invitation, actor=actor,
           after={"send_count": invitation.send_count, "expires_at": invitation.expires_at})


@person_departed.connect
def _cancel_on_departure(person, actor=None, **_extra) -> None:
    for invitation in db.session.scalars(select(Invitation).where(
            Invitation.person_id == person.id, Invitation.accepted_at.is_(None),
            Invitation.cancelled_at.is_(None))):
        invitation.cancelled_at, invitation.cancel_reason = utcnow(), "person_departed"
        db.session.flush()
        record("invitation.cancelled", invitation, actor=actor,
               after={"reason": "person_departed"})


def _refuse(invitation: Invitation | None, reason: str, message: str):
    """Audit a refused link (in its own commit, made by the view) and refuse."""
    record("invitation.refused", target_type="invitations",
           target_id=invitation.id if invitation else None,
           target_label=invitation.person.employee_number if invitation else "?",
           actor=None, system_label=_("Lien d'invitation"), after={"reason": reason})
    raise InvitationRefused(message)


def usable(token: str) -> Invitation:
    """The invitation this link opens, or InvitationRefused (audited) saying why not."""
    invitation = db.session.scalars(select(Invitation).where(
        Invitation.token_hash == token_hash(token or ""))).first()
    if invitation is None:
        _refuse(None, "unknown", _("Ce lien d'invitation n'est pas valide. S'il a été envoyé "
                                   "de nouveau, utilisez le courriel le plus récent."))
    if invitation.accepted_at is not None:
        _refuse(invitation, "used", _("Ce lien a déjà servi : votre compte existe. "
                                      "Connectez-vous avec le mot de passe choisi."))
    if invitation.cancelled_at is not None or not invitation.person.is_active:
        _refuse(invitation, "cancelled", _("Cette invitation est annulée : la personne ne fait "
                                           "plus partie de l'organisation."))
    if invitation.expires_at <= utcnow():
        _refuse(invitation, "expired", _("Ce lien a expiré. Demandez aux Ressources humaines "
                                         "de vous envoyer une nouvelle invitation."))
    if invitation.person.user is not None:
        _refuse(invitation, "has_login", _("Vous avez déjà un compte : connectez-vous."))
    return invitation


def sign_in_help(person: Person) -> str:
    """For an e-mail asking a person to do something online: how they get in, when they
    have no login yet (empty when they have one)."""
    if person.user is not None and person.user.is_active:
        return ""
    if current_app.config.get("LDAP_URL"):
        return _("Pour vous connecter, utilisez le nom d'utilisateur et le mot de passe de "
                 "votre session réseau de l'organisation.")
    invitation = pending_for(person)
    if invitation is not None and invitation.expires_at > utcnow():
        return _("Vous n'avez pas encore d'accès à l'application : ouvrez d'abord le lien du "
                 "courriel « Votre accès à l'application » pour choisir votre mot de passe.")
    return _("Vous n'avez pas d'accès à l'application : demandez une invitation aux "
             "Ressources humaines, ou votre gestionnaire vous remettra une copie papier à "
             "signer.")


def suggested_username(person: Person) -> str:
    local = (person.email or "").split("@")[0].lower()
    local = re.sub(r"[^a-z0-9._-]", "", local)
    return local if USERNAME_RE.match(local) else person.employee_number.lower()


def accept(token: str, *, username: str, password: str) -> User:
    """Create the login (employee role) with the password the person chose."""
    invitation = usable(token)
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise InvitationRefused(_("Nom d'utilisateur invalide : 3 à 80 caractères parmi les "
                                  "lettres minuscules, chiffres, point, tiret et souligné."),
                                "username")
    if User.by_username(username) is not None:
        raise InvitationRefused(_("Le nom d'utilisateur %(u)s est déjà pris : choisissez-en "
                                  "un autre.", u=username), "username")
    if message := password_error(password):
        raise InvitationRefused(message, "new_password")
    # Claimed by a conditional update: two tabs submitting the same link create one login.
    claimed = db.session.execute(update(Invitation).where(
        Invitation.id == invitation.id, Invitation.accepted_at.is_(None),
        Invitation.cancelled_at.is_(None)).values(accepted_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise InvitationRefused(_("Ce lien a déjà servi : votre compte existe. "
                                  "Connectez-vous avec le mot de passe choisi."))
    user = User(username=username, password_hash=hash_password(password),
                person=invitation.person, password_changed_at=utcnow(),
                roles=[UserRole(role="employee")])
    db.session.add(user)
    db.session.flush()
    db.session.refresh(invitation)
    record("user.created", user, actor=user,
           after={"username": username, "roles": ["employee"], "via": "invitation"})
    record("invitation.accepted", invitation, actor=user)
    return user


def listing(status: str | None = None):
    """Invitations, newest first, for the HR and administration page."""
    now = utcnow()
    statement = select(Invitation).order_by(Invitation.id.desc())
    if status == "pending":
        statement = statement.where(Invitation.accepted_at.is_(None),
                                    Invitation.cancelled_at.is_(None), Invitation.expires_at > now)
    elif status == "expired":
        statement = statement.where(Invitation.accepted_at.is_(None),
                                    Invitation.cancelled_at.is_(None),
                                    Invitation.expires_at <= now)
    elif status == "accepted":
        statement = statement.where(Invitation.accepted_at.is_not(None))
    elif status == "cancelled":
        statement = statement.where(Invitation.cancelled_at.is_not(None))
    return statement
