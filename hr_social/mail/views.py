from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, bindparam, func, or_, select

from hr_social.audit.confidentiality import may_read, readable_clause
from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail
from hr_social.permissions import roles_required
from hr_social.web.dashboard import Counted, built_once, dashboard_provider
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("mail", __name__, url_prefix="/admin/outbox")
register_nav("mail.outbox", _l("Courriels sortants"), ("admin",), order=95)

# A sign-in link's token (an invitation, a login link) lets whoever holds it in: the page
# never shows one, so an administrator reading the outbox cannot sign in as someone else.
TOKEN = re.compile(r"(?<=/)[A-Za-z0-9_-]{24,}")
MASKED = "••••••"


def mask_tokens(body: str) -> str:
    return TOKEN.sub(MASKED, body or "")


STATUSES = {"queued": _l("En attente"), "sending": _l("En cours d'envoi"),
            "sent": _l("Envoyé"), "failed": _l("En échec"), "late": _l("En retard")}
# A worker delivers a message right after the commit that queued it; one still waiting
# after this long means the mail server refuses it or no worker is running.
STALE_AFTER = dt.timedelta(minutes=15)


def _late(before=None) -> tuple:
    """Still waiting, queued before ``before`` (STALE_AFTER ago by default; a bound
    parameter in a statement built once)."""
    before = utcnow() - STALE_AFTER if before is None else before
    return (OutgoingEmail.status.in_(("queued", "sending")), OutgoingEmail.created_at < before)


def _count(*conditions):
    return select(func.count()).select_from(OutgoingEmail).where(*conditions)


@built_once
def _failed_count():
    return _count(OutgoingEmail.status == "failed")


@built_once
def _late_count():
    return _count(*_late(bindparam("mail_late_before")))


@dashboard_provider
def outbox_awaiting_admin(user) -> list[Counted]:
    if not user.has_role("admin"):
        return []
    return [
        Counted(_("Courriels en échec"),
                _("Ces courriels ne sont pas partis après plusieurs essais : vérifiez "
                  "l'adresse et le serveur d'envoi, puis prévenez les destinataires."),
                url_for("mail.outbox", status="failed"), _failed_count()),
        Counted(_("Courriels en retard"),
                _("Ces courriels attendent depuis plus de 15 minutes : vérifiez le "
                  "serveur d'envoi et lancez « flask mail deliver »."),
                url_for("mail.outbox", status="late"), _late_count(),
                params={"mail_late_before": utcnow() - STALE_AFTER}),
    ]


@blueprint.get("/")
@roles_required("admin")
def outbox():
    statement = select(OutgoingEmail).order_by(OutgoingEmail.id.desc())
    query = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    if query:
        # Only what the user may read can match: a search for a name must not reveal
        # that a confidential message was sent to that person.
        like = f"%{query}%"
        readable = readable_clause(current_user, OutgoingEmail.subject_type,
                                   OutgoingEmail.subject_id, db.session)
        statement = statement.where(and_(readable, or_(
            OutgoingEmail.to_address.ilike(like), OutgoingEmail.subject.ilike(like))))
    if status == "late":
        statement = statement.where(*_late())
    elif status in STATUSES:
        statement = statement.where(OutgoingEmail.status == status)
    page = paginate(statement)
    hidden = {m.id for m in page.items
              if not may_read(current_user, m.subject_type, m.subject_id)}
    return render_template("mail/outbox.html", page=page, q=query, hidden=hidden,
                           status=status, statuses=STATUSES,
                           mask_tokens=mask_tokens)
