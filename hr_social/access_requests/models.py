"""Platforms catalogue, access requests (one item per platform)."""

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
    func,
    or_,
    select,
    text,
    true,
    union,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db, french
from hr_social.delegation import acts_as_dg
from hr_social.labels import LabelOf
from hr_social.people.models import Person, User
from hr_social.workflow import WorkflowMixin

PURPOSE_MAX = 1000

CATEGORIES = {
    "social": _l("Réseau social"),
    "professional": _l("Réseau professionnel"),
    "video": _l("Vidéo"),
    "blog": _l("Blogue"),
    "other": _l("Autre"),
}

REQUEST_STATES = {
    "draft": _l("Brouillon"),
    "submitted": _l("En attente de décision"),
    "decided": _l("Décidée"),
    "withdrawn": _l("Retirée"),
    "lapsed": _l("Fermée sans décision"),
}
OPEN_REQUEST_STATES = ("draft", "submitted")

ITEM_STATES = {
    "pending": _l("En attente"),
    "granted": _l("Accordé"),
    "restricted": _l("Accordé avec restrictions"),
    "refused": _l("Refusé"),
    "revoked": _l("Révoqué"),
    "expired": _l("Échu"),
    "withdrawn": _l("Retiré"),
    "lapsed": _l("Non décidé"),
}
CURRENT_GRANT_STATES = ("granted", "restricted")

RECOMMENDATIONS = {
    "favourable": _l("Favorable"),
    "unfavourable": _l("Défavorable"),
}

OUTCOMES = {
    "granted": _l("Accordée"),
    "refused": _l("Refusée"),
    "partial": _l("Accordée en partie"),
}


class Platform(TimestampMixin, db.Model):
    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    category: Mapped[str] = mapped_column(String(20), default="social")
    address_pattern: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def __str__(self) -> str:
        return self.name

    category_label = LabelOf("category", CATEGORIES)

    @classmethod
    def requestable(cls):
        return select(cls).where(cls.is_active.is_(True)).order_by(french(cls.name))

    @classmethod
    def visible_to(cls, user):
        return select(cls) if user.is_authenticated else select(cls).where(false())


