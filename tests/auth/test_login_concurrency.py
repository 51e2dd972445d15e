"""A burst of parallel logins cannot check more passwords than the limit: the attempt is
reserved in one conditional UPDATE before the password is hashed (issue 11, item 5)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flask.testing import FlaskClient
from sqlalchemy import func, select

from hr_social.auth import services
from hr_social.auth.models import LoginAttempt
from hr_social.db import db


def _burst(app, monkeypatch, username, passwords, workers=16):
    checked, lock = [], threading.Lock()
    real = services.verify_password

    def slow_check(password_hash, password):
        with lock:
            checked.append(password)
        time.sleep(0.05)  # a real Argon2 hash takes this long: the window an attack uses
        return real(password_hash, password)

    monkeypatch.setattr(services, "verify_password", slow_check)

    def attempt(index):
        client = FlaskClient(app, use_cookies=False)
        response = client.post("/login", data={"username": username,
                                               "password": passwords[index]},
                               environ_base={"REMOTE_ADDR": f"198.51.100.{index % 16 + 1}"})
        return response.status_code

    db.session.remove()  # the test holds no transaction (SQLite takes the write lock)
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(attempt, range(len(passwords))))
    return checked, statuses


def test_a_hundred_parallel_wrong_passwords_check_no_more_than_the_limit(app, make_user,
                                                                         monkeypatch):
    user = make_user("employee")
    checked, statuses = _burst(app, monkeypatch, user.username,
                               [f"faux-{i}" for i in range(100)])
    assert len(checked) == app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 5
    assert statuses.count(422) == 5 and statuses.count(429) == 95
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 5
