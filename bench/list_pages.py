"""List pages, searches and the dashboard at 10,000 people and 100,000 access requests.

Prints figures (not a test): for each page, the SQL statements it runs and its median time
next to a bare logged-in page (same login check, session and menu, an empty content block),
timed side by side in one run; the ratio must stay at or under 3.

    .venv/bin/python bench/list_pages.py [--database-url URL] [--repeat 40] [--warm 10]
        [--people 10000] [--requests 100000]

Each page is visited ``--warm`` times before it is timed, as in a worker that has served it
before: psycopg prepares a statement at its sixth run, and PostgreSQL keeps one plan for a
prepared statement from its sixth run on (planning a large statement costs 2–3 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import render_template_string  # noqa: E402
from sqlalchemy import event, insert, text  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.access_requests.models import AccessItem, AccessRequest, Platform  # noqa: E402
from hr_social.auth.passwords import hash_password  # noqa: E402
from hr_social.db import db, utcnow  # noqa: E402
from hr_social.people.models import Person, Service, User, UserRole  # noqa: E402
from hr_social.permissions import login_required_any  # noqa: E402

PLATFORMS, SERVICES = 10, 40
PASSWORD = "banc-d-essai-mot-de-passe"
FIRST = ["Émile", "Anne", "Éric", "Zoé", "Ève", "Luc", "Marie", "Hélène", "Jean", "Chloé"]
LAST = ["Bélanger", "Bouchard", "Côté", "Émond", "Eastman", "Gagnon", "Lévesque", "Roy",
        "Tremblay", "Zacharie", "Ouellet", "Pelletier"]
ROLES = ("employee", "manager", "hr", "dg", "admin")
PAGES = [
    ("tableau de bord", "/"),
    ("personnes", "/people/"),
    ("personnes ?q=nom", "/people/?q=belanger"),
    ("personnes ?q=n°", "/people/?q=E00123"),
    ("services", "/services/"),
    ("comptes ?q=nom", "/admin/users/?q=cote"),
    ("demandes", "/access-requests/"),
    ("demandes ?q=nom", "/access-requests/?q=emond"),
    ("file DG", "/access-requests/queue"),
    ("file DG ?q=nom", "/access-requests/queue?q=tremblay"),
    ("registre", "/access-requests/registry"),
    ("registre ?q=nom", "/access-requests/registry?q=gagnon"),
    ("révisions", "/access-requests/reviews"),
]


def seed(people: int, requests_count: int) -> None:
    now = utcnow()
    db.session.execute(insert(Service), [
        {"id": s + 1, "code": f"S{s:02d}", "name": f"Service {s:02d}"} for s in range(SERVICES)])
    db.session.execute(insert(Platform), [
        {"id": p + 1, "name": f"Plateforme {p}", "category": "social"} for p in range(PLATFORMS)])
    db.session.execute(insert(Person), [
        {"id": i + 1, "employee_number": f"E{i:05d}", "first_name": FIRST[i % len(FIRST)],
         "last_name": f"{LAST[i % len(LAST)]}{i}", "email": f"p{i}@ville.test",
         "service_id": i % SERVICES + 1, "manager_id": None if i < 100 else i % 100 + 1,
         "job_title": "Agent·e"} for i in range(people)])
    hashed = hash_password(PASSWORD)
    db.session.execute(insert(User), [
        {"id": i + 1, "username": f"u{i}", "password_hash": hashed, "person_id": i + 1}
        for i in range(people // 2)])
    db.session.execute(insert(UserRole), [
        {"user_id": i + 1, "role": "employee"} for i in range(people // 2)]
        + [{"user_id": 1, "role": r} for r in ROLES[1:]])
    requests, items = [], []
    for r in range(requests_count):
        person = r % people + 1
        submitted = r < requests_count // 4 and person != 1
        at = now - dt.timedelta(minutes=requests_count - r)
        requests.append({
            "id": r + 1, "requester_id": person, "purpose": "Usage du banc d'essai",
            "on_workstation": True, "state": "submitted" if submitted else "decided",
            "version": 2, "submitted_at": at, "created_at": at, "updated_at": at,
            "decided_at": None if submitted else at, "decided_by_id": None if submitted else 1,
            "outcome": None if submitted else "granted"})
        platform = (r // people) % PLATFORMS + 1
        items.append({
            "request_id": r + 1, "platform_id": platform, "person_id": person,
            "is_open": submitted, "version": 1, "state": "pending" if submitted else "granted",
            "granted_at": None if submitted else at,
            "review_on": None if submitted else dt.date.today() + dt.timedelta(days=r % 400)})
    for start in range(0, requests_count, 20000):
        db.session.execute(insert(AccessRequest), requests[start:start + 20000])
        db.session.execute(insert(AccessItem), items[start:start + 20000])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    # 40 pairs: on a shared machine the median of 15 moved a ratio by ±0.3 from run to run.
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100_000)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-lists-"))
    url = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "ARGON2_TIME_COST": 1,
                      "ARGON2_MEMORY_KIB": 1024, "ARGON2_PARALLELISM": 1,
                      "PDF_WARM_AT_START": False,
                      # The second sign-in factor is a login step, not a cost of each page.
                      "TWO_FACTOR_ROLES": ""})
    app.instance_path = str(folder)

    # The bare logged-in page: what every page pays (login check, menu), no data of its own.
    @app.get("/bench/bare")
    @login_required_any
    def bare():
        return render_template_string(
            '{% extends "base.html" %}{% block content %}<p>Bonjour</p>{% endblock %}')

    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        started = time.perf_counter()
        seed(options.people, options.requests)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # As autovacuum / a periodic ANALYZE do in production (planner statistics).
            connection.execute(text("VACUUM ANALYZE" if url.startswith("postgresql")
                                    else "ANALYZE"))
        print(f"Données : {options.people} personnes, {options.requests} demandes "
              f"({time.perf_counter() - started:.1f} s de préparation), "
              f"base {url.split(':')[0]}")
        engine = db.engine
        db.session.remove()

    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args, **kw: statements.append(1))
    client = app.test_client()
    response = client.post("/login", data={"username": "u0", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    client.get("/bench/bare")
    print(f"{'page':<22}{'requêtes SQL':>13}{'page (ms)':>11}{'nue conn. (ms)':>16}"
          f"{'rapport':>9}")
    worst = 0.0
    for name, path in PAGES:
        statements.clear()
        page = client.get(path)
        assert page.status_code == 200, (path, page.status_code, page.headers.get("Location"))
        count = len(statements)
        for _ in range(options.warm):
            client.get(path)
            client.get("/bench/bare")
        real, plain = [], []
        for _ in range(options.repeat):  # side by side, interleaved
            t0 = time.perf_counter()
            client.get(path)
            t1 = time.perf_counter()
            client.get("/bench/bare")
            t2 = time.perf_counter()
            real.append(t1 - t0)
            plain.append(t2 - t1)
        r, p = (statistics.median(v) * 1000 for v in (real, plain))
        worst = max(worst, r / p)
        print(f"{name:<22}{count:>13}{r:>11.1f}{p:>16.1f}{r / p:>9.2f}")
    print(f"Pire rapport : {worst:.2f} (cible ≤ 3)")


if __name__ == "__main__":
    main()
