"""Speed of the communications lists with 2,000 people, 500 official accounts (1,000
administrators), 10,000 logo requests and 5,000 account-change requests.

Prints figures (not a test): SQL statements per page for page sizes 10, 50 and 200 (they
must not grow with the page size) and the median time of each page.

    .venv/bin/python bench/communications_pages.py [--database-url URL] [--repeat 15]
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

from sqlalchemy import event, insert, text  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.access_requests.models import Platform  # noqa: E402
from hr_social.auth.passwords import hash_password  # noqa: E402
from hr_social.communications.models import (  # noqa: E402
    AccountAdministrator,
    AccountChangeRequest,
    LogoAuthorization,
    OfficialAccount,
)
from hr_social.db import db, utcnow  # noqa: E402
from hr_social.people.models import Person, Service, User, UserRole  # noqa: E402

PEOPLE, SERVICES, PLATFORMS, ACCOUNTS, LOGOS, CHANGES = 2000, 20, 10, 500, 10000, 5000
PAGE_SIZES = (10, 50, 200)
PASSWORD = "banc-d-essai-mot-de-passe"
LOGO_STATES = ("submitted", "authorized", "refused", "changes_requested", "escalated")
CHANGE_STATES = ("submitted", "approved", "done", "refused")


def seed() -> None:
    now, today = utcnow(), dt.date.today()
    db.session.execute(insert(Service), [
        {"id": s + 1, "code": f"S{s:02d}", "name": f"Service {s:02d}"} for s in range(SERVICES)])
    db.session.execute(insert(Platform), [
        {"id": p + 1, "name": f"Plateforme {p}", "category": "social"} for p in range(PLATFORMS)])
    db.session.execute(insert(Person), [
        {"id": i + 1, "employee_number": f"E{i:05d}", "first_name": f"Prénom{i}",
         "last_name": f"Nom{i}", "email": f"p{i}@ville.test", "service_id": i % SERVICES + 1,
         "is_active": i % 50 != 7, "departed_on": today if i % 50 == 7 else None}
        for i in range(PEOPLE)])
    db.session.execute(insert(User), [{"id": 1, "username": "u0", "person_id": 1,
                                       "password_hash": hash_password(PASSWORD)}])
    db.session.execute(insert(UserRole), [{"user_id": 1, "role": "employee"},
                                          {"user_id": 1, "role": "communications"}])
    db.session.execute(insert(OfficialAccount), [
        {"id": a + 1, "platform_id": a % PLATFORMS + 1, "display_name": f"Compte {a}",
         "url": f"https://www.site.example/compte-{a}", "managing_service_id": a % SERVICES + 1,
         "status": ("active", "dormant", "closed")[a % 3]} for a in range(ACCOUNTS)])
    db.session.execute(insert(AccountAdministrator), [
        {"account_id": a // 2 + 1, "person_id": (a * 37) % PEOPLE + 1, "added_at": now}
        for a in range(ACCOUNTS * 2)])
    db.session.execute(insert(LogoAuthorization), [
        {"id": r + 1, "requester_id": r % PEOPLE + 1, "state": LOGO_STATES[r % 5], "version": 2,
         "purpose": f"Affiche {r}", "medium": "official_account" if r % 2 else "printed",
         "account_id": r % ACCOUNTS + 1 if r % 2 else None,
         "medium_detail": None if r % 2 else "Affiche", "audience": "Citoyens",
         "starts_on": today, "ends_on": today + dt.timedelta(days=r % 300 + 1),
         "valid_until": today + dt.timedelta(days=r % 300 + 1) if r % 5 == 1 else None,
         "decided_at": now if r % 5 in (1, 2) else None,
         "decided_by_id": 1 if r % 5 in (1, 2) else None,
         "decision_note": "Motif" if r % 5 == 2 else None,
         "submitted_at": now, "created_at": now, "updated_at": now} for r in range(LOGOS)])
    db.session.execute(insert(AccountChangeRequest), [
        {"id": r + 1, "requester_id": r % PEOPLE + 1, "state": CHANGE_STATES[r % 4],
         "version": 2, "account_id": r % ACCOUNTS + 1, "kind": "description",
         "proposed_text": f"Texte {r}", "decided_by_id": 1 if r % 4 else None,
         "decision_note": "Motif" if r % 4 == 3 else None,
         "submitted_at": now, "created_at": now, "updated_at": now} for r in range(CHANGES)])
    db.session.commit()


PAGES = (("comptes", "/communications/accounts"),
         ("public", "/communications/official?q=compte"),
         ("logo", "/communications/logo/"),
         ("en vigueur", "/communications/authorizations"),
         ("modifs", "/communications/changes/"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=15)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-communications-"))
    url = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "ARGON2_TIME_COST": 1,
                      "ARGON2_MEMORY_KIB": 1024, "ARGON2_PARALLELISM": 1})
    app.instance_path = str(folder)
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        started = time.perf_counter()
        seed()
        print(f"Données : {PEOPLE} personnes, {ACCOUNTS} comptes, {LOGOS} demandes de logo, "
              f"{CHANGES} modifications ({time.perf_counter() - started:.1f} s), "
              f"base {url.split(':')[0]}")
        engine = db.engine
        db.session.remove()

    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args, **kw: statements.append(1))
    client = app.test_client()
    assert client.post("/login", data={"username": "u0", "password": PASSWORD}).status_code == 302
    print(f"{'page':<12}{'taille':>7}{'requêtes SQL':>14}{'médiane (ms)':>14}")
    for name, path in PAGES:
        for size in PAGE_SIZES:
            app.config["PAGE_SIZE"] = size
            statements.clear()
            assert client.get(path).status_code == 200
            count = len(statements)
            times = []
            for _ in range(options.repeat):
                t0 = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - t0)
            print(f"{name:<12}{size:>7}{count:>14}{statistics.median(times) * 1000:>14.1f}")


if __name__ == "__main__":
    main()
