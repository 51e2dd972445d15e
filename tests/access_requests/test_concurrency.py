"""Several processes decide the same requests at the same moment, through the real service
functions: exactly one decision per request stands, each with its audit entry.

Runs on the test database of the run: a SQLite file by default, PostgreSQL with
TEST_DATABASE_URL. Included in the normal suite (about 2–4 s); `-m slow` selects it alone.
"""

from __future__ import annotations

import multiprocessing
import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from hr_social import create_app
from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessItem, AccessRequest, Platform
from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.people.models import User
from hr_social.workflow import AlreadyProcessed
from tests.conftest import TEST_CONFIG

PROCESSES = 5
REQUESTS = 40


def _decide_all(url, instance, user_id, request_ids, barrier, results):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = instance
    won = lost = errors = 0
    order = list(request_ids)
    random.Random(user_id).shuffle(order)
    with app.app_context():
        barrier.wait(timeout=30)
        for request_id in order:
            try:
                request = db.session.get(AccessRequest, request_id)
                user = db.session.get(User, user_id)
                grant = request_id % 2 == 0
                ops.decide_request(user, request, decisions={item.id: ops.ItemDecision(
                    grant=grant, reason=None if grant else f"Refus par {user_id}")
                    for item in request.items})
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
def test_concurrent_deciders_give_one_decision_per_request(app, make_user):
    platforms = [Platform(name=f"Plateforme {n}", category="social") for n in range(2)]
    db.session.add_all(platforms)
    db.session.commit()
    requester = make_user("employee")
    deciders = [make_user("employee", "dg").id for _ in range(PROCESSES)]
    ids = []
    for n in range(REQUESTS):
        # Each request is for one platform of its own (no two open requests per platform).
        platform = Platform(name=f"Site {n}", category="blog")
        db.session.add(platform)
        db.session.flush()
        ids.append(ops.create_request(requester, platform_ids=[platform.id, platforms[n % 2].id]
                                      if n < 2 else [platform.id], purpose="Page",
                                      submit=True).id)
    db.session.commit()
    db.session.remove()
    db.engine.dispose()  # no connection crosses the fork

    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]  # the test's database, which the app uses
    workers = [context.Process(target=_decide_all, args=(
        url, app.instance_path, user_id, ids, barrier, results)) for user_id in deciders]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    won = sum(o[0] for o in outcomes)
    lost = sum(o[1] for o in outcomes)
    errors = sum(o[2] for o in outcomes)
    decide_events = dict(db.session.execute(
        select(AuditEvent.target_id, func.count()).where(
            AuditEvent.action == "access_request.decided").group_by(AuditEvent.target_id)).all())
    item_events = dict(db.session.execute(
        select(AuditEvent.target_id, func.count()).where(
            AuditEvent.action.in_(("access_grant.granted", "access_grant.refused")))
        .group_by(AuditEvent.target_id)).all())
    decided = db.session.scalars(select(AccessRequest).where(
        AccessRequest.state == "decided")).all()
    double_decisions = sum(1 for count in decide_events.values() if count > 1) + sum(
        1 for count in item_events.values() if count > 1)
    without_audit = sum(1 for r in decided if decide_events.get(str(r.id), 0) != 1)
    items = db.session.scalars(select(AccessItem)).all()

    assert (won, errors) == (REQUESTS, 0)
    assert lost == REQUESTS * (PROCESSES - 1)
    assert len(decided) == REQUESTS
    assert double_decisions == 0
    assert without_audit == 0
    assert all(i.state in ("granted", "refused") for i in items)
    assert len(item_events) == len(items)
