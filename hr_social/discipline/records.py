"""Disciplinary cases in the person's file and the A-2.1 export: declared in the records
registry, imported by ``discipline/wiring.py``.

The file follows this domain's confidentiality (``access.py``): a viewer sees the cases
``Case.visible_to`` lets them open. Amnestied sanctions follow the rules of the case page:
hidden by default; HR and the DG see them on request (each showing is an audit entry, as on
the case page), the person sees their own; a manager never (only sanctions that count).

The export holds the cases about the person only (never a case where they are a witness:
that is another person's file); the identity of a confidential reporter and of witnesses is
withheld (A-2.1 art. 88), and so are HR's notes on a case not yet decided (art. 86.1).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline.access import is_full_access
from hr_social.discipline.amnesty import status_on
from hr_social.discipline.entries import CaseEntry
from hr_social.discipline.models import BEFORE_DECISION, Case
from hr_social.records.registry import ExportSection, FileEntry, RecordType, register_record_type

CODE = "discipline.case"


def _amnestied_ids(person) -> set[int]:
    day = catalogue.today()
    return {case_id for case_id, end in status_on([person.id], day).items() if day >= end}


def _summary(case: Case, amnestied: bool) -> str:
    parts = [case.state_label]
    if case.sanction_level is not None and case.is_sanctioned:
        parts.append(case.sanction_level.label)
    parts.append(_("faits du %(day)s", day=case.facts_on.isoformat()))
    if amnestied:
        parts.append(_("sanction amnistiée"))
    return " — ".join(parts)


def entries_for_person(person, viewer, *, show_hidden: bool = False, **options):
    statement = Case.visible_to(viewer).where(Case.person_id == person.id)
    cases = db.session.scalars(statement).all()
    amnestied = _amnestied_ids(person) if cases else set()
    own = viewer.person_id == person.id
    entries = []
    for case in cases:
        if case.id in amnestied and not own:
            if not (is_full_access(viewer) and show_hidden):
                continue
            record("discipline_case.amnestied_shown", case, actor=viewer)
        entries.append(FileEntry(CODE, case.id, case.created_at, str(case),
                                 _summary(case, case.id in amnestied),
                                 url_for("discipline.show", case_id=case.id)))
    return entries


def has_hidden_entries(person, viewer) -> bool:
    """Whether amnesty hides sanctions this viewer may ask to see."""
    return is_full_access(viewer) and viewer.person_id != person.id \
        and bool(_amnestied_ids(person))


def export_for_person(person):
    sections = []
    amnestied = _amnestied_ids(person)
    for case in db.session.scalars(select(Case).where(Case.person_id == person.id)
                                   .order_by(Case.facts_on, Case.id)):
        entries = db.session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id)
                                     .order_by(CaseEntry.id)).all()
        rows = [(_("Statut"), case.state_label), (_("Date des faits"), case.facts_on.isoformat()),
                (_("Lieu"), case.place),
                (_("Articles de la politique visés"),
                 "; ".join(str(c) for c in case.clauses) or "—")]
        if case.text_destroyed_on:
            rows.append((_("Faits"), _("Texte retiré du dossier le %(day)s (conservation)",
                                       day=case.text_destroyed_on.isoformat())))
        else:
            rows.append((_("Faits"), case.facts))
            if case.person_version:
                rows.append((_("Votre version"), case.person_version))
        if case.is_sanctioned and case.sanction_level is not None:
            rows += [(_("Sanction"), case.sanction_level.label),
                     (_("Décision"), case.decision_text or "—")]
            if case.notified_on:
                rows.append((_("Décision remise le"), case.notified_on.isoformat()))
        if case.close_reason:
            rows.append((_("Motif de fermeture"), case.close_reason))
        if case.id in amnestied:
            rows.append((_("Amnistie"), _("Cette sanction ne compte plus (amnistie).")))
        withheld = []
        if case.reporter_kind == "employee":
            withheld.append((_("Identité de la personne qui a fait le signalement"),
                             _("art. 88")))
        if any(e.kind == "witness" for e in entries):
            withheld.append((_("Identité des témoins"), _("art. 88")))
        if case.state in BEFORE_DECISION and any(e.kind == "note" for e in entries):
            withheld.append((_("Notes au dossier (décision à venir)"), _("art. 86.1")))
        evidence = sum(1 for e in entries if e.kind.startswith("evidence"))
        if evidence:
            rows.append((_("Pièces au dossier"), str(evidence)))
        sections.append(ExportSection(str(case), tuple(rows), tuple(withheld)))
    return sections


register_record_type(RecordType(CODE, _l("Dossiers disciplinaires"),
                                entries_for_person=entries_for_person,
                                export_for_person=export_for_person,
                                extra={"has_hidden_entries": has_hidden_entries}))
