"""Written consents of the clientele (policy §3.4) and the publications that rely on them.

The official accounts come from the communications register; they are reached by table name
(``relationship("OfficialAccount")``, ``account_model()``) so this domain imports no other
domain. Media and signed documents are attachments keyed by subject (``consents``, id).
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db, utcnow
from hr_social.labels import LabelOf
from hr_social.people.models import User
from hr_social.workflow import WorkflowMixin

SHORT_MAX = 200
TEXT_MAX = 2000
FULL_ACCESS = ("communications", "hr")

CATEGORIES = {
    "citizen": _l("Citoyen·ne"),
    "supplier": _l("Fournisseur"),
    "taxpayer": _l("Contribuable"),
    "visitor": _l("Visiteur·euse"),
    "other": _l("Autre"),
}
KINDS = {
    "photo": _l("Photo"),
    "video": _l("Vidéo"),
    "comment": _l("Commentaire"),
    "article": _l("Article"),
    "confidential": _l("Renseignement confidentiel"),
}
STATES = {
    "unsigned": _l("En attente de signature"),
    "signed": _l("Signé"),
    "withdrawn": _l("Retiré"),
    "purged": _l("Effacé (trace anonyme)"),
}
METHODS = {"paper": _l("Formulaire papier signé et numérisé"),
           "screen": _l("Signé à l'écran")}
CHANNEL_KINDS = {"account": _l("Compte officiel"), "website": _l("Site Web de la Ville"),
                 "print": _l("Imprimé")}
AUTHORIZERS = {"municipality": _l("La Municipalité"), "client": _l("La personne elle-même")}
WITHDRAWAL_WAYS = {
    "in_person": _l("En personne"),
    "phone": _l("Par téléphone"),
    "email": _l("Par courriel"),
    "letter": _l("Par lettre"),
    "social": _l("Par message sur un média social"),
}


def account_model():
    """The register's model (communications), reached through our relationship."""
    return ConsentChannel.account.property.mapper.class_


