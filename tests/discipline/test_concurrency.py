"""Two tabs, two deciders: several HR processes decide the same cases at the same moment,
through the real service: exactly one decision per case, each with its audit entry.
Runs on the run's database (SQLite file, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import multiprocessing
import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from hr_social import create_app
from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import services as ops
from hr_social.discipline.models import Case
from hr_social.people.models import User
from hr_social.workflow import AlreadyProcessed
from tests.conftest import TEST_CONFIG
from tests.discipline.conftest import level

PROCESSES = 4
CASES = 12


def _decide_all(url, instance, user_id, case_ids, level_id, barrier, results):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = instance
    won = lost = errors = 0
    order = list(case_ids)
    random.Random(user_id).shuffle(order)
    with app.app_context():
        barrier.wait(timeout=30)
        for case_id in order:
            try:
                case = db.session.get(Case, case_id)
                ops.decide(db.session.get(User, user_id), case, level_id=level_id,
                           gravity="minor", no_hearing_reason=f"Injoignable ({user_id}).")
                db.session.commit()
                won += 1
            except AlreadyProcessed:
                db.session.rollback()
                lost += 1
            except OperationalError:  # lock timeout: counted, must stay at 0
                db.session.rollback()
                errors += 1
        db.engine.dispose()
    results.put((won, lost, errors))


@pytest.mark.slow
def test_concurrent_deciders_give_one_decision_per_case(app, make_user, team, report):
    deciders = [make_user("employee", "hr").id for _ in range(PROCESSES)]
    ids = []
    for _ in range(CASES):
        case = report(by="hr")
        ops.take(team["hr"], case)
        ids.append(case.id)
    level_id = level("verbal_warning").id
    db.session.commit()
    db.session.remove()
    db.engine.dispose()  # no connection crosses the fork

    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]  # the test's database, which the app uses
    workers = [context.Process(target=_decide_all, args=(
        url, app.instance_path, user_id, ids, level_id, barrier, results))
        for user_id in deciders]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    won, lost, errors = (sum(o[i] for o in outcomes) for i in range(3))
    decide_events = dict(db.session.execute(
        select(AuditEvent.target_id, func.count()).where(
            AuditEvent.action == "discipline_case.decided").group_by(AuditEvent.target_id)).all())
    decided = db.session.scalars(select(Case).where(Case.state == "decided")).all()
    assert (won, errors) == (CASES, 0)
    assert lost == CASES * (PROCESSES - 1)
    assert len(decided) == CASES
    assert sum(1 for n in decide_events.values() if n > 1) == 0  # 0 double decisions
    assert all(decide_events.get(str(c.id)) == 1 for c in decided)  # each with its entry
