"""Outgoing e-mail, queued in the transaction of the change it announces."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import UTCDateTime, db, utcnow


class OutgoingEmail(db.Model):
    __tablename__ = "outgoing_emails"
    __table_args__ = (Index("ix_outgoing_emails_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # After a failed try, not before this time (growing delays between tries).
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(500))
    outbox_file: Mapped[str | None] = mapped_column(String(255))
    # What the message is about, as an audit target (type, id): the audit registry says
    # whether it is confidential and who may read it on the outbox page.
    subject_type: Mapped[str | None] = mapped_column(String(60))
    subject_id: Mapped[str | None] = mapped_column(String(60))
    # A document sent with the message (a letter's PDF), kept once in attachments/.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    attachment = relationship("Attachment")
