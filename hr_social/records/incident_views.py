"""The register of confidentiality incidents: HR and the person responsible for the
protection of personal information (role ``privacy``) only; CSV export for the Commission."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from hr_social.audit.confidentiality import register_target_type
from hr_social.db import db
from hr_social.permissions import roles_required
from hr_social.records import incidents
from hr_social.records.forms import IncidentForm
from hr_social.records.models import INCIDENT_ROLES, Incident
from hr_social.records.registry import link_targets
from hr_social.records.retention import today
from hr_social.records.views import blueprint
from hr_social.web.actions import perform
from hr_social.web.dashboard import Counted, built_once, dashboard_provider
from hr_social.web.input_limits import row_by_id
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

register_nav("records.incidents_index", _l("Incidents de confidentialité"), INCIDENT_ROLES,
             order=61)
register_target_type(Incident.__tablename__, readers=INCIDENT_ROLES, confidential=True,
                     state_fields=("sensitivity", "consequences", "likelihood", "links"))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUSES = {"": _l("Tous"), "unassessed": _l("Non évalués"),
            "serious": _l("Risque sérieux"), "notices_due": _l("Avis à transmettre")}
SERIOUS = {"yes": True, "no": False}


@built_once
def _incidents_count(status: str):
    return select(func.count()).select_from(Incident).where(incidents.status_condition(status))


@dashboard_provider
def incidents_awaiting(user) -> list[Counted]:
    """HR and the privacy officer: serious incidents whose notices are not all recorded
    (art. 63.8: "with diligence"), and incidents not assessed yet."""
    if not user.has_role(*INCIDENT_ROLES):
        return []
    return [
        Counted(_("Incidents de confidentialité : avis à transmettre"),
                _("Le risque de préjudice est sérieux : avisez la Commission d'accès à "
                  "l'information et les personnes concernées, puis inscrivez les dates."),
                url_for("records.incidents_index", status="notices_due"),
                _incidents_count("notices_due")),
        Counted(_("Incidents de confidentialité à évaluer"),
                _("Évaluez le risque de préjudice sérieux (sensibilité, conséquences, "
                  "probabilité)."),
                url_for("records.incidents_index", status="unassessed"),
                _incidents_count("unassessed")),
    ]


def _incident_or_404(incident_id: int) -> Incident:
    incident = row_by_id(Incident, incident_id)
    if incident is None:
        abort(404)
    return incident


@blueprint.get("/incidents")
@roles_required(*INCIDENT_ROLES)
def incidents_index():
    page = paginate(incidents.incidents_statement(request.args))
    return render_template("records/incidents.html", page=page, statuses=STATUSES,
                           args=request.args, levels=incidents.LEVEL_LABELS)


def _form_for(incident: Incident | None) -> IncidentForm:
    if incident is None or request.method == "POST":
        return IncidentForm()
    data = {name: getattr(incident, name) for name in incidents.TEXT_FIELDS
            + incidents.OTHER_FIELDS}
    data["serious_risk"] = {True: "yes", False: "no"}.get(incident.serious_risk, "")
    for name in ("sensitivity", "consequences", "likelihood"):
        data[name] = data[name] or ""
    return IncidentForm(data=data)


def _links_in_form(incident: Incident | None) -> dict:
    if request.method == "POST":
        return {t.subject_type: (request.form.get(f"link-{t.subject_type}") or "")[:20]
                for t in link_targets()}
    current = {link.subject_type: link.subject_id for link in (incident.links
                                                               if incident else [])}
    return {t.subject_type: str(current.get(t.subject_type, "")) for t in link_targets()}


def _edit(incident: Incident | None):
    form = _form_for(incident)
    links = _links_in_form(incident)
    errors: dict = {}

    def save():
        return incidents.save_incident(
            current_user, incident, links=links,
            occurred_on=form.occurred_on.data, discovered_on=form.discovered_on.data,
            description=form.description.data, information=form.information.data,
            people_count=form.people_count.data,
            sensitivity=form.sensitivity.data or None,
            consequences=form.consequences.data or None,
            likelihood=form.likelihood.data or None,
            serious_risk=SERIOUS.get(form.serious_risk.data),
            assessment_note=form.assessment_note.data, measures=form.measures.data,
            commission_notified_on=form.commission_notified_on.data,
            persons_notified_on=form.persons_notified_on.data,
            notice_note=form.notice_note.data)

    def keep_link_errors(error):
        errors.update({k: v for k, v in error.field_errors.items() if k.startswith("link-")})

    outcome = perform(form, save, success=_("L'incident est enregistré au registre."),
                      on_refused=keep_link_errors)
    if outcome.done:
        return redirect(url_for("records.incident_show", incident_id=outcome.value.id))
    suggestion = incidents.suggested_serious(form.sensitivity.data, form.consequences.data,
                                             form.likelihood.data)
    return render_template("records/incident_form.html", form=form, incident=incident,
                           links=links, link_errors=errors, targets=link_targets(),
                           suggestion=suggestion), outcome.status


@blueprint.route("/incidents/new", methods=["GET", "POST"])
@roles_required(*INCIDENT_ROLES)
def incident_new():
    return _edit(None)


@blueprint.route("/incidents/<int:incident_id>", methods=["GET", "POST"])
@roles_required(*INCIDENT_ROLES)
def incident_show(incident_id: int):
    return _edit(_incident_or_404(incident_id))


def _csv_cell(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


@blueprint.get("/incidents.csv")
@roles_required(*INCIDENT_ROLES)
def incidents_csv():
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(incidents.CSV_COLUMNS))
    writer.writeheader()
    statement = incidents.incidents_statement(request.args)
    for incident in db.session.scalars(statement):
        writer.writerow({k: _csv_cell(v) for k, v in incidents.csv_row(incident).items()})
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition":
            f"attachment; filename=registre-incidents-{today().isoformat()}.csv"})
