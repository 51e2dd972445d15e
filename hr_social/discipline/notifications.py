"""French e-mails of the disciplinary workflow (queued in the transaction). They say that
something awaits, never what the facts are: the details stay behind the login."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.db import db
from hr_social.delegation import delegate_addresses
from hr_social.mail.services import queue_template
from hr_social.people.models import User, UserRole


def _link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def _subject(case) -> dict:
    return {"subject_type": case.__tablename__, "subject_id": case.id}


def _addresses(role: str) -> list[str]:
    users = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == role, User.is_enabled.is_(True))
    ).all()
    return sorted({u.person.email for u in users if u.person and u.person.email})


def convocation_letter_ready(case, letter_pdf) -> None:
    """The convocation goes by e-mail with its letter attached, once the letter exists."""
    queue_template(case.person.email, _("Convocation à une rencontre"),
                   "discipline/convoked", case=case, attachment=letter_pdf, **_subject(case))


def dismissal_proposed(case, actor, data) -> None:
    for address in sorted({*_addresses("dg"), *delegate_addresses()}):
        queue_template(address, _("Décision de la Direction générale attendue"),
                       "discipline/dismissal_proposed", case=case, **_subject(case),
                       link=_link(f"/discipline/{case.id}"))


def reported(case) -> None:
    for address in _addresses("hr"):
        queue_template(address, _("Nouveau signalement disciplinaire"),
                       "discipline/reported", case=case, **_subject(case),
                       link=_link(f"/discipline/{case.id}"))
