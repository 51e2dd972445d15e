"""Disciplinary cases in the records schedule (hr_social/records/registry.py): a sanctioned
case reaches its "amnesty" event on the day its sanction stops counting (amnesty.py); its
disposal is this domain's own purge, ``amnesty.destroy_text``, the same one the amnesty job
applies when the discipline settings say "destroy"."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline.amnesty import destroy_text, status_on
from hr_social.discipline.models import SANCTIONED_STATES, Case
from hr_social.records.registry import (
    LinkTarget,
    RecordType,
    RetentionCandidate,
    RetentionDefault,
    register_link_target,
    register_record_type,
)


def candidates(event: str, until: dt.date):
    """Sanctioned cases amnestied on or before ``until`` whose text is still there. Faults
    after ``until`` cannot revive them: they fall after the anniversary."""
    if event != "amnesty":
        return
    cases = db.session.scalars(select(Case).where(Case.state.in_(SANCTIONED_STATES),
                                                  Case.text_destroyed_on.is_(None))).all()
    if not cases:
        return
    ends = status_on({c.person_id for c in cases}, until)
    for case in cases:
        end = ends.get(case.id)
        if end is not None and end <= until:
            yield RetentionCandidate(case.id, "amnesty", end, frozenset({case.person_id}),
                                     f"Dossier disciplinaire n° {case.id}")


def dispose(record_id: int, disposition: str) -> dict:
    case = db.session.get(Case, record_id)
    if case is None or case.text_destroyed_on is not None:
        return {"files_removed": 0}
    return {"files_removed": destroy_text(case, catalogue.today())}


def _case_exists(case_id: int) -> bool:
    return db.session.get(Case, case_id) is not None


register_record_type(RecordType(
    code="discipline.case", label=_l("Dossiers disciplinaires"),
    retention_events=("amnesty",), candidates=candidates, dispose=dispose,
    retention_default=RetentionDefault(0, "amnesty", "keep"),
    dispositions=("destroy",), audit_target_type=Case.__tablename__))
register_link_target(LinkTarget(Case.__tablename__, _l("Dossier disciplinaire n°"),
                                exists=_case_exists))
