"""Two tabs, two deciders: several HR processes decide the same cases at the same moment,
through the real service: exactly one decision per case, each with its audit entry.
Runs on the run's database (SQLite file, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import services as ops
from hr_social.discipline.models import Case
from tests.concurrency import race
from tests.discipline.conftest import level

PROCESSES = 4
CASES = 12


def _decide_with(level_id):
    def decide(user, case_id, _n):
        ops.decide(user, db.session.get(Case, case_id), level_id=level_id, gravity="minor",
                   no_hearing_reason=f"Injoignable ({user.id}).")
    return decide


@pytest.mark.slow
def test_concurrent_deciders_give_one_decision_per_case(app, make_user, team, report):
    deciders = [make_user("employee", "hr").id for _ in range(PROCESSES)]
    ids = []
    for _ in range(CASES):
        case = report(by="hr")
        ops.take(team["hr"], case)
        ids.append(case.id)
    level_id = level("verbal_warning").id
    outcome = race(app, deciders, ids, _decide_with(level_id))

    decide_events = dict(db.session.execute(
        select(AuditEvent.target_id, func.count()).where(
            AuditEvent.action == "discipline_case.decided").group_by(AuditEvent.target_id)).all())
    decided = db.session.scalars(select(Case).where(Case.state == "decided")).all()
    assert (outcome.won, outcome.errors) == (CASES, 0)
    assert outcome.lost == CASES * (PROCESSES - 1)
    assert len(decided) == CASES
    assert sum(1 for n in decide_events.values() if n > 1) == 0  # 0 double decisions
    assert all(decide_events.get(str(c.id)) == 1 for c in decided)  # each with its entry