class AccessRequest(WorkflowMixin, TimestampMixin, db.Model):
    __tablename__ = "access_requests"
    __table_args__ = (
        CheckConstraint(
            "state <> 'decided' OR (decided_at IS NOT NULL AND decided_by_id IS NOT NULL "
            "AND outcome IS NOT NULL)", name="decided_has_decider"),
        # A draft may be withdrawn before it was ever submitted.
        CheckConstraint("state IN ('draft', 'withdrawn') OR submitted_at IS NOT NULL",
                        name="submitted_has_date"),
        # The DG queue in its order, with the requester: a search over people walks or
        # counts the queue from the index alone.
        Index("ix_access_requests_queue", "state", "submitted_at", "requester_id"),
        # A person's requests with their state (their home card, a search's count).
        Index("ix_access_requests_requester_state", "requester_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(Text)
    on_workstation: Mapped[bool] = mapped_column(default=True)
    other_devices: Mapped[str | None] = mapped_column(String(200))
    wished_until: Mapped[dt.date | None] = mapped_column(Date)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    flagged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))
    decision_note: Mapped[str | None] = mapped_column(Text)
    # The manager's recommendation: favourable or unfavourable (RECOMMENDATIONS), a comment.
    recommendation_opinion: Mapped[str | None] = mapped_column(String(20))
    recommendation: Mapped[str | None] = mapped_column(Text)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    requester: Mapped[Person] = relationship(foreign_keys=[requester_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    decided_for: Mapped[User | None] = relationship(foreign_keys=[decided_for_id])
    recommended_by: Mapped[User | None] = relationship(foreign_keys=[recommended_by_id])
    items: Mapped[list[AccessItem]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="AccessItem.id")

    def __str__(self) -> str:
        return f"Demande d'accès n° {self.id}"

    state_label = LabelOf("state", REQUEST_STATES)
    recommendation_label = LabelOf("recommendation_opinion", RECOMMENDATIONS)
    outcome_label = LabelOf("outcome", OUTCOMES)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES

    @classmethod
    def visible_to(cls, user):
        """Own requests; a manager's team; everything for DG (and delegates) and HR."""
        if not user.is_authenticated:
            return select(cls).where(false())
        if user.has_role("hr", "dg") or acts_as_dg(user):
            return select(cls)
        own = user.person_id or -1
        if user.has_role("manager"):
            return select(cls).where(or_(
                cls.requester_id == own, cls.requester_id.in_(Person.team_ids_query(own))))
        return select(cls).where(cls.requester_id == own)

    def can_edit(self, user) -> bool:
        return self.state == "draft" and user.person_id == self.requester_id


class AccessItem(WorkflowMixin, db.Model):
    """One platform of a request; once granted, it is the grant itself (the registry row)."""

    __tablename__ = "access_items"
    __table_args__ = (
        # No two open requests of one person for the same platform, even under a race.
        Index("uq_access_items_open_person_platform", "person_id", "platform_id",
              unique=True, sqlite_where=text("is_open"), postgresql_where=text("is_open")),
        CheckConstraint("state <> 'refused' OR refusal_reason IS NOT NULL",
                        name="refused_has_reason"),
        CheckConstraint("state NOT IN ('granted', 'restricted') OR "
                        "(granted_at IS NOT NULL AND review_on IS NOT NULL)",
                        name="grant_has_dates"),
        Index("ix_access_items_state_review", "state", "review_on"),
        # A person's items with their state: a search over people counts their current
        # grants from the index alone (no read of each item).
        Index("ix_access_items_person_state", "person_id", "state"),
        # Few grants are flagged or have a renewal proposed: tiny partial indexes find them.
        Index("ix_access_items_flagged", "review_reason",
              sqlite_where=text("review_reason IS NOT NULL"),
              postgresql_where=text("review_reason IS NOT NULL")),
        Index("ix_access_items_renewal_proposed", "renewal_proposed_on",
              sqlite_where=text("renewal_proposed_on IS NOT NULL"),
              postgresql_where=text("renewal_proposed_on IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("access_requests.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    is_open: Mapped[bool] = mapped_column(default=True, server_default=true())
    granted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    conditions: Mapped[str | None] = mapped_column(Text)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(Text)
    review_reason: Mapped[str | None] = mapped_column(String(200))
    review_flagged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    expiry_notified_on: Mapped[dt.date | None] = mapped_column(Date)
    # A renewal HR proposes and the DG decides (§4: access follows the DG's approval).
    renewal_proposed_on: Mapped[dt.date | None] = mapped_column(Date)
    renewal_proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    renewal_proposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    renewal_decision_note: Mapped[str | None] = mapped_column(Text)

    request: Mapped[AccessRequest] = relationship(back_populates="items")
    platform: Mapped[Platform] = relationship()
    person: Mapped[Person] = relationship()
    renewal_proposed_by: Mapped[User | None] = relationship(
        foreign_keys=[renewal_proposed_by_id])

    def __str__(self) -> str:
        return f"Accès {self.platform.name if self.platform else self.platform_id} " \
               f"(demande n° {self.request_id})"

    state_label = LabelOf("state", ITEM_STATES)

    @property
    def is_current_grant(self) -> bool:
        return self.state in CURRENT_GRANT_STATES

    @classmethod
    def due_ids(cls, limit: dt.date):
        """Ids of current grants whose review date is near, flagged, or with a renewal
        proposed: a union of three index searches (an OR of them scanned every grant)."""
        current = cls.state.in_(CURRENT_GRANT_STATES)
        # A filter only (`state || ''`): SQLite would otherwise walk the state index.
        still_current = (cls.state + "").in_(CURRENT_GRANT_STATES)
        return union(
            select(cls.id).where(current, cls.review_on <= limit).correlate(None),
            select(cls.id).where(still_current, cls.review_reason.is_not(None)).correlate(None),
            select(cls.id).where(still_current, cls.renewal_proposed_on.is_not(None))
            .correlate(None))

    @classmethod
    def due_rows(cls, limit: dt.date, first: int):
        """``due_ids`` with each grant's review date, enough to order a page of the review
        list without reading the grants table again, for the ``first`` grants in review
        order: the many near their date are cut there before the union sorts them."""
        current = cls.state.in_(CURRENT_GRANT_STATES)
        still_current = (cls.state + "").in_(CURRENT_GRANT_STATES)
        near = (select(cls.id, cls.review_on).where(current, cls.review_on <= limit)
                .order_by(cls.review_on, cls.id).limit(first).subquery())
        return union(
            select(near.c.id, near.c.review_on).correlate(None),
            select(cls.id, cls.review_on).where(still_current, cls.review_reason.is_not(None))
            .correlate(None),
            select(cls.id, cls.review_on).where(still_current,
                                                cls.renewal_proposed_on.is_not(None))
            .correlate(None))

    @classmethod
    def due_count(cls, limit, up_to: int):
        """How many grants ``due_ids`` gives, as three counts of disjoint sets, each read
        from its index (counting the union sorted every due grant to drop duplicates).
        A current grant always has a review date (ck grant_has_dates). The many near their
        date are counted up to ``up_to`` only, as every list and card caps its total; the few
        flagged or proposed are always counted."""
        current = cls.state.in_(CURRENT_GRANT_STATES)
        still_current = (cls.state + "").in_(CURRENT_GRANT_STATES)
        # A filter only (coalesce): SQLite must reach the few flagged or proposed grants
        # through their partial indexes, not skip-scan every later review date.
        not_near = func.coalesce(cls.review_on, limit) > limit

        def count(*conditions):
            return select(func.count()).select_from(cls).where(*conditions).scalar_subquery()

        near = select(cls.id).where(current, cls.review_on <= limit).limit(up_to)
        near_count = select(func.count()).select_from(near.subquery()).scalar_subquery()
        return select(near_count
                      + count(still_current, cls.review_reason.is_not(None), not_near)
                      + count(still_current, cls.renewal_proposed_on.is_not(None),
                              cls.review_reason.is_(None), not_near))

    @classmethod
    def due_for_review(cls, limit: dt.date):
        return cls.id.in_(cls.due_ids(limit))

    def review_due(self, today: dt.date, within_days: int) -> bool:
        return self.is_current_grant and (
            self.review_reason is not None
            or (self.review_on is not None
                and self.review_on <= today + dt.timedelta(days=within_days)))

    @classmethod
    def visible_to(cls, user):
        own_requests = AccessRequest.visible_to(user).with_only_columns(AccessRequest.id)
        return select(cls).where(cls.request_id.in_(own_requests))

    @property
    def renewal_pending(self) -> bool:
        return self.is_current_grant and self.renewal_proposed_on is not None
