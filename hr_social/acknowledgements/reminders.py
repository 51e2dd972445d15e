"""HR's "send a reminder now": to one person, a service, or everyone still pending.

The messages are queued with the change (delivered after the commit by the mail worker, never
inside the request); one audit entry on the campaign says who was reminded and how many.
Someone reminded less than ``REMIND_AGAIN_AFTER`` ago is skipped, so a double click, or a
service reminded just after everyone, does not send the same message twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign, PolicyVersion
from hr_social.acknowledgements.services import AcknowledgementError
from hr_social.audit.services import record
from hr_social.db import db, french, utcnow
from hr_social.mail.services import queue_template
from hr_social.people.models import Person
from hr_social.web.links import absolute_url_for

REMIND_AGAIN_AFTER = dt.timedelta(hours=1)
SCOPES = ("person", "service", "everyone")


@dataclass(frozen=True)
class ReminderReport:
    sent: int
    without_email: int
    recently_reminded: int


def _pending(campaign: Campaign):
    return (select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
            .options(joinedload(Acknowledgement.person))
            .where(Acknowledgement.campaign_id == campaign.id,
                   Acknowledgement.status == AckStatus.pending, Person.is_active.is_(True))
            .order_by(french(Person.last_name), french(Person.first_name), Person.id))


def check_remindable(campaign: Campaign) -> None:
    if not campaign.is_open:
        raise AcknowledgementError(_("Cette campagne est fermée : personne n'est relancé."))
    current = PolicyVersion.current()
    if current is None or current.id != campaign.policy_version_id:
        raise AcknowledgementError(_("Cette version n'est plus celle à signer : relancez "
                                     "plutôt la campagne de la version actuelle."))


def remind_now(actor, campaign: Campaign, scope: str, *, ack: Acknowledgement | None = None,
               service=None, now: dt.datetime | None = None) -> ReminderReport:
    """Queue a reminder to each pending person of the scope; one audit entry with the count."""
    check_remindable(campaign)
    statement = _pending(campaign)
    if scope == "person":
        if ack is None or ack.campaign_id != campaign.id:
            raise AcknowledgementError(_("Choisissez une personne de cette campagne."))
        if ack.status != AckStatus.pending:
            raise AcknowledgementError(_("%(name)s n'a plus rien à signer.",
                                         name=ack.person.full_name))
        statement = statement.where(Acknowledgement.id == ack.id)
    elif scope == "service":
        if service is None:
            raise AcknowledgementError(_("Choisissez un service."))
        statement = statement.where(Person.service_id == service.id)
    elif scope != "everyone":
        raise AcknowledgementError(_("Choisissez à qui envoyer le rappel."))
    now = now or utcnow()
    acks = db.session.scalars(statement).unique().all()
    if not acks:
        raise AcknowledgementError(_("Personne n'est en attente pour ce choix."))
    sent = without_email = recent = 0
    for pending in acks:
        if not pending.person.email:
            without_email += 1
            continue
        claimed = db.session.execute(
            update(Acknowledgement)
            .where(Acknowledgement.id == pending.id,
                   or_(Acknowledgement.last_reminded_at.is_(None),
                       Acknowledgement.last_reminded_at <= now - REMIND_AGAIN_AFTER))
            .values(last_reminded_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            recent += 1
            continue
        queue_template(pending.person.email,
                       _("Rappel : accusé de réception de la politique à signer"),
                       "acknowledgements/reminder", ack=pending, campaign=campaign,
                       link=_link(pending))
        sent += 1
    db.session.flush()
    report = ReminderReport(sent, without_email, recent)
    record("campaign.reminded_now", campaign, after={
        "scope": scope, "service": service.name if service is not None else None,
        "person": ack.person.full_name if ack is not None else None, "count": sent,
        "without_email": without_email, "recently_reminded": recent}, actor=actor)
    return report


def _link(ack: Acknowledgement) -> str:
    return absolute_url_for("acknowledgements.read_policy", ack_id=ack.id)
