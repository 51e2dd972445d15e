"""The delegation row (table kept from access_requests, where it was first defined)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import UTCDateTime, db, utcnow


class DgDelegation(db.Model):
    """The DG names a delegate for a period; the delegate decides in the DG's name."""

    __tablename__ = "dg_delegations"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dg_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    delegate_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    # "User" by name: this shared module imports no domain (people defines the class).
    dg_user: Mapped[User] = relationship("User", foreign_keys=[dg_user_id])  # noqa: F821
    delegate: Mapped[User] = relationship("User", foreign_keys=[delegate_user_id])  # noqa: F821

    def __str__(self) -> str:
        return f"Délégation n° {self.id}"

    @classmethod
    def in_force_on(cls, day: dt.date):
        """SQL condition: not cancelled and ``day`` within the period."""
        return (cls.cancelled_at.is_(None)) & (cls.starts_on <= day) & (cls.ends_on >= day)
