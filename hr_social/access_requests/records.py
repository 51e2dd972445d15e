"""Access requests and grants in the person's file and the A-2.1 export: declared in the
records registry, imported by ``access_requests/wiring.py``. The viewer sees what
``visible_to`` lets them open elsewhere; a manager's recommendation is withheld from the
export until the request is decided (A-2.1 art. 86.1)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.access_requests.models import AccessItem, AccessRequest
from hr_social.db import db
from hr_social.records.registry import ExportSection, FileEntry, RecordType, register_record_type

REQUEST = "access_requests.request"
GRANT = "access_requests.grant"
SUMMARY_MAX = 160


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX - 1] + "…"


def _date(value) -> str:
    return value.date().isoformat() if hasattr(value, "date") and value else (
        value.isoformat() if value else "—")


def request_entries(person, viewer, **options):
    statement = AccessRequest.visible_to(viewer).where(AccessRequest.requester_id == person.id)
    return [FileEntry(REQUEST, r.id, r.submitted_at or r.created_at, str(r),
                      f"{r.state_label} — {_short(r.purpose)}",
                      url_for("access_requests.show", request_id=r.id))
            for r in db.session.scalars(statement)]


def grant_entries(person, viewer, **options):
    statement = AccessItem.visible_to(viewer).where(AccessItem.person_id == person.id,
                                                    AccessItem.granted_at.is_not(None))
    return [FileEntry(GRANT, i.id, i.granted_at, _("Accès à %(platform)s",
                                                  platform=i.platform.name),
                      i.state_label, url_for("access_requests.grant", item_id=i.id))
            for i in db.session.scalars(statement)]


def request_export(person):
    sections = []
    statement = select(AccessRequest).where(AccessRequest.requester_id == person.id) \
        .order_by(AccessRequest.id)
    for r in db.session.scalars(statement):
        rows = [(_("Créée le"), _date(r.created_at)), (_("Soumise le"), _date(r.submitted_at)),
                (_("Usage prévu"), r.purpose), (_("Statut"), r.state_label),
                (_("Plateformes"), ", ".join(f"{i.platform.name} ({i.state_label})"
                                             for i in r.items))]
        if r.decided_at:
            rows += [(_("Décision"), f"{r.outcome_label} ({_date(r.decided_at)})"),
                     (_("Note de décision"), r.decision_note or "—")]
        withheld = ()
        if r.recommendation:
            if r.state == "submitted":
                withheld = ((_("Recommandation du gestionnaire (décision à venir)"),
                             _("art. 86.1")),)
            else:
                rows.append((_("Recommandation du gestionnaire"), r.recommendation))
        sections.append(ExportSection(str(r), tuple(rows), withheld))
    return sections


def grant_export(person):
    statement = select(AccessItem).where(AccessItem.person_id == person.id,
                                         AccessItem.granted_at.is_not(None)) \
        .order_by(AccessItem.id)
    return [ExportSection(_("Accès à %(platform)s", platform=i.platform.name), (
        (_("Statut"), i.state_label), (_("Accordé le"), _date(i.granted_at)),
        (_("Date de révision"), _date(i.review_on)), (_("Conditions"), i.conditions or "—"),
        (_("Fin"), f"{_date(i.ended_at)} — {i.end_reason or ''}" if i.ended_at else "—")))
        for i in db.session.scalars(statement)]


register_record_type(RecordType(REQUEST, _l("Demandes d'accès aux plateformes"),
                                entries_for_person=request_entries,
                                export_for_person=request_export))
register_record_type(RecordType(GRANT, _l("Accès accordés"), entries_for_person=grant_entries,
                                export_for_person=grant_export))
