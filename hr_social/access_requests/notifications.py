"""French e-mails of the access-request workflow (queued in the transaction)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.db import db
from hr_social.delegation import delegate_addresses
from hr_social.mail.services import queue_template
from hr_social.people.models import User, UserRole
from hr_social.web.links import absolute_url_for


def _request_link(request) -> str:
    return absolute_url_for("access_requests.show", request_id=request.id)


def dg_addresses() -> list[str]:
    """The DGs' addresses and those of today's delegates (who decide in the DG's name)."""
    dgs = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "dg", User.is_enabled.is_(True))
    ).all()
    return sorted({u.person.email for u in dgs if u.person and u.person.email}
                  | set(delegate_addresses()))


def _requester_and_manager(person) -> list[str]:
    addresses = [person.email]
    if person.manager is not None:
        addresses.append(person.manager.email)
    return [a for a in addresses if a]


def request_submitted(request, actor, data) -> None:
    for address in dg_addresses():
        queue_template(address, _("Demande d'accès n° %(id)s à décider", id=request.id),
                       "access_requests/submitted", request=request, link=_request_link(request))
    manager = request.requester.manager
    if manager is not None and manager.email:
        queue_template(manager.email,
                       _("Demande d'accès de %(name)s", name=request.requester.full_name),
                       "access_requests/manager_informed", request=request,
                       link=_request_link(request))


def request_decided(request, actor, data) -> None:
    for address in _requester_and_manager(request.requester):
        queue_template(address, _("Décision sur la demande d'accès n° %(id)s", id=request.id),
                       "access_requests/decided", request=request, link=_request_link(request))


def request_lapsed(request, actor, data) -> None:
    for address in _requester_and_manager(request.requester):
        queue_template(address,
                       _("Demande d'accès n° %(id)s fermée sans décision", id=request.id),
                       "access_requests/lapsed", request=request, link=_request_link(request))


def request_flagged(request) -> None:
    for address in dg_addresses():
        queue_template(address, _("Demande d'accès n° %(id)s en retard", id=request.id),
                       "access_requests/flagged", request=request, link=_request_link(request))


def _person_then_manager(item, own_subject: str, manager_subject: str):
    """(address, subject) for the person ("Votre accès…") and their manager (named)."""
    person = item.person
    if person.email:
        yield person.email, own_subject
    if person.manager is not None and person.manager.email:
        yield person.manager.email, manager_subject


def grant_changed(item, actor, data) -> None:
    """Restricted, revoked or expired: the person and their manager are told."""
    names = {"platform": item.platform.name, "name": item.person.full_name}
    for address, subject in _person_then_manager(
            item, _("Votre accès à %(platform)s a changé", **names),
            _("L'accès de %(name)s à %(platform)s a changé", **names)):
        queue_template(address, subject, "access_requests/grant_changed", item=item,
                       link=_request_link(item.request))


def grant_expiring(item) -> None:
    names = {"platform": item.platform.name, "name": item.person.full_name}
    for address, subject in _person_then_manager(
            item, _("Votre accès à %(platform)s arrive à échéance", **names),
            _("L'accès de %(name)s à %(platform)s arrive à échéance", **names)):
        queue_template(address, subject, "access_requests/expiring", item=item,
                       link=_request_link(item.request))


def _grant_link(item) -> str:
    return absolute_url_for("access_requests.grant", item_id=item.id)


def renewal_proposed(item, actor, data) -> None:
    """HR proposes: the DG (and the delegate of the day) decide."""
    for address in dg_addresses():
        queue_template(address, _("Renouvellement à décider : accès de %(name)s à %(platform)s",
                                  name=item.person.full_name, platform=item.platform.name),
                       "access_requests/renewal_proposed", item=item, link=_grant_link(item))


def renewal_decided(item, actor, data) -> None:
    """The DG renewed or declined: HR's proposer learns the outcome (if there was one)."""
    proposer = data.get("proposer")
    if proposer is None or proposer.person is None or not proposer.person.email:
        return
    queue_template(proposer.person.email,
                   _("Renouvellement décidé : accès de %(name)s à %(platform)s",
                     name=item.person.full_name, platform=item.platform.name),
                   "access_requests/renewal_decided", item=item, link=_grant_link(item),
                   renewed=data.get("review_on") is not None)
