"""What is added to a case after it was written: evidence, witnesses, corrections, linked
records, cited prior sanctions, damages and their follow-up, grievances, letters. Every
row is appended; none is ever changed except the once-only outcome of a grievance and a
letter's acknowledgement of receipt (each written by a conditional update, audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import UTCDateTime, db, utcnow
from hr_social.discipline.models import Case, SanctionLevel
from hr_social.labels import LabelOf
from hr_social.people.models import Person, User

ENTRY_KINDS = {
    "evidence_file": _l("Pièce jointe"),
    "evidence_link": _l("Lien"),
    "evidence_note": _l("Description d'une capture d'écran"),
    "witness": _l("Témoin"),
    "correction": _l("Correction"),
    "note": _l("Note au dossier"),
    "damages": _l("Dommages à recouvrer"),
    "damages_followup": _l("Suivi du recouvrement"),
}
EVIDENCE_KINDS = ("evidence_file", "evidence_link", "evidence_note")

GRIEVANCE_OUTCOMES = {
    "upheld": _l("Accueilli : sanction annulée"),
    "modified": _l("Sanction modifiée"),
    "withdrawn": _l("Retiré : sanction maintenue"),
}
RECEIPTS = {
    "signed": _l("Accusé de réception signé"),
    "refused": _l("Réception refusée devant témoin"),
}
LETTER_KINDS = {"convocation": _l("Lettre de convocation"), "decision": _l("Lettre de décision")}


class CaseEntry(db.Model):
    __tablename__ = "discipline_entries"
    __table_args__ = (CheckConstraint("amount IS NULL OR amount >= 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    field: Mapped[str | None] = mapped_column(String(40))  # what a correction corrects
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    witness_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("discipline_entries.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    witness_person: Mapped[Person | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    attachment = relationship("Attachment")

    def __str__(self) -> str:
        return f"Entrée n° {self.id} du dossier disciplinaire n° {self.case_id}"

    kind_label = LabelOf("kind", ENTRY_KINDS)


class CaseLink(db.Model):
    """A record the incident concerns (an access grant, an acknowledgement…), by subject."""

    __tablename__ = "discipline_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Citation(db.Model):
    """A prior sanction cited by a decision (it must still count on the decision day)."""

    __tablename__ = "discipline_citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    cited_case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"))

    cited_case: Mapped[Case] = relationship(foreign_keys=[cited_case_id])


class Grievance(db.Model):
    __tablename__ = "discipline_grievances"
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome_on IS NOT NULL", name="outcome_dated"),
        CheckConstraint("outcome <> 'modified' OR modified_level_id IS NOT NULL",
                        name="modified_has_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    filed_on: Mapped[dt.date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(60))
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_on: Mapped[dt.date | None] = mapped_column(Date)
    modified_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("discipline_sanction_levels.id"))
    modified_days: Mapped[int | None]
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    modified_level: Mapped[SanctionLevel | None] = relationship()

    def __str__(self) -> str:
        return f"Grief n° {self.id} du dossier disciplinaire n° {self.case_id}"

    outcome_label = LabelOf("outcome", GRIEVANCE_OUTCOMES, missing=_l("En cours"))


class Letter(db.Model):
    """A letter issued for a case (its PDF is an attachment) and its receipt."""

    __tablename__ = "discipline_letters"
    __table_args__ = (
        CheckConstraint("receipt IS NULL OR receipt_on IS NOT NULL", name="receipt_dated"),
        CheckConstraint("receipt <> 'refused' OR receipt_witness IS NOT NULL",
                        name="refusal_has_witness"),
        CheckConstraint("receipt <> 'signed' OR receipt_scan_id IS NOT NULL",
                        name="signed_has_scan"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"))
    issued_document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    receipt: Mapped[str | None] = mapped_column(String(20))
    receipt_on: Mapped[dt.date | None] = mapped_column(Date)
    receipt_witness: Mapped[str | None] = mapped_column(String(200))
    receipt_scan_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    case: Mapped[Case] = relationship()
    attachment = relationship("Attachment", foreign_keys=[attachment_id])
    issued_document = relationship("IssuedDocument")

    def __str__(self) -> str:
        return f"Lettre n° {self.id} du dossier disciplinaire n° {self.case_id}"

    kind_label = LabelOf("kind", LETTER_KINDS)
    receipt_label = LabelOf("receipt", RECEIPTS)
