"""Disciplinary cases (policy §5): the case, the sanction ladder, the clause catalogue, the
settings. Rows are never edited in place once a transition wrote them: corrections,
evidence, witnesses and follow-ups are new linked entries (``entries.py``)."""

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
    UniqueConstraint,
    false,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import TimestampMixin, UTCDateTime, db
from hr_social.labels import LabelOf
from hr_social.people.models import Person, User
from hr_social.workflow import WorkflowMixin

TEXT_MAX = 5000

CASE_STATES = {
    "reported": _l("Signalé"),
    "investigating": _l("En enquête"),
    "convoked": _l("Convocation envoyée"),
    "heard": _l("Rencontre tenue"),
    "dismissal_proposed": _l("Congédiement proposé à la DG"),
    "decided": _l("Décision rendue"),
    "notified": _l("Décision remise"),
    "closed": _l("Fermé"),
    "closed_no_sanction": _l("Fermé sans sanction"),
}
OPEN_STATES = ("reported", "investigating", "convoked", "heard", "dismissal_proposed")
BEFORE_DECISION = ("reported", "investigating", "convoked", "heard")
SANCTIONED_STATES = ("decided", "notified", "closed")
NOTIFIED_STATES = ("notified", "closed")

GRAVITIES = {
    "minor": _l("Mineure"),
    "moderate": _l("Modérée"),
    "serious": _l("Grave"),
    "very_serious": _l("Très grave"),
}
GRAVITY_RANK = {name: rank for rank, name in enumerate(GRAVITIES)}

REPORTER_KINDS = {
    "manager": _l("Gestionnaire"),
    "hr": _l("Ressources humaines"),
    "employee": _l("Signalement confidentiel"),
}
DELIVERY_METHODS = {
    "hand": _l("En main propre"),
    "email": _l("Par courriel"),
    "registered_mail": _l("Par courrier recommandé"),
}
LEVEL_KINDS = {
    "disciplinary": _l("Sanction disciplinaire"),
    "administrative": _l("Mesure administrative (hors progression)"),
}
RETENTION = {
    "keep": _l("Conserver au dossier (masquée par défaut)"),
    "destroy": _l("Retirer du dossier (texte effacé, trace conservée)"),
}


class DisciplineSettings(TimestampMixin, db.Model):
    """One row kept by HR; before anyone saves it, the defaults apply."""

    __tablename__ = "discipline_settings"
    __table_args__ = (CheckConstraint("amnesty_months BETWEEN 1 AND 120",
                                      name="amnesty_months_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    amnesty_months: Mapped[int] = mapped_column(default=12, server_default="12")
    restart_on_recidivism: Mapped[bool] = mapped_column(default=True, server_default=true())
    retention: Mapped[str] = mapped_column(String(20), default="keep", server_default="keep")

    @classmethod
    def current(cls) -> DisciplineSettings:
        found = db.session.scalar(select(cls).order_by(cls.id).limit(1))
        return found or cls(amnesty_months=12, restart_on_recidivism=True, retention="keep")


class SanctionLevel(TimestampMixin, db.Model):
    """One rung of the ladder kept by HR (or an administrative measure, outside it)."""

    __tablename__ = "discipline_sanction_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    rank: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20), default="disciplinary")
    requires_days: Mapped[bool] = mapped_column(default=False, server_default=false())
    requires_dg: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    def __str__(self) -> str:
        return self.label

    @property
    def counts(self) -> bool:
        return self.kind == "disciplinary"


class PolicyClause(db.Model):
    """A clause that can be breached, tied to one published policy version and its section."""

    __tablename__ = "discipline_clauses"
    __table_args__ = (UniqueConstraint("policy_version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    section: Mapped[str] = mapped_column(String(20))  # number of the policy's section
    label: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    policy_version = relationship("PolicyVersion")

    def __str__(self) -> str:
        return f"§{self.section} {self.label}"


class CaseClause(db.Model):
    __tablename__ = "discipline_case_clauses"
    __table_args__ = (UniqueConstraint("case_id", "clause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("discipline_cases.id"), index=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("discipline_clauses.id"))

    clause: Mapped[PolicyClause] = relationship()


class Case(WorkflowMixin, TimestampMixin, db.Model):
    __tablename__ = "discipline_cases"
    __table_args__ = (
        CheckConstraint("state NOT IN ('decided', 'notified', 'closed') OR "
                        "(sanction_level_id IS NOT NULL AND decided_at IS NOT NULL)",
                        name="decided_has_sanction"),
        CheckConstraint("state <> 'closed_no_sanction' OR close_reason IS NOT NULL",
                        name="closed_has_reason"),
        CheckConstraint("suspension_days IS NULL OR suspension_days > 0",
                        name="days_positive"),
        Index("ix_discipline_cases_person_state", "person_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reporter_kind: Mapped[str] = mapped_column(String(20))
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    facts_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    taken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Convocation
    hearing_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    hearing_place: Mapped[str | None] = mapped_column(String(200))
    convoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Hearing
    heard_on: Mapped[dt.date | None] = mapped_column(Date)
    attendees: Mapped[str | None] = mapped_column(Text)
    representative_present: Mapped[bool | None]
    person_version: Mapped[str | None] = mapped_column(Text)
    # Decision (HR; a dismissal: HR proposes, the DG decides)
    no_hearing_reason: Mapped[str | None] = mapped_column(Text)
    gravity: Mapped[str | None] = mapped_column(String(20))
    sanction_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("discipline_sanction_levels.id"))
    suspension_days: Mapped[int | None]
    proposed_level_id: Mapped[int | None] = mapped_column(
        ForeignKey("discipline_sanction_levels.id"))
    harsher_justification: Mapped[str | None] = mapped_column(Text)
    decision_text: Mapped[str | None] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_for_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Notification, closing
    notified_on: Mapped[dt.date | None] = mapped_column(Date)
    notified_method: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)
    # Written by `flask discipline amnesty` (computed from dates, recorded for the trail).
    amnesty_recorded_on: Mapped[dt.date | None] = mapped_column(Date)
    # Retention "destroy": the words are removed once amnestied; the trace stays.
    text_destroyed_on: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    reported_by: Mapped[User] = relationship(foreign_keys=[reported_by_id])
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    decided_for: Mapped[User | None] = relationship(foreign_keys=[decided_for_id])
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    sanction_level: Mapped[SanctionLevel | None] = relationship(foreign_keys=[sanction_level_id])
    proposed_level: Mapped[SanctionLevel | None] = relationship(
        foreign_keys=[proposed_level_id])
    policy_version = relationship("PolicyVersion")
    case_clauses: Mapped[list[CaseClause]] = relationship(order_by=CaseClause.id)

    def __str__(self) -> str:
        # No name here: the label is copied into audit entries that administrators can list.
        return f"Dossier disciplinaire n° {self.id}"

    @property
    def clauses(self) -> list[PolicyClause]:
        return [cc.clause for cc in self.case_clauses]

    state_label = LabelOf("state", CASE_STATES)
    gravity_label = LabelOf("gravity", GRAVITIES)
    reporter_label = LabelOf("reporter_kind", REPORTER_KINDS)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_sanctioned(self) -> bool:
        return self.state in SANCTIONED_STATES

    @classmethod
    def visible_to(cls, user):
        from hr_social.discipline.access import visible_cases

        return visible_cases(cls, user)

    def reporter_visible_to(self, user) -> bool:
        """A confidential report's author is known to HR only (and to the author)."""
        if self.reporter_kind != "employee":
            return user.has_role("hr", "dg") or user.id == self.reported_by_id
        return user.has_role("hr") or user.id == self.reported_by_id
