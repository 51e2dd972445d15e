"""Who sees which case (the confidentiality matrix of docs/discipline.md).

- HR and the DG: every case.
- A manager: the cases they reported, and the sanctions that still count of their current
  team (direct and indirect reports).
- The person: their own decisions once notified (never the confidential reporter).
- Everyone else (communications, administrators, colleagues): nothing.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select

from hr_social.db import db
from hr_social.delegation import acts_as_dg
from hr_social.discipline.models import NOTIFIED_STATES
from hr_social.people.models import Person

FULL_ACCESS = ("hr", "dg")


def is_full_access(user) -> bool:
    """HR and the DG, and the DG's delegate for the period of the delegation."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(*FULL_ACCESS) or acts_as_dg(user)


def team_counting_ids(user) -> list[int]:
    from hr_social.discipline.amnesty import counting_cases
    from hr_social.discipline.catalogue import today

    if not user.person_id:
        return []
    team = db.session.scalars(Person.team_ids_query(user.person_id)).all()
    return [c.id for c in counting_cases(team, today())] if team else []


def visible_cases(model, user):
    if not getattr(user, "is_authenticated", False):
        return select(model).where(false())
    if is_full_access(user):
        return select(model)
    own = user.person_id or -1
    conditions = [(model.person_id == own) & model.state.in_(NOTIFIED_STATES)]
    if user.has_role("manager"):
        conditions.append((model.reported_by_id == user.id) & (model.reporter_kind == "manager"))
        if ids := team_counting_ids(user):
            conditions.append(model.id.in_(ids))
    return select(model).where(or_(*conditions))


def can_handle(user) -> bool:
    """HR runs the case; the DG reads it and decides dismissals."""
    return getattr(user, "is_authenticated", False) and user.has_role("hr")


def may_report_on(user, person) -> bool:
    """HR about anyone; a manager about their current team (anyone else: 404)."""
    if user.has_role("hr"):
        return True
    if user.has_role("manager") and user.person is not None and person.id != user.person_id:
        return person.is_in_team_of(user.person)
    return False
