"""Register of official accounts (policy section 8), logo-use authorizations (§3.2) and
requests to change an official account (§3.3).

The platform comes from the platforms catalogue kept by the administrators; it is linked by
table name (``relationship("Platform")``) so this domain imports no other domain.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db, utcnow
from hr_social.labels import LabelOf
from hr_social.people.models import Person, Service, User
from hr_social.workflow import WorkflowMixin

TEXT_MAX = 2000
SHORT_MAX = 300

ACCOUNT_STATUSES = {
    "active": _l("Actif"),
    "dormant": _l("Inactif"),
    "closed": _l("Fermé"),
}

DECIDERS = ("communications", "dg")

# Both request types share the decision states; each adds its own outcome states.
COMMON_STATES = {
    "submitted": _l("En attente de décision"),
    "changes_requested": _l("Modifications demandées"),
    "escalated": _l("Transmise à la Direction générale"),
    "refused": _l("Refusée"),
    "withdrawn": _l("Retirée"),
}
PENDING_STATES = ("submitted", "escalated")
LOGO_STATES = {**COMMON_STATES, "authorized": _l("Autorisée"), "expired": _l("Échue")}
CHANGE_STATES = {**COMMON_STATES, "approved": _l("Approuvée, à réaliser"),
                 "done": _l("Réalisée")}

MEDIA = {
    "official_account": _l("Compte officiel de la Ville"),
    "personal_account": _l("Compte personnel"),
    "professional_account": _l("Compte professionnel"),
    "printed": _l("Document imprimé"),
    "partner": _l("Support d'un partenaire"),
}

CHANGE_KINDS = {
    "profile_image": _l("Photo de profil"),
    "cover_image": _l("Image de couverture"),
    "description": _l("Description"),
    "add_admin": _l("Ajout d'un administrateur"),
    "remove_admin": _l("Retrait d'un administrateur"),
    "new_account": _l("Nouvelle page ou nouveau compte"),
    "close_account": _l("Fermeture du compte"),
    "promotion": _l("Publicité payante ou campagne"),
}
ADMIN_KINDS = ("add_admin", "remove_admin")


def _is_decider(user) -> bool:
    """Communications, the DG, or the DG's delegate for today."""
    from hr_social.delegation import acts_as_dg

    return user.is_authenticated and (user.has_role(*DECIDERS) or acts_as_dg(user))


class OfficialAccount(TimestampMixin, db.Model):
    __tablename__ = "official_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(150))
    url: Mapped[str] = mapped_column(String(500), unique=True)
    managing_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    description: Mapped[str | None] = mapped_column(Text)

    platform = relationship("Platform")
    managing_service: Mapped[Service] = relationship()
    administrators: Mapped[list[AccountAdministrator]] = relationship(
        back_populates="account", order_by="AccountAdministrator.id")
    history: Mapped[list[AccountHistory]] = relationship(
        back_populates="account", order_by="AccountHistory.id.desc()")

    def __str__(self) -> str:
        return f"Compte officiel {self.display_name}"

    status_label = LabelOf("status", ACCOUNT_STATUSES)

    @property
    def current_administrators(self) -> list[AccountAdministrator]:
        return [a for a in self.administrators if a.removed_at is None]

    @classmethod
    def visible_to(cls, user):
        """The register is read by every logged-in user (the public page has its own query)."""
        return select(cls) if user.is_authenticated else select(cls).where(false())

    def can_ask_change(self, user) -> bool:
        """People of the managing service, or communications (policy §3.3)."""
        if not user.is_authenticated or self.status == "closed":
            return False
        return user.has_role("communications") or (
            user.person is not None and user.person.is_active
            and user.person.service_id == self.managing_service_id)


