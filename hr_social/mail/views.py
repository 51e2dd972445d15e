from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from hr_social.mail.models import OutgoingEmail
from hr_social.permissions import roles_required
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("mail", __name__, url_prefix="/admin/outbox")
register_nav("mail.outbox", _l("Courriels sortants"), ("admin",), order=95)

STATUSES = ("queued", "sending", "sent", "failed")


@blueprint.get("/")
@roles_required("admin")
def outbox():
    statement = select(OutgoingEmail).order_by(OutgoingEmail.id.desc())
    query = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    if query:
        like = f"%{query}%"
        statement = statement.where(
            or_(OutgoingEmail.to_address.ilike(like), OutgoingEmail.subject.ilike(like))
        )
    if status in STATUSES:
        statement = statement.where(OutgoingEmail.status == status)
    return render_template("mail/outbox.html", page=paginate(statement), q=query,
                           status=status, statuses=STATUSES)
