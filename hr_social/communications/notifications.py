"""French e-mails of the communications workflows (queued in the transaction): the division
on each new or resubmitted request, the DG on each escalation, the requester on each
decision."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.db import db
from hr_social.delegation import delegate_addresses
from hr_social.mail.services import queue_template
from hr_social.people.models import User, UserRole
from hr_social.web.links import absolute_url_for


def request_link(obj) -> str:
    kind = "logo" if obj.__tablename__ == "logo_authorizations" else "change"
    return absolute_url_for(f"communications.{kind}_show", request_id=obj.id)


def addresses_of(role: str) -> list[str]:
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.is_enabled.is_(True))
    ).all()
    return sorted({u.person.email for u in users if u.person and u.person.email})



def submitted(obj, actor=None, data=None) -> None:
    for address in addresses_of("communications"):
        queue_template(address, _("%(what)s à décider", what=str(obj)),
                       "communications/submitted", obj=obj, link=request_link(obj),
                       subject_type=obj.__tablename__, subject_id=obj.id)


def escalated(obj, actor, data) -> None:
    for address in sorted(set(addresses_of("dg")) | set(delegate_addresses())):
        queue_template(address, _("%(what)s transmise à la Direction générale",
                                  what=str(obj)),
                       "communications/escalated", obj=obj, link=request_link(obj),
                       subject_type=obj.__tablename__, subject_id=obj.id)


def decided(obj, actor, data) -> None:
    queue_template(obj.requester.email,
                   _("%(what)s : %(state)s", what=str(obj), state=obj.state_label),
                   "communications/decided", obj=obj, link=request_link(obj),
                   subject_type=obj.__tablename__, subject_id=obj.id)


def expiring(obj) -> None:
    queue_template(obj.requester.email,
                   _("%(what)s arrive à échéance", what=str(obj)),
                   "communications/expiring", obj=obj, link=request_link(obj),
                   subject_type=obj.__tablename__, subject_id=obj.id)