class AccountAdministrator(db.Model):
    """Who holds administrator access to an account, from when to when."""

    __tablename__ = "official_account_administrators"
    __table_args__ = (Index("ix_official_account_administrators_current", "person_id",
                            "removed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    account: Mapped[OfficialAccount] = relationship(back_populates="administrators")
    person: Mapped[Person] = relationship()

    def __str__(self) -> str:
        return f"Administrateur du compte n° {self.account_id}"


class AccountHistory(db.Model):
    """What happened to an account, in words (changes carried out, status, administrators)."""

    __tablename__ = "official_account_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("official_accounts.id"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(String(SHORT_MAX))
    result: Mapped[str | None] = mapped_column(Text)
    result_url: Mapped[str | None] = mapped_column(String(500))
    change_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("account_change_requests.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    account: Mapped[OfficialAccount] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class DecisionMixin(WorkflowMixin, TimestampMixin):
    """Columns both request types share: requester, decision, changes asked, escalation."""

    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    round: Mapped[int] = mapped_column(default=1, server_default="1")
    changes_note: Mapped[str | None] = mapped_column(Text)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    escalation_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @declared_attr
    def requester(cls) -> Mapped[Person]:
        return relationship(Person, foreign_keys=[cls.requester_id])

    @declared_attr
    def decided_by(cls) -> Mapped[User | None]:
        return relationship(User, foreign_keys=[cls.decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES

    @classmethod
    def visible_to(cls, user):
        """Own requests; every request for communications and the DG."""
        if not user.is_authenticated:
            return select(cls).where(false())
        if _is_decider(user):
            return select(cls)
        return select(cls).where(cls.requester_id == (user.person_id or -1))


class LogoAuthorization(DecisionMixin, db.Model):
    __tablename__ = "logo_authorizations"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_in_order"),
        CheckConstraint("state <> 'authorized' OR (decided_at IS NOT NULL AND "
                        "decided_by_id IS NOT NULL AND valid_until IS NOT NULL)",
                        name="authorized_has_decider"),
        CheckConstraint("state <> 'refused' OR decision_note IS NOT NULL",
                        name="refused_has_reason"),
        Index("ix_logo_authorizations_state_valid", "state", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(Text)
    medium: Mapped[str] = mapped_column(String(30))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("official_accounts.id"))
    medium_detail: Mapped[str | None] = mapped_column(String(SHORT_MAX))
    audience: Mapped[str] = mapped_column(String(SHORT_MAX))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    conditions: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    expiry_notified_on: Mapped[dt.date | None] = mapped_column(Date)

    account: Mapped[OfficialAccount | None] = relationship()
    visuals: Mapped[list[LogoVisual]] = relationship(
        back_populates="authorization", order_by="LogoVisual.round")

    def __str__(self) -> str:
        return f"Autorisation d'usage du logo n° {self.id}"

    state_label = LabelOf("state", LOGO_STATES)
    medium_label = LabelOf("medium", MEDIA)

    @property
    def where(self) -> str:
        if self.account is not None:
            return f"{self.account.display_name} ({self.account.platform.name})"
        return self.medium_detail or ""

    @property
    def current_visual(self) -> LogoVisual | None:
        return self.visuals[-1] if self.visuals else None

    @classmethod
    def in_force(cls, day: dt.date):
        """The register every employee may search: authorized and not past their end."""
        return select(cls).where(cls.state == "authorized", cls.valid_until >= day)


class LogoVisual(db.Model):
    """One version of the visual (each round of changes keeps the earlier ones)."""

    __tablename__ = "logo_visuals"

    id: Mapped[int] = mapped_column(primary_key=True)
    authorization_id: Mapped[int] = mapped_column(ForeignKey("logo_authorizations.id"),
                                                  index=True)
    round: Mapped[int]
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    authorization: Mapped[LogoAuthorization] = relationship(back_populates="visuals")
    attachment = relationship("Attachment")


class AccountChangeRequest(DecisionMixin, db.Model):
    __tablename__ = "account_change_requests"
    __table_args__ = (
        CheckConstraint("kind = 'new_account' OR account_id IS NOT NULL",
                        name="names_an_account"),
        CheckConstraint("state <> 'approved' OR decided_by_id IS NOT NULL",
                        name="approved_has_decider"),
        CheckConstraint("state <> 'refused' OR decision_note IS NOT NULL",
                        name="refused_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("official_accounts.id"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(String(30))
    proposed_text: Mapped[str] = mapped_column(Text)
    wanted_on: Mapped[dt.date | None] = mapped_column(Date)
    administrator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # A new account: what the register will hold once it is created.
    new_platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id"))
    new_display_name: Mapped[str | None] = mapped_column(String(150))
    new_url: Mapped[str | None] = mapped_column(String(500))
    new_service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(Text)
    result_url: Mapped[str | None] = mapped_column(String(500))

    account: Mapped[OfficialAccount | None] = relationship()
    administrator: Mapped[Person | None] = relationship(foreign_keys=[administrator_id])
    new_platform = relationship("Platform")
    new_service: Mapped[Service | None] = relationship()

    def __str__(self) -> str:
        return f"Demande de modification de compte n° {self.id}"

    state_label = LabelOf("state", CHANGE_STATES)
    kind_label = LabelOf("kind", CHANGE_KINDS)

    @property
    def account_name(self) -> str:
        return self.account.display_name if self.account else (self.new_display_name or "")

    @classmethod
    def visible_to(cls, user):
        """Own requests, every request for communications and the DG, and the requests about
        the accounts one's service manages (the service answers for them)."""
        if not user.is_authenticated or _is_decider(user):
            return super().visible_to(user)
        person = user.person
        if person is None:
            return select(cls).where(false())
        managed = select(OfficialAccount.id).where(
            OfficialAccount.managing_service_id == person.service_id)
        return select(cls).where(or_(cls.requester_id == person.id,
                                     cls.account_id.in_(managed)))
