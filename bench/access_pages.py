"""Speed of the DG queue and the IT registry with 2,000 people and 20,000 requests.

Prints figures (not a test):
- SQL statements per page for page sizes 10, 50 and 200 (counted by an engine listener):
  they must not grow with the page size;
- median render time of each page next to a bare Flask page that renders the same template
  from in-memory objects (no data access), measured side by side in one run: the ratio must
  stay under 3. The bare page is timed twice: for an anonymous visitor (nothing but Flask and
  Jinja) and for the same logged-in user (the login-session check every page pays, 5 SQL
  statements, and the menu), so the figures show what the page's own data costs.

    .venv/bin/python bench/access_pages.py [--database-url URL] [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import render_template  # noqa: E402
from sqlalchemy import event, insert, text  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.access_requests.models import AccessItem, AccessRequest, Platform  # noqa: E402
from hr_social.auth.passwords import hash_password  # noqa: E402
from hr_social.db import db, utcnow  # noqa: E402
from hr_social.people.models import Person, Service, User, UserRole  # noqa: E402
from hr_social.permissions import public  # noqa: E402
from hr_social.web.pagination import Page  # noqa: E402

PEOPLE, REQUESTS, PLATFORMS, SERVICES = 2000, 20000, 10, 20
PAGE_SIZES = (10, 50, 200)
PASSWORD = "banc-d-essai-mot-de-passe"


def seed() -> None:
    now = utcnow()
    db.session.execute(insert(Service), [
        {"id": s + 1, "code": f"S{s:02d}", "name": f"Service {s:02d}"} for s in range(SERVICES)])
    db.session.execute(insert(Platform), [
        {"id": p + 1, "name": f"Plateforme {p}", "category": "social",
         "address_pattern": f"*.site{p}.example"} for p in range(PLATFORMS)])
    db.session.execute(insert(Person), [
        {"id": i + 1, "employee_number": f"E{i:05d}", "first_name": f"Prénom{i}",
         "last_name": f"Nom{i}", "email": f"p{i}@ville.test", "service_id": i % SERVICES + 1,
         "job_title": "Agent·e"} for i in range(PEOPLE)])
    hashed = hash_password(PASSWORD)
    db.session.execute(insert(User), [
        {"id": i + 1, "username": f"u{i}", "password_hash": hashed, "person_id": i + 1}
        for i in range(PEOPLE)])
    db.session.execute(insert(UserRole), [
        {"user_id": i + 1, "role": "employee"} for i in range(PEOPLE)]
        + [{"user_id": 1, "role": "dg"}])
    requests, items = [], []
    for r in range(REQUESTS):
        person = r % PEOPLE + 1
        submitted = r < 5000 and person != 1  # ~5,000 waiting in the queue
        at = now - dt.timedelta(days=REQUESTS - r)
        requests.append({
            "id": r + 1, "requester_id": person, "purpose": "Usage du banc d'essai",
            "on_workstation": True, "state": "submitted" if submitted else "decided",
            "version": 2, "submitted_at": at, "created_at": at, "updated_at": at,
            "decided_at": None if submitted else at, "decided_by_id": None if submitted else 1,
            "outcome": None if submitted else "granted",
        })
        # Open items: a person's waiting requests are for distinct platforms (r // PEOPLE).
        for n in range(1 + r % 2):
            platform = (r // PEOPLE + n * 5) % PLATFORMS + 1
            items.append({
                "request_id": r + 1, "platform_id": platform, "person_id": person,
                "is_open": submitted, "version": 1,
                "state": "pending" if submitted else "granted",
                "granted_at": None if submitted else at,
                "review_on": None if submitted else dt.date.today() + dt.timedelta(days=r % 400),
            })
    db.session.execute(insert(AccessRequest), requests)
    db.session.execute(insert(AccessItem), items)
    db.session.commit()


def fake_queue_context(size: int):
    service = SimpleNamespace(id=1, name="Service 01")
    platform = SimpleNamespace(id=1, name="Plateforme 1")
    rows = [{"id": i, "flagged_at": None, "submitted_at": utcnow(),
             "requester_name": f"Prénom{i} Nom{i}", "job_title": "Agent·e",
             "service_name": "Service 01", "roles": "employee", "platforms": "Plateforme 1",
             "past": 3} for i in range(size)]
    return dict(page=Page(rows, 1, size, 5000), args={},
                platforms=[platform] * PLATFORMS, services=[service] * SERVICES)


def fake_registry_context(size: int):
    service = SimpleNamespace(id=1, name="Service 01")
    platform = SimpleNamespace(id=1, name="Plateforme 1")
    rows = [{"id": i, "person_name": f"Nom{i}, Prénom{i}", "service_name": "Service 01",
             "platform_name": "Plateforme 1", "granted_at": utcnow(),
             "review_on": dt.date.today(), "conditions": None, "state_label": "Accordé",
             "review_reason": None} for i in range(size)]
    return dict(page=Page(rows, 1, size, 15000), args={}, states={
        "granted": "Accordé", "restricted": "Accordé avec restrictions"},
        platforms=[platform] * PLATFORMS, services=[service] * SERVICES)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-access-"))
    url = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "ARGON2_TIME_COST": 1,
                      "ARGON2_MEMORY_KIB": 1024, "ARGON2_PARALLELISM": 1})
    app.instance_path = str(folder)

    # The bare page: same template, in-memory objects, no data access at all.
    @app.get("/bench/bare/<name>/<int:size>")
    @public
    def bare(name: str, size: int):
        context = fake_queue_context(size) if name == "queue" else fake_registry_context(size)
        return render_template(f"access_requests/{name}.html", **context)

    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        started = time.perf_counter()
        seed()
        if url.startswith("postgresql"):
            # As autovacuum does in production: planner statistics and the visibility map
            # (without them the registry sorts every grant instead of walking its key).
            with db.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        print(f"Données : {PEOPLE} personnes, {REQUESTS} demandes "
              f"({time.perf_counter() - started:.1f} s de préparation), base {url.split(':')[0]}")

        engine = db.engine
        db.session.remove()

    # Requests run in their own app context (as in production), none held open here.
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args, **kw: statements.append(1))
    if True:
        client = app.test_client()
        response = client.post("/login", data={"username": "u0", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        bare_client = app.test_client()

        print(f"{'page':<10}{'taille':>7}{'requêtes SQL':>14}{'page (ms)':>11}"
              f"{'nue anon.':>11}{'rapport':>9}{'nue conn.':>11}{'rapport':>9}")
        for name, path in (("queue", "/access-requests/queue"),
                           ("registry", "/access-requests/registry")):
            for size in PAGE_SIZES:
                app.config["PAGE_SIZE"] = size
                statements.clear()
                page = client.get(path)
                assert page.status_code == 200, (page.status_code, page.headers.get("Location"))
                count = len(statements)
                real, plain, plain_logged = [], [], []
                for _ in range(options.repeat):  # side by side, interleaved
                    t0 = time.perf_counter()
                    client.get(path)
                    t1 = time.perf_counter()
                    assert bare_client.get(f"/bench/bare/{name}/{size}").status_code == 200
                    t2 = time.perf_counter()
                    assert client.get(f"/bench/bare/{name}/{size}").status_code == 200
                    t3 = time.perf_counter()
                    real.append(t1 - t0)
                    plain.append(t2 - t1)
                    plain_logged.append(t3 - t2)
                r, p, q = (statistics.median(v) * 1000 for v in (real, plain, plain_logged))
                print(f"{name:<10}{size:>7}{count:>14}{r:>11.1f}{p:>11.1f}{r / p:>9.2f}"
                      f"{q:>11.1f}{r / q:>9.2f}")


if __name__ == "__main__":
    main()