class Consent(WorkflowMixin, TimestampMixin, db.Model):
    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("valid_until IS NULL OR valid_until >= valid_from",
                        name="period_in_order"),
        CheckConstraint("state = 'purged' OR NOT is_minor OR guardian_name IS NOT NULL",
                        name="minor_has_guardian"),
        CheckConstraint("state NOT IN ('withdrawn') OR withdrawn_on IS NOT NULL",
                        name="withdrawn_has_date"),
        Index("ix_consents_validity", "state", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who consents (blanked by the purge: the row stays as an anonymous trace).
    person_name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    category: Mapped[str] = mapped_column(String(20))
    contact: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    guardian_relationship: Mapped[str | None] = mapped_column(String(80))
    guardian_contact: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    # What it covers.
    kind: Mapped[str] = mapped_column(String(20), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    event_name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    event_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)  # None: until withdrawn
    # Confidential information: who authorized its disclosure, what, to whom, until when.
    authorized_by: Mapped[str | None] = mapped_column(String(20))
    authorizer_name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    disclosed_what: Mapped[str | None] = mapped_column(Text)
    disclosed_to: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    disclosure_until: Mapped[dt.date | None] = mapped_column(Date)
    # The text the person consents to, frozen when recorded.
    consent_text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    # How it was given.
    collected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    method: Mapped[str | None] = mapped_column(String(10))
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    signed_place: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    signed_pdf_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    # Withdrawal.
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawal_way: Mapped[str | None] = mapped_column(String(20))
    withdrawal_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    collected_by: Mapped[User | None] = relationship(foreign_keys=[collected_by_id])
    channels: Mapped[list[ConsentChannel]] = relationship(
        back_populates="consent", order_by="ConsentChannel.id", cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"Consentement n° {self.id}"

    state_label = LabelOf("state", STATES)
    kind_label = LabelOf("kind", KINDS)
    category_label = LabelOf("category", CATEGORIES)
    authorizer_label = LabelOf("authorized_by", AUTHORIZERS)
    method_label = LabelOf("method", METHODS)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.state == "signed" and self.valid_from <= day
                and (self.valid_until is None or self.valid_until >= day))

    def covers(self, channel_key: str, day: dt.date) -> bool:
        return self.is_valid_on(day) and channel_key in {c.key for c in self.channels}

    @classmethod
    def valid_on(cls, day: dt.date):
        """The WHERE clause of the consents valid on a day (signed, within their period)."""
        return ((cls.state == "signed") & (cls.valid_from <= day)
                & or_(cls.valid_until.is_(None), cls.valid_until >= day))

    @classmethod
    def visible_to(cls, user):
        """Personal details: communications and HR see every consent, the collector theirs;
        everyone else only the coverage answer (another query, without details)."""
        if not getattr(user, "is_authenticated", False):
            return select(cls).where(false())
        if user.has_role(*FULL_ACCESS):
            return select(cls)
        return select(cls).where(cls.collected_by_id == user.id)


class ConsentChannel(db.Model):
    """Where a consent allows the media to appear: an official account, the website, print."""

    __tablename__ = "consent_channels"
    __table_args__ = (
        UniqueConstraint("consent_id", "kind", "account_id", name="one_row_per_channel"),
        CheckConstraint("(kind = 'account') = (account_id IS NOT NULL)",
                        name="account_named_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("official_accounts.id"),
                                                   index=True)

    consent: Mapped[Consent] = relationship(back_populates="channels")
    account = relationship("OfficialAccount")

    @property
    def key(self) -> str:
        return channel_key(self.kind, self.account_id)

    @property
    def label(self) -> str:
        return channel_label(self.kind, self.account)


def channel_key(kind: str, account_id: int | None) -> str:
    return f"account:{account_id}" if kind == "account" else kind


def channel_label(kind: str, account) -> str:
    if kind == "account" and account is not None:
        return f"{account.display_name} ({account.platform.name})"
    return str(CHANNEL_KINDS.get(kind, kind))


class Publication(TimestampMixin, db.Model):
    """What was posted, where and when, and the consents it relies on."""

    __tablename__ = "consent_publications"
    __table_args__ = (
        CheckConstraint("(channel = 'account') = (account_id IS NOT NULL)",
                        name="account_named_once"),
        Index("ix_consent_publications_published_on", "published_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("official_accounts.id"),
                                                   index=True)
    published_on: Mapped[dt.date] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(500))
    media_description: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    account = relationship("OfficialAccount")
    recorded_by: Mapped[User | None] = relationship()
    links: Mapped[list[PublicationConsent]] = relationship(
        back_populates="publication", order_by="PublicationConsent.id",
        cascade="all, delete-orphan")
    people: Mapped[list[IdentifiablePerson]] = relationship(
        back_populates="publication", order_by="IdentifiablePerson.id",
        cascade="all, delete-orphan")

    def __str__(self) -> str:
        return f"Publication n° {self.id}"

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel, self.account)

    @classmethod
    def visible_to(cls, user):
        if not getattr(user, "is_authenticated", False):
            return select(cls).where(false())
        if user.has_role(*FULL_ACCESS):
            return select(cls)
        return select(cls).where(cls.recorded_by_id == user.id)


class PublicationConsent(db.Model):
    __tablename__ = "consent_publication_links"
    __table_args__ = (UniqueConstraint("publication_id", "consent_id", name="linked_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("consent_publications.id"),
                                                index=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), index=True)

    publication: Mapped[Publication] = relationship(back_populates="links")
    consent: Mapped[Consent] = relationship()


class IdentifiablePerson(db.Model):
    """A person one can recognise in a publication, and the consent that covers them
    (the name is blanked when that consent is purged)."""

    __tablename__ = "consent_identifiable_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("consent_publications.id"),
                                                index=True)
    name: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consents.id"), index=True)

    publication: Mapped[Publication] = relationship(back_populates="people")


class TakeDown(db.Model):
    """A publication to take down because a consent it relied on was withdrawn."""

    __tablename__ = "consent_takedowns"
    __table_args__ = (
        UniqueConstraint("publication_id", "consent_id", name="one_per_withdrawal"),
        CheckConstraint("(removed_on IS NULL) = (removed_by_id IS NULL)",
                        name="removed_with_who"),
        Index("ix_consent_takedowns_pending", "removed_on", "listed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("consent_publications.id"),
                                                index=True)
    consent_id: Mapped[int] = mapped_column(ForeignKey("consents.id"), index=True)
    listed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hr_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    publication: Mapped[Publication] = relationship()
    consent: Mapped[Consent] = relationship()
    removed_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"Retrait de la publication n° {self.publication_id}"

    @classmethod
    def visible_to(cls, user):
        if not getattr(user, "is_authenticated", False):
            return select(cls).where(false())
        if user.has_role(*FULL_ACCESS):
            return select(cls)
        return select(cls).join(Publication).where(Publication.recorded_by_id == user.id)
