"""Several deciders of the communications division act on the same logo requests at once,
through the real service functions: exactly one decision per request, each audited.

Runs on the test database of the run: a SQLite file by default, PostgreSQL with
TEST_DATABASE_URL (the pattern of tests/access_requests/test_concurrency.py)."""

from __future__ import annotations

import multiprocessing
import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from hr_social import create_app
from hr_social.audit.models import AuditEvent
from hr_social.communications import services as ops
from hr_social.communications.models import LogoAuthorization
from hr_social.db import db
from hr_social.people.models import User
from hr_social.workflow import AlreadyProcessed
from tests.communications.conftest import logo_fields, upload
from tests.conftest import TEST_CONFIG

PROCESSES = 4
REQUESTS = 30
DECISIONS = ("logo_authorization.authorized", "logo_authorization.refused",
             "logo_authorization.changes_requested")


def _decide_all(url, instance, user_id, request_ids, barrier, results):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = instance
    won = lost = errors = 0
    order = list(request_ids)
    random.Random(user_id).shuffle(order)
    with app.app_context():
        barrier.wait(timeout=30)
        for n, request_id in enumerate(order):
            try:
                authorization = db.session.get(LogoAuthorization, request_id)
                user = db.session.get(User, user_id)
                if n % 3 == 0:
                    ops.authorize_logo(user, authorization)
                elif n % 3 == 1:
                    ops.refuse(user, authorization, f"Refus par {user_id}")
                else:
                    ops.request_changes(user, authorization, f"Changements de {user_id}")
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
def test_two_deciders_at_once_give_one_decision_per_request(app, make_user):
    requester = make_user("employee")
    deciders = [make_user("employee", "communications").id for _ in range(PROCESSES - 1)]
    deciders.append(make_user("employee", "dg").id)
    ids = [ops.ask_logo(requester, visual=upload(), **logo_fields()).id
           for _ in range(REQUESTS)]
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

    won, lost, errors = (sum(o[i] for o in outcomes) for i in range(3))
    events = dict(db.session.execute(
        select(AuditEvent.target_id, func.count()).where(AuditEvent.action.in_(DECISIONS))
        .group_by(AuditEvent.target_id)).all())
    decided = db.session.scalars(select(LogoAuthorization).where(
        LogoAuthorization.state != "submitted")).all()
    assert (won, errors) == (REQUESTS, 0)
    assert lost == REQUESTS * (PROCESSES - 1)
    assert len(decided) == REQUESTS
    assert sum(1 for c in events.values() if c > 1) == 0  # no double decision
    assert all(events.get(str(r.id)) == 1 for r in decided)  # none without its audit entry
