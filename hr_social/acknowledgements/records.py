"""Acknowledgements of the policy in the person's file and the A-2.1 export: declared in the
records registry, imported by ``acknowledgements/wiring.py``. HR opens every acknowledgement,
the person their own; the witness of a refusal is another person (A-2.1 art. 88)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.acknowledgements.models import Acknowledgement, AckStatus
from hr_social.db import db
from hr_social.records.registry import ExportSection, FileEntry, RecordType, register_record_type

CODE = "acknowledgements.acknowledgement"
STATUS_LABELS = {
    AckStatus.pending: _l("En attente de signature"),
    AckStatus.signed_electronic: _l("Signée électroniquement"),
    AckStatus.signed_paper: _l("Signée sur papier"),
    AckStatus.refused: _l("Signature refusée"),
}


def _when(ack: Acknowledgement):
    return ack.signed_at or ack.paper_signed_on or ack.refused_on or ack.created_at


def _title(ack: Acknowledgement) -> str:
    return _("Prise de connaissance : %(version)s", version=str(ack.campaign.policy_version))


def entries_for_person(person, viewer, **options):
    statement = Acknowledgement.visible_to(viewer).where(Acknowledgement.person_id == person.id)
    entries = []
    for ack in db.session.scalars(statement):
        url = (url_for("acknowledgements.manage", ack_id=ack.id) if viewer.has_role("hr")
               else url_for("acknowledgements.mine"))
        entries.append(FileEntry(CODE, ack.id, _when(ack), _title(ack),
                                 str(STATUS_LABELS.get(ack.status, ack.status)), url))
    return entries


def export_for_person(person):
    sections = []
    statement = select(Acknowledgement).where(Acknowledgement.person_id == person.id) \
        .order_by(Acknowledgement.id)
    for ack in db.session.scalars(statement):
        rows = [(_("Statut"), str(STATUS_LABELS.get(ack.status, ack.status)))]
        if ack.signed_at:
            rows += [(_("Signée le"), ack.signed_at.isoformat(timespec="minutes")),
                     (_("Nom inscrit"), ack.signed_name or "—"),
                     (_("Adresse IP"), ack.signed_address or "—"),
                     (_("Empreinte du document signé"), ack.document_sha256 or "—")]
        if ack.paper_signed_on:
            rows.append((_("Signée sur papier le"), ack.paper_signed_on.isoformat()))
        withheld = ()
        if ack.refused_on:
            rows += [(_("Refus constaté le"), ack.refused_on.isoformat()),
                     (_("Note"), ack.refusal_note or "—")]
            withheld = ((_("Nom du témoin du refus"), _("art. 88")),)
        if ack.follow_up_note:
            rows.append((_("Suivi"), ack.follow_up_note))
        sections.append(ExportSection(_title(ack), tuple(rows), withheld))
    return sections


register_record_type(RecordType(CODE, _l("Prises de connaissance de la politique"),
                                entries_for_person=entries_for_person,
                                export_for_person=export_for_person))
