"""The one harness for "several deciders at the same moment" tests: forked processes, each
with its own application on the run's database (SQLite file, or PostgreSQL with
TEST_DATABASE_URL), start together at a barrier and act on the same targets in their own
shuffled order. Each act either wins (commits), loses (AlreadyProcessed) or errs (a lock
timeout, which must stay at 0)."""

from __future__ import annotations

import multiprocessing
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from hr_social import create_app
from hr_social.db import db
from hr_social.people.models import User
from hr_social.workflow import AlreadyProcessed
from tests.conftest import TEST_CONFIG


@dataclass(frozen=True)
class Outcome:
    won: int
    lost: int
    errors: int


def _act_on_all(url, instance, user_id, target_ids, act, barrier, results):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    app.instance_path = instance
    won = lost = errors = 0
    order = list(target_ids)
    random.Random(user_id).shuffle(order)
    with app.app_context():
        barrier.wait(timeout=30)
        for n, target_id in enumerate(order):
            try:
                act(db.session.get(User, user_id), target_id, n)
                db.session.commit()
                won += 1
            except AlreadyProcessed:
                db.session.rollback()
                lost += 1
            except OperationalError:
                db.session.rollback()
                errors += 1
        db.engine.dispose()
    results.put((won, lost, errors))


def race(app, user_ids: list[int], target_ids: list[int],
         act: Callable[[User, int, int], None], timeout: int = 300) -> Outcome:
    """Run ``act(user, target_id, n)`` for every target in one process per user, all at once;
    returns the summed outcome once every process has exited cleanly."""
    db.session.commit()
    db.session.remove()
    db.engine.dispose()  # no connection crosses the fork
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(user_ids)), context.Queue()
    url = app.config["SQLALCHEMY_DATABASE_URI"]  # the test's database, which the app uses
    workers = [context.Process(target=_act_on_all, args=(
        url, app.instance_path, user_id, target_ids, act, barrier, results))
        for user_id in user_ids]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=timeout) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    return Outcome(*(sum(o[i] for o in outcomes) for i in range(3)))
