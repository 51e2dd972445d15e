"""Retention schedule, legal holds, destruction register and register of confidentiality
incidents (A-2.1 art. 63.8–63.11 and 73). No domain is named here: record types are codes
declared by the domains in ``registry``; links are generic subject types and ids."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db, utcnow

EVENTS = ("departure", "end_of_validity", "amnesty", "closing")
DISPOSITIONS = ("destroy", "anonymise", "keep")
HOLD_KINDS = ("grievance", "lawsuit", "cai_complaint", "other")
LEVELS = ("low", "medium", "high")
HOLD_ROLES = ("hr", "dg")
INCIDENT_ROLES = ("hr", "privacy")
SCHEDULE_READERS = ("hr", "dg", "privacy")
MAX_MONTHS = 1200  # a hundred years: beyond that, "keep" says it better


class RetentionRule(TimestampMixin, db.Model):
    """One line of the schedule: how long a record type is kept after which event."""

    __tablename__ = "records_retention_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(60), unique=True)
    period_months: Mapped[int]
    event: Mapped[str] = mapped_column(String(30))
    disposition: Mapped[str] = mapped_column(String(20))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __str__(self) -> str:
        return f"Règle de conservation {self.record_type}"


class LegalHold(TimestampMixin, db.Model):
    """A hold on a person's records or on one record (a case): never disposed while on."""

    __tablename__ = "records_legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    record_type: Mapped[str | None] = mapped_column(String(60))
    record_id: Mapped[int | None]
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lifted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lift_reason: Mapped[str | None] = mapped_column(Text)

    person = relationship("Person")
    placed_by = relationship("User", foreign_keys=[placed_by_id])
    lifted_by = relationship("User", foreign_keys=[lifted_by_id])

    def __str__(self) -> str:
        return f"Conservation pour litige n° {self.id}"

    @classmethod
    def active_for(cls, record_type: str, record_id: int, person_ids):
        """The holds in force on one record: on the record itself or on one of its people."""
        on_record = (cls.record_type == record_type) & (cls.record_id == record_id)
        conditions = [on_record]
        if person_ids:
            conditions.append(cls.person_id.in_(list(person_ids)) & cls.record_type.is_(None))
        return select(cls).where(cls.lifted_at.is_(None), or_(*conditions)).order_by(cls.id)


class Disposal(db.Model):
    """The destruction register: what went, under which rule, when, by whom; the tombstone
    is the audit entry written in the same transaction (its hash is kept here)."""

    __tablename__ = "records_disposals"
    __table_args__ = (UniqueConstraint("record_type", "record_id",
                                       name="uq_records_disposals_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(60), index=True)
    record_id: Mapped[int]
    label: Mapped[str] = mapped_column(String(200))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("records_retention_rules.id"))
    period_months: Mapped[int]
    event: Mapped[str] = mapped_column(String(30))
    event_on: Mapped[dt.date] = mapped_column(Date)
    disposition: Mapped[str] = mapped_column(String(20))
    disposed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    disposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    disposed_by_label: Mapped[str] = mapped_column(String(200))
    files_removed: Mapped[int] = mapped_column(default=0)
    trail_entries: Mapped[int] = mapped_column(default=0)
    trail_head: Mapped[str | None] = mapped_column(String(64))
    tombstone_hash: Mapped[str | None] = mapped_column(String(64))

    def __str__(self) -> str:
        return f"Destruction n° {self.id}"


class Incident(TimestampMixin, db.Model):
    """A confidentiality incident (art. 63.8–63.11): what happened, the assessment of the
    risk of serious injury, the measures and the notices."""

    __tablename__ = "records_incidents"
    __table_args__ = (Index("ix_records_incidents_discovered", "discovered_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    discovered_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    information: Mapped[str | None] = mapped_column(Text)  # kinds of information concerned
    people_count: Mapped[int | None]
    sensitivity: Mapped[str | None] = mapped_column(String(10))
    consequences: Mapped[str | None] = mapped_column(String(10))
    likelihood: Mapped[str | None] = mapped_column(String(10))
    serious_risk: Mapped[bool | None]
    assessment_note: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    commission_notified_on: Mapped[dt.date | None] = mapped_column(Date)
    persons_notified_on: Mapped[dt.date | None] = mapped_column(Date)
    notice_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recorded_by = relationship("User")
    links: Mapped[list[IncidentLink]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentLink.id")

    def __str__(self) -> str:
        return f"Incident de confidentialité n° {self.id}"

    @property
    def notices_due(self) -> bool:
        """A serious risk calls for notices to the Commission and to the persons."""
        return bool(self.serious_risk) and (self.commission_notified_on is None
                                            or self.persons_notified_on is None)

    @classmethod
    def visible_to(cls, user):
        from sqlalchemy import false

        if user.is_authenticated and user.role_names & set(INCIDENT_ROLES):
            return select(cls)
        return select(cls).where(false())


class IncidentLink(db.Model):
    """A generic link from an incident to a record of a domain (subject type and id)."""

    __tablename__ = "records_incident_links"
    __table_args__ = (UniqueConstraint("incident_id", "subject_type",
                                       name="uq_records_incident_links_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("records_incidents.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[int]

    incident: Mapped[Incident] = relationship(back_populates="links")
