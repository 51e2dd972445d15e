"""Requests by a person to access or correct their own personal information (A-2.1
art. 83, 89, 94), recorded by HR, with the deadline of art. 98: 20 calendar days from
receipt, extended once by 10 with a notice to the person."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db, utcnow
from hr_social.labels import LabelOf
from hr_social.people.models import Person, User

ANSWER_DAYS = 20  # art. 98, first paragraph: calendar days from receipt
EXTENSION_DAYS = 10  # art. 98, second paragraph: once, with a notice before the deadline
SOON_DAYS = 5  # the dashboard and the reminder e-mail: due within this many days
TEXT_MAX = 5000

KINDS = {"access": _l("Accès à ses renseignements personnels"),
         "correction": _l("Rectification de ses renseignements personnels")}
CHANNELS = {"email": _l("Courriel"), "letter": _l("Lettre"), "in_person": _l("En personne"),
            "phone": _l("Téléphone")}
SEND_CHANNELS = {"email": _l("Courriel"), "letter": _l("Lettre"),
                 "registered_mail": _l("Courrier recommandé"), "hand": _l("En main propre")}
OUTCOMES = {"granted": _l("Accordée"), "partial": _l("Accordée en partie"),
            "refused": _l("Refusée")}
STATES = {"open": _l("En traitement"), "answered": _l("Réponse envoyée")}


class RecordsRequest(TimestampMixin, db.Model):
    __tablename__ = "records_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('access', 'correction')", name="kind_known"),
        CheckConstraint("due_on >= received_on", name="due_after_receipt"),
        CheckConstraint("extended_on IS NULL OR (extension_notice_via IS NOT NULL)",
                        name="extension_has_notice"),
        CheckConstraint("state <> 'answered' OR (answered_on IS NOT NULL AND "
                        "answer_via IS NOT NULL AND outcome IS NOT NULL)",
                        name="answered_has_sending"),
        Index("ix_records_requests_state_due", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[dt.date] = mapped_column(Date)
    received_via: Mapped[str] = mapped_column(String(20))
    asked_by: Mapped[str | None] = mapped_column(String(200))  # a representative, if any
    asked: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    initial_due_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)  # the deadline in force
    extended_on: Mapped[dt.date | None] = mapped_column(Date)
    extension_notice_via: Mapped[str | None] = mapped_column(String(20))
    extension_reason: Mapped[str | None] = mapped_column(Text)
    reminded_for: Mapped[dt.date | None] = mapped_column(Date)  # the deadline HR was warned of
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    answer_via: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))
    answer_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    person: Mapped[Person] = relationship()
    created_by: Mapped[User | None] = relationship()
    corrections: Mapped[list[RecordsCorrection]] = relationship(
        back_populates="request", order_by="RecordsCorrection.id")

    def __str__(self) -> str:
        return f"Demande d'accès aux renseignements n° {self.id}"

    kind_label = LabelOf("kind", KINDS)
    state_label = LabelOf("state", STATES)
    received_via_label = LabelOf("received_via", CHANNELS)
    answer_via_label = LabelOf("answer_via", SEND_CHANNELS)
    extension_notice_label = LabelOf("extension_notice_via", SEND_CHANNELS)
    outcome_label = LabelOf("outcome", OUTCOMES)

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    def urgency(self, today: dt.date) -> str:
        """"done", "overdue" (past the deadline), "soon" (within SOON_DAYS) or "ok"."""
        if not self.is_open:
            return "done"
        if today > self.due_on:
            return "overdue"
        if (self.due_on - today).days <= SOON_DAYS:
            return "soon"
        return "ok"

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days

    @classmethod
    def visible_to(cls, user):
        """HR keeps the register; nobody else opens it (the person gets the answer)."""
        if user.is_authenticated and user.has_role("hr"):
            return select(cls)
        return select(cls).where(false())


class RecordsCorrection(db.Model):
    """What a correction request led HR to correct, and in which record (by its type in the
    records registry and its id; the correction itself went through the domain's own
    operation)."""

    __tablename__ = "records_request_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("records_requests.id"), index=True)
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int]
    record_title: Mapped[str] = mapped_column(String(200))
    record_url: Mapped[str | None] = mapped_column(String(500))
    what: Mapped[str] = mapped_column(Text)
    corrected_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[RecordsRequest] = relationship(back_populates="corrections")
