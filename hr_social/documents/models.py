"""Issued official documents (each with its verification code) and public look-ups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hr_social.db import UTCDateTime, db


class IssuedDocument(db.Model):
    """Every official PDF handed out, with its verification code and the SHA-256 of its copy.

    Keyed by subject (a registered type + id, see ``registry``) so any domain can issue
    documents without this package importing it.
    """

    __tablename__ = "issued_documents"
    __table_args__ = (Index("ix_issued_documents_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    subject_type: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))  # e.g. "printed" or "signed"
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sha256: Mapped[str | None] = mapped_column(String(64))

    @property
    def can_be_compared(self) -> bool:
        """Every document issued now keeps the hash of its copy; bulk prints issued before
        migration 0005 have none, so a file cannot be compared with them."""
        return self.sha256 is not None


class VerificationAttempt(db.Model):
    """Look-ups on the public verification page, counted per address (throttling)."""

    __tablename__ = "verification_attempts"
    __table_args__ = (Index("ix_verification_attempts_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    found: Mapped[bool]
