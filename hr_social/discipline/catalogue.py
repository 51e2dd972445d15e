"""The lists HR keeps: the sanction ladder, the clauses of each policy version, the settings.
Defaults are written on first use (audited), so a fresh database works without a step."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.clock import local_today
from hr_social.db import db, keep_page_view_writes
from hr_social.discipline.models import (
    RETENTION,
    Case,
    DisciplineSettings,
    PolicyClause,
    SanctionLevel,
)
from hr_social.workflow import GuardFailed


class InvalidCase(GuardFailed):
    """Bad input on a disciplinary case: a French message, nothing saved."""


def today() -> dt.date:
    """The organisation's date (tests freeze it by replacing this function)."""
    return local_today()


# code, label, rank, kind, requires_days, requires_dg
DEFAULT_LADDER = (
    ("verbal_warning", "Avertissement verbal (consigné par écrit)", 1, "disciplinary", False,
     False),
    ("written_reprimand", "Réprimande écrite", 2, "disciplinary", False, False),
    ("suspension", "Suspension sans solde", 3, "disciplinary", True, False),
    ("dismissal", "Congédiement", 4, "disciplinary", False, True),
    ("expectations_reminder", "Rappel des attentes (mesure administrative)", 0,
     "administrative", False, False),
    ("training", "Formation obligatoire (mesure administrative)", 0, "administrative", False,
     False),
)

# code, section of the policy, label (our words, not the policy's)
DEFAULT_CLAUSES = (
    ("3.1-remarks", "3.1", "Propos diffamatoires ou dénigrants"),
    ("3.1-harassment", "3.1", "Harcèlement"),
    ("3.2-logo", "3.2", "Utilisation du logo sans autorisation"),
    ("3.2.1", "3.2.1", "Conduite avec une adresse professionnelle"),
    ("3.2.2", "3.2.2", "Conduite avec une adresse personnelle"),
    ("3.3", "3.3", "Modification d'un compte officiel sans approbation"),
    ("3.4-personal", "3.4", "Divulgation de renseignements personnels ou confidentiels"),
    ("3.4-clients", "3.4", "Partage au sujet de la clientèle sans consentement"),
    ("3.4-false", "3.4", "Contenu faux ou trompeur"),
    ("4-access", "4", "Accès sans approbation"),
)


def ladder(include_inactive: bool = False) -> list[SanctionLevel]:
    statement = select(SanctionLevel).order_by(SanctionLevel.kind.desc(), SanctionLevel.rank,
                                               SanctionLevel.id)
    levels = db.session.scalars(statement).all()
    if not levels:
        levels = _create_default_ladder()
    return [lv for lv in levels if include_inactive or lv.is_active]


def _create_default_ladder() -> list[SanctionLevel]:
    levels = [SanctionLevel(code=c, label=lb, rank=r, kind=k, requires_days=d, requires_dg=g)
              for c, lb, r, k, d, g in DEFAULT_LADDER]
    db.session.add_all(levels)
    db.session.flush()
    keep_page_view_writes()
    record("discipline_ladder.created", target_type="discipline_sanction_levels",
           target_label="Échelle des sanctions",
           after={"levels": [lv.code for lv in levels]}, actor=None)
    return levels


def policy_version_model():
    # Declared by the acknowledgements domain; reached through our relationship, not imported.
    return Case.policy_version.property.mapper.class_


def version_in_force(day: dt.date):
    version = policy_version_model()
    return db.session.scalar(
        select(version).where(version.published_at.is_not(None), version.effective_date <= day)
        .order_by(version.effective_date.desc(), version.published_at.desc()).limit(1))


def clauses_for(version) -> list[PolicyClause]:
    statement = select(PolicyClause).where(PolicyClause.policy_version_id == version.id)
    clauses = db.session.scalars(statement.order_by(PolicyClause.id)).all()
    if not clauses:
        clauses = [PolicyClause(policy_version_id=version.id, code=c, section=s, label=lb)
                   for c, s, lb in DEFAULT_CLAUSES]
        db.session.add_all(clauses)
        db.session.flush()
        keep_page_view_writes()
        record("discipline_clauses.created", target_type="policy_versions",
               target_id=version.id, target_label=str(version),
               after={"clauses": [c.code for c in clauses]}, actor=None)
    return [c for c in clauses if c.is_active]


def section_text(version, number: str) -> str:
    """The words of one section of the policy version, for letters."""
    for section in version.sections:
        if section.number == number:
            return " ".join(block.text for block in section.blocks)
    return ""


def save_settings(user, *, amnesty_months: int, restart_on_recidivism: bool,
                  retention: str) -> DisciplineSettings:
    if not 1 <= int(amnesty_months or 0) <= 120:
        raise InvalidCase(_("La période d'amnistie doit compter entre 1 et 120 mois."))
    if retention not in RETENTION:
        raise InvalidCase(_("Choisissez une règle de conservation de la liste."))
    settings = DisciplineSettings.current()
    fields = ("amnesty_months", "restart_on_recidivism", "retention")
    before = {f: getattr(settings, f) for f in fields} if settings.id else None
    settings.amnesty_months, settings.retention = int(amnesty_months), retention
    settings.restart_on_recidivism = bool(restart_on_recidivism)
    db.session.add(settings)
    db.session.flush()
    record("discipline_settings.changed", settings, before=before,
           after={f: getattr(settings, f) for f in fields}, actor=user,
           target_label="Paramètres disciplinaires")
    return settings


def save_level(user, level: SanctionLevel | None, *, label: str, rank: int, kind: str,
               requires_days: bool, requires_dg: bool, is_active: bool) -> SanctionLevel:
    label = (label or "").strip()
    if not label or len(label) > 120:
        raise InvalidCase(_("Donnez un libellé à l'échelon (120 caractères au plus)."))
    if kind not in ("disciplinary", "administrative"):
        raise InvalidCase(_("Choisissez le type de mesure."))
    if not 0 <= int(rank) <= 99:
        raise InvalidCase(_("Le rang doit être entre 0 et 99."))
    fields = ("label", "rank", "kind", "requires_days", "requires_dg", "is_active")
    before = {f: getattr(level, f) for f in fields} if level else None
    if level is None:
        count = len(ladder(include_inactive=True))
        level = SanctionLevel(code=f"level_{count + 1}")
        db.session.add(level)
    level.label, level.rank, level.kind = label, int(rank), kind
    level.requires_days, level.requires_dg = bool(requires_days), bool(requires_dg)
    level.is_active = bool(is_active)
    db.session.flush()
    record("discipline_ladder.changed", level, before=before,
           after={f: getattr(level, f) for f in fields}, actor=user)
    return level
