from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, or_, select

from hr_social.audit.confidentiality import may_read, readable_clause
from hr_social.audit.models import AuditEvent
from hr_social.audit.sentences import action_choices, action_label, codes_for_filter, sentences
from hr_social.db import db
from hr_social.permissions import roles_required
from hr_social.web.args import date_arg
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("audit", __name__, url_prefix="/audit")
register_nav("audit.index", _l("Journal d'audit"), ("hr", "admin"), order=90)
# A spreadsheet export, not a dump: beyond this, narrow the dates.
EXPORT_LIMIT = 10_000


def _local_midnight(day: dt.date) -> dt.datetime:
    """Dates typed by HR are days in the organisation's time zone, not in UTC."""
    zone = ZoneInfo(current_app.config["ORGANISATION_TIMEZONE"])
    return dt.datetime.combine(day, dt.time(), zone).astimezone(dt.UTC)


def _filtered(args):
    """The entries matching the filters; text and action match only what the user may read,
    so a search never reveals that a confidential entry concerns a given person."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc())
    query, action = args.get("q", "").strip(), args.get("action", "").strip()
    if query or action:
        readable = readable_clause(current_user, AuditEvent.target_type,
                                   AuditEvent.target_id, db.session)
        matches = []
        if query:
            like = f"%{query}%"
            matches.append(or_(AuditEvent.actor_label.ilike(like),
                               AuditEvent.target_label.ilike(like)))
        if action:
            codes, prefix = codes_for_filter(action)
            matches.append(AuditEvent.action.startswith(prefix) if prefix
                           else AuditEvent.action.in_(codes))
        statement = statement.where(and_(readable, *matches))
    if target_type := args.get("target_type", "").strip():
        statement = statement.where(AuditEvent.target_type == target_type)
    if start := date_arg(args, "from"):
        statement = statement.where(AuditEvent.occurred_at >= _local_midnight(start))
    if end := date_arg(args, "to"):
        statement = statement.where(
            AuditEvent.occurred_at < _local_midnight(end + dt.timedelta(days=1)))
    return statement


def _hidden(events) -> set[int]:
    """Ids of the entries shown to this user as existing, without their details."""
    return {e.id for e in events if not may_read(current_user, e.target_type, e.target_id)}


@blueprint.get("/")
@roles_required("hr", "admin")
def index():
    page = paginate(_filtered(request.args), per_page=50)
    filters = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("audit/index.html", page=page, args=request.args,
                           entries=sentences(page.items, current_user),
                           action_choices=action_choices(),
                           export_url=url_for("audit.export", **filters))


@blueprint.get("/export.csv")
@roles_required("hr", "admin")
def export():
    events = db.session.scalars(_filtered(request.args).limit(EXPORT_LIMIT)).all()
    hidden = _hidden(events)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def write(row):
        writer.writerow([_cell(value) for value in row])

    write([_("N°"), _("Quand (UTC)"), _("Qui"), _("Au nom de"), _("Action"),
                     _("Type d'objet"), _("Identifiant"), _("Objet"), _("Champ"),
                     _("Avant"), _("Après"), _("Adresse"), _("Code de l'action")])
    for event in events:
        when = event.occurred_at.astimezone(dt.UTC).isoformat(timespec="seconds")
        if event.id in hidden:
            write([event.id, when, "", "", "", event.target_type,
                             "", _("Détails confidentiels"), "", "", "", "", ""])
            continue
        common = [event.id, when, event.actor_label, event.on_behalf_of_label or "",
                  action_label(event.action), event.target_type or "", event.target_id or "",
                  event.target_label or ""]
        for name, old, new in event.changes() or [("", "", "")]:
            write([*common, name, old, new, event.ip_address, event.action])
    # A BOM so that a spreadsheet opens the accents correctly.
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=journal-audit.csv"})


def _cell(value) -> str:
    """Neutralise spreadsheet formulas in user text (CSV injection); None is empty."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
