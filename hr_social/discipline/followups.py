"""What happens to a case beside its state table: evidence files, grievances and their
outcome, damages to recover. Each is a new row (or a once-only outcome), audited without
the words of the file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from hr_social.attachments.services import UploadRejected, store
from hr_social.audit.services import record
from hr_social.db import db
from hr_social.discipline.catalogue import InvalidCase, today
from hr_social.discipline.entries import GRIEVANCE_OUTCOMES, CaseEntry, CaseLink, Grievance
from hr_social.discipline.models import NOTIFIED_STATES, Case, SanctionLevel
from hr_social.discipline.services import _text, add_entry
from hr_social.web.input_limits import row_by_id
from hr_social.workflow import AlreadyProcessed

EVIDENCE_TYPES = {"application/pdf", "image/png", "image/jpeg"}
ENTRY_KINDS_BY_HAND = ("note", "correction", "witness", "evidence_link", "evidence_note")


def add_evidence_file(user, case: Case, file_storage) -> CaseEntry:
    try:
        attachment = store(file_storage, EVIDENCE_TYPES, uploaded_by=user, subject=case)
    except UploadRejected as error:
        raise InvalidCase(str(error)) from None
    return add_entry(user, case, "evidence_file", attachment_id=attachment.id)


def add_by_hand(user, case: Case, kind: str, *, text=None, url=None, field=None,
                file_storage=None) -> CaseEntry:
    """The HR form: anything added later is a new entry; a correction names what it fixes."""
    if kind == "evidence_file":
        if file_storage is None or not getattr(file_storage, "filename", ""):
            raise InvalidCase(_("Choisissez le fichier à joindre."))
        return add_evidence_file(user, case, file_storage)
    if kind not in ENTRY_KINDS_BY_HAND:
        raise InvalidCase(_("Choisissez le type d'ajout."))
    if kind == "correction":
        field = _text(field, _("Indiquez l'élément que la correction remplace."), limit=40)
    return add_entry(user, case, kind, text=text, url=url, field=field)


def record_grievance(user, case: Case, *, filed_on: dt.date | None, number) -> Grievance:
    if case.state not in NOTIFIED_STATES:
        raise InvalidCase(_("Un grief se consigne après la remise de la décision."))
    if filed_on is None or filed_on > today() or (case.notified_on and
                                                  filed_on < case.notified_on):
        raise InvalidCase(_("La date de dépôt du grief doit être passée et suivre la remise."))
    number = _text(number, _("Indiquez le numéro du grief."), limit=60)
    if open_grievance(case) is not None:
        raise InvalidCase(_("Un grief est déjà en cours pour ce dossier."))
    grievance = Grievance(case_id=case.id, filed_on=filed_on, number=number,
                          created_by_id=user.id)
    db.session.add(grievance)
    db.session.flush()
    record("discipline_grievance.filed", grievance, actor=user,
           after={"case_id": case.id, "filed_on": filed_on})
    return grievance


def open_grievance(case: Case) -> Grievance | None:
    return db.session.scalar(select(Grievance).where(Grievance.case_id == case.id,
                                                     Grievance.outcome.is_(None)))


def record_outcome(user, grievance: Grievance, *, outcome, outcome_on: dt.date | None,
                   level_id=None, days=None) -> Grievance:
    """Once: a conditional update, so two HR officers cannot both settle it."""
    if outcome not in GRIEVANCE_OUTCOMES:
        raise InvalidCase(_("Choisissez l'issue du grief."))
    if outcome_on is None or outcome_on > today() or outcome_on < grievance.filed_on:
        raise InvalidCase(_("La date de l'issue doit être passée et suivre le dépôt."))
    level = None
    if outcome == "modified":
        level = row_by_id(SanctionLevel, level_id)
        if level is None:
            raise InvalidCase(_("Choisissez la sanction qui remplace la sanction initiale."))
        if level.requires_days and not days:
            raise InvalidCase(_("Une suspension sans solde exige un nombre de jours."))
    result = db.session.execute(
        update(Grievance).where(Grievance.id == grievance.id, Grievance.outcome.is_(None),
                                Grievance.version == grievance.version)
        .values(outcome=outcome, outcome_on=outcome_on,
                modified_level_id=level.id if level else None,
                modified_days=int(days) if level and level.requires_days else None,
                version=Grievance.version + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise AlreadyProcessed(_("L'issue de ce grief a déjà été consignée. Rien n'a été "
                                 "modifié."))
    db.session.refresh(grievance)
    record("discipline_grievance.settled", grievance, actor=user,
           after={"case_id": grievance.case_id, "outcome": outcome, "outcome_on": outcome_on,
                  "modified_level_id": grievance.modified_level_id})
    return grievance


def record_damages(user, case: Case, *, amount, text, followup=False) -> CaseEntry:
    """§3.2: the amount the organisation had to pay because of the breach, and its recovery."""
    try:
        amount = Decimal(amount) if amount not in (None, "") else None
    except InvalidOperation:
        amount = Decimal(-1)
    if amount is not None and (not amount.is_finite() or amount >= Decimal("1e10")):
        # NaN or Infinity would break every comparison; the column holds 12 digits, 2 decimals.
        raise InvalidCase(_("Indiquez un montant en dollars, inférieur à 10 milliards."))
    if not followup and (amount is None or amount <= 0):
        raise InvalidCase(_("Indiquez un montant positif."))
    if amount is not None and amount < 0:
        raise InvalidCase(_("Le montant ne peut pas être négatif."))
    kind = "damages_followup" if followup else "damages"
    return add_entry(user, case, kind, text=text, amount=amount)


# Records an incident can concern, by table (any domain's rows, without importing it).
LINKABLE = {
    "access_items": _l("Accès aux médias sociaux"),
    "acknowledgements": _l("Accusé de réception de la politique"),
    "logo_authorizations": _l("Autorisation d'utiliser le logo"),
    "consents": _l("Consentement"),
}


def link_record(user, case: Case, subject_type: str, subject_id) -> CaseLink:
    """Tie the case to a record it concerns; the record must exist and be the person's."""
    table = db.metadata.tables.get(subject_type) if subject_type in LINKABLE else None
    if table is None:
        raise InvalidCase(_("Ce type de dossier ne peut pas être lié."))
    try:
        subject_id = int(subject_id)
    except (TypeError, ValueError):
        subject_id = -1
    row = db.session.execute(select(table).where(table.c.id == subject_id)).first()
    if row is None:
        raise InvalidCase(_("Aucun dossier de ce type ne porte ce numéro."))
    if "person_id" in table.c and row._mapping["person_id"] != case.person_id:
        raise InvalidCase(_("Ce dossier concerne une autre personne."))
    link = CaseLink(case_id=case.id, subject_type=subject_type, subject_id=subject_id,
                    label=f"{LINKABLE[subject_type]} n° {subject_id}", created_by_id=user.id)
    db.session.add(link)
    db.session.flush()
    record("discipline_case.linked", case, actor=user,
           after={"subject_type": subject_type, "subject_id": subject_id})
    return link
