"""The registry of current access grants (DG, HR, and IT's technical account), on screen and
exported as CSV or JSON."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request

from hr_social.access_requests.models import ITEM_STATES
from hr_social.access_requests.queries import (
    grant_page,
    registry_export_statement,
    registry_statement,
)
from hr_social.access_requests.views import blueprint, list_context
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.permissions import roles_required

REGISTRY_ROLES = ("dg", "hr", "admin")  # admin: the IT service's technical account
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@blueprint.get("/registry")
@roles_required(*REGISTRY_ROLES)
def registry():
    page = grant_page(registry_statement, request.args)
    return render_template("access_requests/registry.html", page=page,
                           **list_context(states=ITEM_STATES))


def _registry_rows():
    for item in db.session.scalars(registry_export_statement(request.args)):
        yield {
            "person": item.person.full_name, "employee_number": item.person.employee_number,
            "email": item.person.email, "service": item.person.service.name,
            "platform": item.platform.name, "address_pattern": item.platform.address_pattern,
            "state": item.state, "since": item.granted_at.date().isoformat(),
            "until": item.review_on.isoformat(), "conditions": item.conditions or "",
            "grant_id": item.id,
        }


@blueprint.get("/registry.csv")
@roles_required(*REGISTRY_ROLES)
def registry_csv():
    buffer = io.StringIO()
    writer = None
    for row in _registry_rows():
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        # Cells a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
        # return before one) are neutralised.
        writer.writerow({k: (f"'{v}" if isinstance(v, str) and v[:1] in FORMULA_STARTS else v)
                         for k, v in row.items()})
    if writer is None:
        buffer.write("person,employee_number,email,service,platform,address_pattern,state,"
                     "since,until,conditions,grant_id\r\n")
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition":
            f"attachment; filename=registre-acces-{local_today().isoformat()}.csv"})


@blueprint.get("/registry.json")
@roles_required(*REGISTRY_ROLES)
def registry_json():
    return {"generated_on": local_today().isoformat(), "grants": list(_registry_rows())}
