"""Every role of the demo clicks every link and every button it is shown: no 5xx anywhere.

Each role crawls its own freshly seeded demo, so what the administrator deactivates does not
lock the next role out. The crawl is bounded (a few URLs per route, a request budget), and
lists no route by hand: a new page or form is crawled as soon as some page shows it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from hr_social.db import db
from hr_social.demo import LOGINS
from hr_social.demo.cli import load_seeders, run_seeders
from tests.conftest import Client
from tests.crawler import Crawl

load_seeders()  # declares the demo logins (LOGINS) at collection time


@pytest.fixture
def demo(app):
    app.config["JOBS_RUNNER"] = "none"  # print jobs stay queued: no PDF rendering here
    run_seeders()
    db.session.commit()
    return app


def _snapshot(folder: str):
    """On SQLite, a copy of the database now, and a function that puts it back (each form is
    then sent in the state it was shown in). PostgreSQL crawls without going back."""
    if db.engine.dialect.name != "sqlite":
        return None
    live = db.engine.url.database
    saved = str(Path(folder) / "crawl-snapshot.sqlite3")

    def copy(source: str, target: str) -> None:
        # The backup API writes through SQLite's own locking, safe beside open connections.
        db.session.remove()
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
            src.backup(dst)

    copy(live, saved)
    return lambda: copy(saved, live)


def _login(client, username: str, password: str) -> None:
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"demo login {username} refused"


@pytest.mark.parametrize(("username", "password"), [(u, p) for u, p, _label in LOGINS],
                         ids=[u for u, _p, _label in LOGINS])
def test_every_link_and_form_of_the_demo_answers_without_a_server_error(
        demo, username, password):
    demo.test_client_class = Client
    client = demo.test_client()
    _login(client, username, password)
    crawl = Crawl(client, relogin=lambda: _login(client, username, password),
                  restore=_snapshot(demo.instance_path)).run()
    assert crawl.failures == [], "\n".join(crawl.failures)
    # The crawl really went through the application (not stopped at the login page).
    assert crawl.requests > 20, crawl.seen
    assert any(key.startswith("POST ") for key in crawl.seen), crawl.seen
