"""Several deciders of the communications division act on the same logo requests at once,
through the real service functions: exactly one decision per request, each audited.

Runs on the test database of the run: a SQLite file by default, PostgreSQL with
TEST_DATABASE_URL; the harness is tests/concurrency.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.communications import services as ops
from hr_social.communications.models import LogoAuthorization
from hr_social.db import db
from tests.communications.conftest import logo_fields, upload
from tests.concurrency import race

PROCESSES = 4
REQUESTS = 30
DECISIONS = ("logo_authorization.authorized", "logo_authorization.refused",
             "logo_authorization.changes_requested")


def _decide(user, request_id, n):
    authorization = db.session.get(LogoAuthorization, request_id)
    if n % 3 == 0:
        ops.authorize_logo(user, authorization)
    elif n % 3 == 1:
        ops.refuse(user, authorization, f"Refus par {user.id}")
    else:
        ops.request_changes(user, authorization, f"Changements de {user.id}")


@pytest.mark.slow
def test_two_deciders_at_once_give_one_decision_per_request(app, make_user):
    requester = make_user("employee")
    deciders = [make_user("employee", "communications").id for _ in range(PROCESSES - 1)]
    deciders.append(make_user("employee", "dg").id)
    ids = [ops.ask_logo(requester, visual=upload(), **logo_fields()).id
           for _ in range(REQUESTS)]
    outcome = race(app, deciders, ids, _decide)

    events = dict(db.session.execute(
        select(AuditEvent.target_id, func.count()).where(AuditEvent.action.in_(DECISIONS))
        .group_by(AuditEvent.target_id)).all())
    decided = db.session.scalars(select(LogoAuthorization).where(
        LogoAuthorization.state != "submitted")).all()
    assert (outcome.won, outcome.errors) == (REQUESTS, 0)
    assert outcome.lost == REQUESTS * (PROCESSES - 1)
    assert len(decided) == REQUESTS
    assert sum(1 for c in events.values() if c > 1) == 0  # no double decision
    assert all(events.get(str(r.id)) == 1 for r in decided)  # none without its audit entry
