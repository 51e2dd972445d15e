"""Policy versions, acknowledgement campaigns and acknowledgements."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db
from hr_social.people.models import Person


def _enum(cls, length=20):
    return Enum(cls, native_enum=False, length=length, validate_strings=True)


class PolicyVersion(TimestampMixin, db.Model):
    """One version of the policy. Published: frozen, its text hashed (SHA-256)."""

    __tablename__ = "policy_versions"
    __table_args__ = (
        UniqueConstraint("title", "version_label"),
        CheckConstraint(
            "(published_at IS NULL AND content_sha256 IS NULL) OR "
            "(published_at IS NOT NULL AND content_sha256 IS NOT NULL)",
            name="hash_iff_published",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    version_label: Mapped[str] = mapped_column(String(40))
    effective_date: Mapped[dt.date]
    # Normalised Markdown subset ("## 3.2 Title" headings, paragraphs, "- " items).
    body: Mapped[str] = mapped_column(Text)
    # Key obligations in the organisation's own words, one "section | text" per line.
    key_points: Mapped[str] = mapped_column(Text, default="")
    source_name: Mapped[str | None] = mapped_column(String(255))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    content_sha256: Mapped[str | None] = mapped_column(String(64))

    campaign: Mapped[Campaign | None] = relationship(back_populates="policy_version")

    def __str__(self) -> str:
        return f"{self.title} ({self.version_label})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_upcoming(self) -> bool:
        """Its effective date is still ahead: shown "à venir", never "en vigueur"."""
        from hr_social.clock import local_today

        return self.effective_date is not None and self.effective_date > local_today()

    @property
    def sections(self):
        from hr_social.acknowledgements.importing import parse_body

        return parse_body(self.body)

    @property
    def obligations(self) -> list[tuple[str, str]]:
        items = []
        for line in (self.key_points or "").splitlines():
            section, sep, text = line.partition("|")
            if sep and text.strip():
                items.append((section.strip(), text.strip()))
        return items

    @classmethod
    def current(cls) -> PolicyVersion | None:
        """The version in force: the last one published."""
        return db.session.scalar(
            select(cls).where(cls.published_at.is_not(None))
            .order_by(cls.published_at.desc(), cls.id.desc()).limit(1)
        )

    @classmethod
    def visible_to(cls, user):
        if not user.is_authenticated:
            return select(cls).where(false())
        if user.has_role("hr"):
            return select(cls)
        return select(cls).where(cls.published_at.is_not(None))


class Campaign(TimestampMixin, db.Model):
    """Opened when a version is published: one acknowledgement per person bound."""

    __tablename__ = "acknowledgement_campaigns"
    __table_args__ = (
        CheckConstraint("reminder_count >= 0 AND reminder_count <= 10", name="reminder_count"),
        CheckConstraint("reminder_interval_days >= 1", name="reminder_interval"),
        CheckConstraint("(closed_at IS NULL) = (closed_by_id IS NULL)", name="closed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"),
                                                   unique=True)
    deadline: Mapped[dt.date | None]
    reminder_count: Mapped[int] = mapped_column(default=2)
    reminder_interval_days: Mapped[int] = mapped_column(default=7)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    policy_version: Mapped[PolicyVersion] = relationship(back_populates="campaign")
    acknowledgements: Mapped[list[Acknowledgement]] = relationship(back_populates="campaign")

    def __str__(self) -> str:
        return str(self.policy_version)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @classmethod
    def visible_to(cls, user):
        if user.is_authenticated and user.has_role("hr"):
            return select(cls)
        return select(cls).where(false())


class AckStatus(enum.StrEnum):
    pending = "pending"
    signed_electronic = "signed_electronic"
    signed_paper = "signed_paper"
    refused = "refused"


SIGNED = (AckStatus.signed_electronic, AckStatus.signed_paper)


class Acknowledgement(TimestampMixin, db.Model):
    __tablename__ = "acknowledgements"
    __table_args__ = (
        UniqueConstraint("campaign_id", "person_id"),
        CheckConstraint(
            "status <> 'signed_electronic' OR (signed_at IS NOT NULL AND "
            "policy_opened_at IS NOT NULL AND signed_name IS NOT NULL AND "
            "document_sha256 IS NOT NULL)", name="electronic_evidence"),
        CheckConstraint("status <> 'signed_paper' OR (paper_signed_on IS NOT NULL AND "
                        "scan_id IS NOT NULL)", name="paper_evidence"),
        CheckConstraint("status <> 'refused' OR (refused_on IS NOT NULL AND "
                        "refusal_witness IS NOT NULL)", name="refusal_witness"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("acknowledgement_campaigns.id"),
                                             index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[AckStatus] = mapped_column(_enum(AckStatus), default=AckStatus.pending,
                                              index=True)
    policy_opened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signed_name: Mapped[str | None] = mapped_column(String(200))
    signed_address: Mapped[str | None] = mapped_column(String(64))
    signed_user_agent: Mapped[str | None] = mapped_column(String(300))
    policy_sha256: Mapped[str | None] = mapped_column(String(64))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    signed_pdf_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    paper_signed_on: Mapped[dt.date | None]
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    refused_on: Mapped[dt.date | None]
    refusal_witness: Mapped[str | None] = mapped_column(String(200))
    refusal_note: Mapped[str | None] = mapped_column(Text)
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship(back_populates="acknowledgements")
    person: Mapped[Person] = relationship()
    signed_pdf = relationship("Attachment", foreign_keys=[signed_pdf_id])
    scan = relationship("Attachment", foreign_keys=[scan_id])

    def __str__(self) -> str:
        return f"{self.person.full_name} — {self.campaign.policy_version}"

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED

    @classmethod
    def visible_to(cls, user):
        """HR sees every acknowledgement; everyone else only their own."""
        if not user.is_authenticated:
            return select(cls).where(false())
        if user.has_role("hr"):
            return select(cls)
        return select(cls).where(cls.person_id == (user.person_id or -1))

    @classmethod
    def still_relevant(cls):
        """Condition (with ``Person`` joined): a person who left before signing is no longer
        waited for; what they signed or refused stays on record."""
        return or_(Person.is_active.is_(True), cls.status != AckStatus.pending)

    def can_sign(self, user) -> bool:
        return (self.status == AckStatus.pending and user.person_id == self.person_id
                and self.campaign.is_open)

    def can_record(self, user) -> bool:
        return user.has_role("hr") and self.status in (AckStatus.pending, AckStatus.refused)
