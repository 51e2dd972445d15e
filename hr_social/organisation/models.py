"""The organisation using the application (one row): name, address, logo."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, db

DEFAULT_NAME = "Municipalité"


class OrganisationSettings(TimestampMixin, db.Model):
    __tablename__ = "organisation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default=DEFAULT_NAME)
    address: Mapped[str | None] = mapped_column(Text)
    email_domain: Mapped[str | None] = mapped_column(String(200))
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))

    logo = relationship("Attachment")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> OrganisationSettings:
        """The settings row, or unsaved defaults before anyone set them."""
        found = db.session.scalar(select(cls).order_by(cls.id).limit(1))
        return found or cls(name=DEFAULT_NAME)
