"""Several processes decide the same requests at the same moment, through the real service
functions: exactly one decision per request stands, each with its audit entry.

Runs on the test database of the run: a SQLite file by default, PostgreSQL with
TEST_DATABASE_URL. Included in the normal suite (about 2–4 s); `-m slow` selects it alone.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessItem, AccessRequest, Platform
from hr_social.audit.models import AuditEvent
from hr_social.db import db
from tests.concurrency import race

PROCESSES = 5
REQUESTS = 40


def _decide(user, request_id, _n):
    request = db.session.get(AccessRequest, request_id)
    grant = request_id % 2 == 0
    ops.decide_request(user, request, decisions={item.id: ops.ItemDecision(
        grant=grant, reason=None if grant else f"Refus par {user.id}")
        for item in request.items})


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
    outcome = race(app, deciders, ids, _decide, timeout=120)
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

    assert (outcome.won, outcome.errors) == (REQUESTS, 0)
    assert outcome.lost == REQUESTS * (PROCESSES - 1)
    assert len(decided) == REQUESTS
    assert double_decisions == 0
    assert without_audit == 0
    assert all(i.state in ("granted", "refused") for i in items)
    assert len(item_events) == len(items)
