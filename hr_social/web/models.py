"""One-time submission keys: a posted form has exactly one effect."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hr_social.db import UTCDateTime, db, utcnow


class UsedSubmissionKey(db.Model):
    __tablename__ = "used_submission_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
