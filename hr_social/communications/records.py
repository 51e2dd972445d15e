"""Logo authorizations and account change requests in the person's file and the A-2.1 export:
declared in the records registry, imported by ``communications/wiring.py``. A change request
naming the person as an account's administrator is theirs too; who asked for it, when it is
someone else, is withheld (A-2.1 art. 88)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from hr_social.communications.models import AccountChangeRequest, LogoAuthorization
from hr_social.db import db
from hr_social.records.registry import ExportSection, FileEntry, RecordType, register_record_type

LOGO = "communications.logo_authorization"
CHANGE = "communications.account_change"


def _day(value) -> str:
    return value.date().isoformat() if value else "—"


def logo_entries(person, viewer, **options):
    statement = LogoAuthorization.visible_to(viewer).where(
        LogoAuthorization.requester_id == person.id)
    return [FileEntry(LOGO, r.id, r.submitted_at, str(r), f"{r.state_label} — {r.audience}",
                      url_for("communications.logo_show", request_id=r.id))
            for r in db.session.scalars(statement)]


def _concerning(person):
    return or_(AccountChangeRequest.requester_id == person.id,
               AccountChangeRequest.administrator_id == person.id)


def change_entries(person, viewer, **options):
    statement = AccountChangeRequest.visible_to(viewer).where(_concerning(person))
    return [FileEntry(CHANGE, r.id, r.submitted_at, str(r),
                      f"{r.kind_label} — {r.account_name} — {r.state_label}",
                      url_for("communications.change_show", request_id=r.id))
            for r in db.session.scalars(statement)]


def logo_export(person):
    statement = select(LogoAuthorization).where(LogoAuthorization.requester_id == person.id) \
        .order_by(LogoAuthorization.id)
    return [ExportSection(str(r), (
        (_("Soumise le"), _day(r.submitted_at)), (_("Objet"), r.purpose),
        (_("Support"), f"{r.medium_label} {r.where}".strip()), (_("Public visé"), r.audience),
        (_("Période"), f"{r.starts_on.isoformat()} → {r.ends_on.isoformat()}"),
        (_("Statut"), r.state_label), (_("Conditions"), r.conditions or "—"),
        (_("Note de décision"), r.decision_note or "—"),
        (_("Valide jusqu'au"), r.valid_until.isoformat() if r.valid_until else "—")))
        for r in db.session.scalars(statement)]


def change_export(person):
    sections = []
    statement = select(AccountChangeRequest).where(_concerning(person)) \
        .order_by(AccountChangeRequest.id)
    for r in db.session.scalars(statement):
        rows = [(_("Soumise le"), _day(r.submitted_at)), (_("Nature"), r.kind_label),
                (_("Compte"), r.account_name), (_("Statut"), r.state_label)]
        withheld = ()
        if r.requester_id == person.id:
            rows += [(_("Texte proposé"), r.proposed_text),
                     (_("Note de décision"), r.decision_note or "—")]
        else:
            rows.append((_("Votre rôle"), _("Administrateur ou administratrice visé")))
            withheld = ((_("Identité de la personne qui a fait la demande et texte proposé"),
                         _("art. 88")),)
        sections.append(ExportSection(str(r), tuple(rows), withheld))
    return sections


register_record_type(RecordType(LOGO, _l("Autorisations d'usage du logo"),
                                entries_for_person=logo_entries, export_for_person=logo_export))
register_record_type(RecordType(CHANGE, _l("Demandes de modification de comptes officiels"),
                                entries_for_person=change_entries,
                                export_for_person=change_export))
