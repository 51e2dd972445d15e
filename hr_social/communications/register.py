"""Named operations on the register of official accounts (kept by communications). They
take the acting user, write the account's history and the audit entry, and only flush."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.services import record, snapshot
from hr_social.communications.models import (
    ACCOUNT_STATUSES,
    SHORT_MAX,
    AccountAdministrator,
    AccountHistory,
    OfficialAccount,
)
from hr_social.db import db, utcnow
from hr_social.people.models import Person, Service
from hr_social.workflow import GuardFailed

URL_MAX = 500


class InvalidCommunications(GuardFailed):
    """Bad input: a French message, nothing saved."""


def platform_model():
    """The platforms catalogue's model, reached through the relationship (no domain import)."""
    return OfficialAccount.platform.property.mapper.class_


def active_platforms():
    model = platform_model()
    return db.session.scalars(select(model).where(model.is_active.is_(True))
                              .order_by(model.name)).all()


def clean_url(url: str | None) -> str:
    """An http(s) address with a host, or a clear refusal."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
        raise InvalidCommunications(
            _("L'adresse doit être un lien web complet commençant par https:// ou http://."))
    if len(url) > URL_MAX:
        raise InvalidCommunications(_("L'adresse est trop longue (%(max)d caractères au plus).",
                                      max=URL_MAX))
    return url


def _account_fields(platform_id, display_name, url, service_id, description):
    model = platform_model()
    platform = db.session.get(model, platform_id) if platform_id else None
    if platform is None:
        raise InvalidCommunications(_("Choisissez une plateforme du catalogue."))
    display_name = (display_name or "").strip()
    if not display_name or len(display_name) > 150:
        raise InvalidCommunications(_("Le nom affiché est requis (150 caractères au plus)."))
    service = db.session.get(Service, service_id) if service_id else None
    if service is None:
        raise InvalidCommunications(_("Choisissez le service qui gère le compte."))
    return dict(platform_id=platform.id, display_name=display_name, url=clean_url(url),
                managing_service_id=service.id,
                description=(description or "").strip()[:2000] or None)


def _check_unique_url(url: str, exclude_id=None) -> None:
    statement = select(OfficialAccount.id).where(OfficialAccount.url == url)
    if exclude_id is not None:
        statement = statement.where(OfficialAccount.id != exclude_id)
    if db.session.scalar(statement):
        raise InvalidCommunications(_("Un compte du registre a déjà cette adresse."))


def add_history(account, summary: str, *, actor=None, result=None, result_url=None,
                change_request=None) -> AccountHistory:
    entry = AccountHistory(account=account, summary=summary[:SHORT_MAX], result=result,
                           result_url=result_url, actor_id=getattr(actor, "id", None),
                           change_request_id=getattr(change_request, "id", None),
                           occurred_at=utcnow())
    db.session.add(entry)
    return entry


FIELDS = ("platform_id", "display_name", "url", "managing_service_id", "description")


def add_account(user, *, platform_id, display_name, url, service_id, description=None,
                change_request=None) -> OfficialAccount:
    fields = _account_fields(platform_id, display_name, url, service_id, description)
    _check_unique_url(fields["url"])
    account = OfficialAccount(status="active", **fields)
    db.session.add(account)
    db.session.flush()
    add_history(account, _("Compte inscrit au registre"), actor=user,
                change_request=change_request)
    record("official_account.added", account, after=snapshot(account, *FIELDS), actor=user)
    return account


def update_account(user, account: OfficialAccount, *, platform_id, display_name, url,
                   service_id, description=None) -> OfficialAccount:
    fields = _account_fields(platform_id, display_name, url, service_id, description)
    _check_unique_url(fields["url"], exclude_id=account.id)
    before = snapshot(account, *FIELDS)
    for name, value in fields.items():
        setattr(account, name, value)
    db.session.flush()
    after = snapshot(account, *FIELDS)
    changed = [name for name in FIELDS if before[name] != after[name]]
    if changed:
        add_history(account, _("Fiche du compte modifiée"), actor=user)
        record("official_account.updated", account, before=before, after=after, actor=user)
    return account


def set_status(user, account: OfficialAccount, status: str, *, change_request=None):
    if status not in ACCOUNT_STATUSES:
        raise InvalidCommunications(_("Statut inconnu."))
    if account.status == status:
        raise InvalidCommunications(_("Le compte a déjà ce statut."))
    before = account.status
    account.status = status
    add_history(account, _("Statut : %(old)s → %(new)s", old=ACCOUNT_STATUSES[before],
                           new=ACCOUNT_STATUSES[status]), actor=user,
                change_request=change_request)
    db.session.flush()
    record("official_account.status_changed", account, before={"status": before},
           after={"status": status}, actor=user)
    return account


def _current(account, person_id):
    return next((a for a in account.current_administrators if a.person_id == person_id), None)


def add_administrator(user, account, person: Person, *, change_request=None):
    if not person.is_active:
        raise InvalidCommunications(_("Cette personne a quitté la Ville : elle ne peut pas "
                                      "administrer un compte officiel."))
    if _current(account, person.id) is not None:
        raise InvalidCommunications(_("Cette personne administre déjà ce compte."))
    db.session.add(AccountAdministrator(account=account, person=person, added_at=utcnow()))
    add_history(account, _("Administrateur ajouté : %(name)s", name=person.full_name),
                actor=user, change_request=change_request)
    db.session.flush()
    record("official_account.administrator_added", account,
           after={"administrator": person.full_name}, actor=user)


def remove_administrator(user, account, person: Person, *, change_request=None):
    holder = _current(account, person.id)
    if holder is None:
        raise InvalidCommunications(_("Cette personne n'administre pas ce compte."))
    holder.removed_at = utcnow()
    add_history(account, _("Administrateur retiré : %(name)s", name=person.full_name),
                actor=user, change_request=change_request)
    db.session.flush()
    record("official_account.administrator_removed", account,
           before={"administrator": person.full_name}, actor=user)


def on_departed(person: Person, actor=None, **_extra) -> None:
    """Departure of an administrator: each account says so in its history; communications
    sees it on its dashboard until someone removes the access."""
    accounts = db.session.scalars(
        select(OfficialAccount).join(AccountAdministrator).where(
            AccountAdministrator.person_id == person.id,
            AccountAdministrator.removed_at.is_(None))).unique().all()
    for account in accounts:
        add_history(account, _("Départ d'un administrateur : %(name)s (accès à retirer)",
                               name=person.full_name), actor=actor)
        record("official_account.administrator_departed", account,
               after={"administrator": person.full_name}, actor=actor)
    db.session.flush()


def departed_administrators():
    """(account, administrator) rows still holding access after leaving the Ville."""
    return (select(AccountAdministrator)
            .join(Person, Person.id == AccountAdministrator.person_id)
            .where(AccountAdministrator.removed_at.is_(None), Person.is_active.is_(False)))
