"""E-mails of the consents domain: HR is told of take-downs pending for more than two business
days. The message names the publications (account, address), never the person."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.db import db
from hr_social.mail.services import queue_template
from hr_social.people.models import User, UserRole
from hr_social.web.links import absolute_url_for


def addresses_of(role: str) -> list[str]:
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.is_enabled.is_(True))
    ).all()
    return sorted({u.person.email for u in users if u.person and u.person.email})


def overdue_to_hr(takedowns) -> None:
    link = absolute_url_for("consents.takedowns")
    for address in addresses_of("hr"):
        queue_template(address, _("Publications à retirer en retard (%(n)d)", n=len(takedowns)),
                       "consents/overdue", takedowns=takedowns, link=link,
                       subject_type="consent_takedowns", subject_id=takedowns[0].id)
