"""Uploaded files: checked by content, stored under instance/uploads by their SHA-256."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hr_social.db import TimestampMixin, UTCDateTime, db


class Attachment(TimestampMixin, db.Model):
    __tablename__ = "attachments"
    # Keyed by subject (table name + id) so any domain can attach files without imports.
    __table_args__ = (Index("ix_attachments_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255))
    subject_type: Mapped[str | None] = mapped_column(String(60))
    subject_id: Mapped[int | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set when retention erased the stored file: the row stays as the trace (size, hash).
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    def __str__(self) -> str:
        return self.original_name
