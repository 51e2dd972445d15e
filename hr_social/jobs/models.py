"""A background job: its state and progress live in the database, so any web worker
(or several app servers) can report them."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import ForeignKey, String, Text, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import UTCDateTime, db, utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    result = relationship("Attachment")

    def __str__(self) -> str:
        return self.label

    @property
    def params(self) -> dict:
        return json.loads(self.params_json or "{}")

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @classmethod
    def visible_to(cls, user):
        """A job is seen by the person who started it."""
        if not user.is_authenticated:
            return select(cls).where(false())
        return select(cls).where(cls.created_by_id == user.id)
