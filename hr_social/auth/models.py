"""Server-side login sessions and login attempts (shared by every worker)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import UTCDateTime, db, utcnow


class UserSession(db.Model):
    """One login. The cookie holds a random token; only its SHA-256 is stored here, so a
    session ends for real (logout, password change, deactivation) by setting ended_at."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(40))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user = relationship("User")


class LoginAttempt(db.Model):
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "attempted_at"),
        Index("ix_login_attempts_ip_at", "ip_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    username: Mapped[str] = mapped_column(String(80))
    ip_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool]


class LoginThrottle(db.Model):
    """Consecutive failed password checks of an account (per scope) or an address, and the
    earliest time the next check may run (see auth/throttle.py)."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_check_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class LoginLink(db.Model):
    """A single-use sign-in link sent by e-mail to the owner of a delayed account. Only the
    SHA-256 of its token is kept; it expires after LOGIN_LINK_MINUTES (15)."""

    __tablename__ = "login_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    requested_from: Mapped[str | None] = mapped_column(String(64))

    user = relationship("User")
