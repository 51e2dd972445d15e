"""The register of confidentiality incidents (A-2.1 art. 63.8–63.11): each incident, the
assessment of the risk of serious injury (sensitivity of the information, consequences of
its use, likelihood of misuse), the measures taken and the notices to the Commission
d'accès à l'information and to the persons concerned. HR and the person responsible for the
protection of personal information keep it; it exports as CSV."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from hr_social.audit.confidentiality import changed_fields
from hr_social.audit.services import record
from hr_social.column_limits import column_errors
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.records.models import INCIDENT_ROLES, LEVELS, Incident, IncidentLink
from hr_social.records.registry import LINK_TARGETS
from hr_social.records.retention import today

LEVEL_LABELS = {"low": _l("faible"), "medium": _l("moyenne"), "high": _l("élevée")}
TEXT_FIELDS = ("description", "information", "assessment_note", "measures", "notice_note")
OTHER_FIELDS = ("occurred_on", "discovered_on", "people_count", "sensitivity", "consequences",
                "likelihood", "serious_risk", "commission_notified_on",
                "persons_notified_on")
MAX_LINK_ID = 2_147_483_647


class InvalidIncident(DomainError):
    """An incident refused (French message)."""


class IncidentNotPermitted(InvalidIncident):
    http_status = 403


def suggested_serious(sensitivity, consequences, likelihood) -> bool | None:
    """A reading of the three factors (art. 63.10), for the assessor to confirm: the risk is
    serious when misuse is at least likely and either the information is very sensitive or
    its use could have grave consequences."""
    if not (sensitivity and consequences and likelihood):
        return None
    return likelihood in ("medium", "high") and "high" in (sensitivity, consequences)


def _check(values: dict, today: dt.date) -> dict:
    errors = {}
    if not (values.get("description") or "").strip():
        errors["description"] = _("Décrivez l'incident.")
    if values.get("discovered_on") is None:
        errors["discovered_on"] = _("Indiquez la date où l'incident a été connu.")
    for name in ("occurred_on", "discovered_on", "commission_notified_on",
                 "persons_notified_on"):
        day = values.get(name)
        if day is not None and day > today:
            errors[name] = _("Cette date ne peut pas être dans le futur.")
    occurred, discovered = values.get("occurred_on"), values.get("discovered_on")
    if occurred and discovered and occurred > discovered:
        errors["occurred_on"] = _("L'incident ne peut pas être connu avant d'être survenu.")
    for name in ("sensitivity", "consequences", "likelihood"):
        if values.get(name) not in (None, *LEVELS):
            errors[name] = _("Choisissez un niveau de la liste.")
    count = values.get("people_count")
    if count is not None and not 0 <= count <= 10_000_000:
        errors["people_count"] = _("Le nombre de personnes doit être un entier positif.")
    for name in ("commission_notified_on", "persons_notified_on"):
        if values.get(name) is not None and discovered and values[name] < discovered:
            errors[name] = _("Un avis ne peut pas précéder la connaissance de l'incident.")
    errors.update(column_errors(Incident, {k: v for k, v in values.items()
                                           if k in TEXT_FIELDS}, required=False))
    return errors


def _links(raw_links: dict) -> tuple[dict[str, int], dict]:
    """subject type → id from the form; unknown ids are refused when the domain says so."""
    links, errors = {}, {}
    for subject_type, raw in (raw_links or {}).items():
        raw = (raw or "").strip() if isinstance(raw, str) else raw
        if raw in (None, ""):
            continue
        target = LINK_TARGETS.get(subject_type)
        try:
            subject_id = int(raw)
        except (TypeError, ValueError):
            subject_id = 0
        if target is None:
            errors[f"link-{subject_type}"] = _("Ce type de lien n'existe pas.")
        elif not 0 < subject_id <= MAX_LINK_ID or (
                target.exists is not None and not target.exists(subject_id)):
            errors[f"link-{subject_type}"] = _("Aucun document n° %(id)s de ce type.",
                                               id=str(raw)[:20])
        else:
            links[subject_type] = subject_id
    return links, errors


def save_incident(actor, incident: Incident | None = None, *, links: dict | None = None,
                  **values) -> Incident:
    """Create (``incident`` None) or update an incident; every field at once."""
    if not actor.has_role(*INCIDENT_ROLES):
        raise IncidentNotPermitted()
    values = {k: values.get(k) for k in TEXT_FIELDS + OTHER_FIELDS}
    for name in TEXT_FIELDS:
        values[name] = (values[name] or "").strip() or None
    errors = _check(values, today())
    wanted_links, link_errors = _links(links or {})
    errors.update(link_errors)
    if errors:
        raise InvalidIncident(_("L'incident n'a pas été enregistré."), errors)
    new = incident is None
    incident = incident or Incident(recorded_by_id=actor.id)
    before = None if new else {k: getattr(incident, k) for k in OTHER_FIELDS}
    changed = [k for k in TEXT_FIELDS if getattr(incident, k) != values[k]]
    for name, value in values.items():
        setattr(incident, name, value)
    current = {link.subject_type: link for link in incident.links}
    for subject_type, link in current.items():
        if subject_type not in wanted_links:
            incident.links.remove(link)
    for subject_type, subject_id in wanted_links.items():
        if subject_type in current:
            current[subject_type].subject_id = subject_id
        else:
            incident.links.append(IncidentLink(subject_type=subject_type,
                                               subject_id=subject_id))
    db.session.add(incident)
    db.session.flush()
    after = {k: getattr(incident, k) for k in OTHER_FIELDS}
    after.update(changed_fields(*changed))
    after["links"] = sorted(f"{t}:{i}" for t, i in wanted_links.items())
    record("records_incident.recorded" if new else "records_incident.changed", incident,
           actor=actor, before=before, after=after)
    return incident


def incidents_statement(args) -> select:
    statement = select(Incident).order_by(Incident.discovered_on.desc(), Incident.id.desc())
    query = (args.get("q") or "").strip()[:100]
    if query:
        pattern = f"%{query}%"
        statement = statement.where(or_(Incident.description.ilike(pattern),
                                        Incident.measures.ilike(pattern),
                                        Incident.information.ilike(pattern)))
    condition = status_condition(args.get("status"))
    return statement if condition is None else statement.where(condition)


def status_condition(status: str | None):
    """The incidents a status filter (and a dashboard card) names; None: every one."""
    if status == "serious":
        return Incident.serious_risk.is_(True)
    if status == "notices_due":  # art. 63.8: notices to send "with diligence"
        return Incident.serious_risk.is_(True) & or_(
            Incident.commission_notified_on.is_(None), Incident.persons_notified_on.is_(None))
    if status == "unassessed":
        return Incident.serious_risk.is_(None)
    return None


CSV_COLUMNS = ("numero", "date_incident", "date_connaissance", "description",
               "renseignements_concernes", "nombre_personnes", "sensibilite",
               "consequences", "probabilite", "risque_prejudice_serieux", "evaluation",
               "mesures", "avis_commission", "avis_personnes", "notes_avis", "liens")


def csv_row(incident: Incident) -> dict:
    def level(value):
        return str(LEVEL_LABELS[value]) if value in LEVEL_LABELS else ""

    serious = {True: "oui", False: "non", None: ""}[incident.serious_risk]
    return dict(zip(CSV_COLUMNS, (
        incident.id, incident.occurred_on or "", incident.discovered_on,
        incident.description, incident.information or "", incident.people_count or "",
        level(incident.sensitivity), level(incident.consequences),
        level(incident.likelihood), serious, incident.assessment_note or "",
        incident.measures or "", incident.commission_notified_on or "",
        incident.persons_notified_on or "", incident.notice_note or "",
        " ".join(f"{link.subject_type}:{link.subject_id}" for link in incident.links),
    ), strict=True))
