from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from hr_social.audit.models import AuditEvent
from hr_social.permissions import roles_required
from hr_social.web.args import date_arg
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
register_nav("audit.index", _l("Journal d'audit"), ("hr", "admin"), order=90)


def _local_midnight(day: dt.date) -> dt.datetime:
    """Dates typed by HR are days in the organisation's time zone, not in UTC."""
    zone = ZoneInfo(current_app.config["ORGANISATION_TIMEZONE"])
    return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)


@blueprint.get("/")
@roles_required("hr", "admin")
def index():
    args = request.args
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    if query := args.get("q", "").strip():
        like = f"%{query}%"
        statement = statement.where(or_(AuditEvent.actor_label.ilike(like),
                                        AuditEvent.target_label.ilike(like)))
    if action := args.get("action", "").strip():
        statement = statement.where(AuditEvent.action.startswith(action))
    if target_type := args.get("target_type", "").strip():
        statement = statement.where(AuditEvent.target_type == target_type)
    if start := date_arg(args, "from"):
        statement = statement.where(AuditEvent.occurred_at >= _local_midnight(start))
    if end := date_arg(args, "to"):
        statement = statement.where(
            AuditEvent.occurred_at < _local_midnight(end + dt.timedelta(days=1)))
    return render_template("audit/index.html", page=paginate(statement, per_page=50), args=args)
