"""Submitting one access request while a campaign of 300 people has just been published.

Publishing a policy queues one e-mail per person (300 here). The next request that commits
mail used to deliver the whole queue before answering (one .eml file or SMTP message each);
now delivery runs in the jobs runner after the commit and the request answers at once.

Prints, for each mode, the median and worst time of POST /access-requests/new (submit), the
.eml files written in the outbox while the request ran, and the machine's load (`uptime`):
- ``background`` (what the application does): delivery handed to the jobs runner;
- ``inline`` (the former behaviour, for comparison): the queue delivered inside the request.
Target: background under 300 ms.

    .venv/bin/python bench/submit_request.py [--database-url URL] [--repeat 15] [--people 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.access_requests.models import Platform  # noqa: E402
from hr_social.acknowledgements import policy_services  # noqa: E402
from hr_social.auth.passwords import hash_password  # noqa: E402
from hr_social.db import db  # noqa: E402
from hr_social.mail.services import deliver_queued, outbox_dir  # noqa: E402
from hr_social.people.models import Person, Service, User, UserRole  # noqa: E402

PASSWORD = "banc-d-essai-mot-de-passe"


def seed(people: int) -> None:
    db.session.execute(insert(Service), [{"id": 1, "code": "S01", "name": "Service 01"}])
    db.session.execute(insert(Platform), [{"id": 1, "name": "Facebook", "category": "social"}])
    db.session.execute(insert(Person), [
        {"id": i + 1, "employee_number": f"E{i:05d}", "first_name": f"Prénom{i}",
         "last_name": f"Nom{i}", "email": f"p{i}@ville.test", "service_id": 1,
         "job_title": "Agent·e"} for i in range(people)])
    hashed = hash_password(PASSWORD)
    db.session.execute(insert(User), [
        {"id": i + 1, "username": f"u{i}", "password_hash": hashed, "person_id": i + 1}
        for i in range(people)])
    roles = [{"user_id": i + 1, "role": "employee"} for i in range(people)]
    roles += [{"user_id": 2, "role": "dg"}, {"user_id": 3, "role": "hr"}]
    db.session.execute(insert(UserRole), roles)
    db.session.commit()


def publish_campaign(round_number: int) -> None:
    """A published policy: one acknowledgement and one queued e-mail per person."""
    hr = db.session.get(User, 3)
    version = policy_services.create_version(
        hr, title="Politique (banc d'essai)", version_label=f"1.{round_number}",
        effective_date=dt.date.today(), body="Texte écrit pour le banc d'essai.")
    policy_services.publish_version(hr, version)
    db.session.commit()


def outbox_files(app) -> int:
    with app.app_context():
        folder = outbox_dir()
        return len(list(folder.glob("*.eml"))) if folder.exists() else 0


def run(url: str, folder: Path, mode: str, people: int, repeat: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "ARGON2_TIME_COST": 1,
                      "ARGON2_MEMORY_KIB": 1024, "ARGON2_PARALLELISM": 1,
                      "PDF_WARM_AT_START": False, "SMTP_HOST": "",
                      "MAIL_DELIVERY": "background" if mode == "background" else "cron",
                      "TWO_FACTOR_ROLES": ""})
    app.instance_path = str(folder / mode)
    if mode == "inline":  # the former behaviour: the queue leaves before the answer
        @app.after_request
        def deliver_now(response):
            deliver_queued(limit=10_000)
            db.session.commit()
            return response

    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        seed(people)
        client = app.test_client()
        response = client.post("/login", data={"username": "u0", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        times, files = [], []
        for round_number in range(repeat):
            db.session.remove()
            publish_campaign(round_number)  # 300 e-mails waiting in the queue
            db.session.remove()
            before = outbox_files(app)
            t0 = time.perf_counter()
            response = client.post("/access-requests/new", data={
                "platforms": "1", "purpose": "Répondre aux citoyens (banc d'essai).",
                "on_workstation": "y", "submit_request": "1",
                "submission_key": secrets.token_urlsafe(16)})
            times.append(time.perf_counter() - t0)
            files.append(outbox_files(app) - before)
            assert response.status_code == 302, response.status_code
            # next round: a fresh campaign with its own queue
            with app.app_context():
                deliver_queued(limit=10_000)
                db.session.commit()
        median, worst = statistics.median(times) * 1000, max(times) * 1000
        print(f"{mode:<11}{median:>12.1f}{worst:>12.1f}{statistics.median(files):>16.0f}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--modes", default="background,inline")
    options = parser.parse_args()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(f"Soumission d'une demande, campagne de {options.people} personnes publiée juste avant "
          f"({options.people} courriels en file)")
    print(f"{'mode':<11}{'médiane ms':>12}{'pire ms':>12}{'.eml pendant':>16}")
    for mode in options.modes.split(","):
        folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
        url = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        run(url, folder, mode, options.people, options.repeat)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
