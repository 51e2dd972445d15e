"""HR prints acknowledgements in bulk: a job outside the request, with progress."""

import io
import os

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hr_social.db import db
from hr_social.jobs.models import DONE, QUEUED, Job
from hr_social.jobs.runner import run_job

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def _texts(data: bytes) -> list[str]:
    return [p.extract_text().replace("\u00a0", " ").replace("\u202f", " ")
            for p in PdfReader(io.BytesIO(data)).pages]


def _people(make_person, service, names):
    return [make_person(first_name=first, last_name=last, service=service)
            for first, last in names]


def _start(client, **data):
    response = client.submit("/acknowledgements/print", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").split("/")[-1])


def test_bulk_print_of_a_service_in_the_background(app, published, login_as, make_person,
                                                   make_service, monkeypatch):
    import hr_social.jobs.runner as runner

    threads = []
    original = runner.dispatch
    monkeypatch.setattr("hr_social.acknowledgements.policy_views.dispatch",
                        lambda job_id: threads.append(original(job_id)))
    service = make_service("Loisirs")
    _people(make_person, service, [("Éric", "Vézina"), ("Anne", "Bélanger"),
                                   ("Luc", "Côté")])
    make_person(last_name="Ailleurs")
    published()
    client = login_as("hr")
    job_id = _start(client, scope="service", service_id=service.id)
    threads[0].join(timeout=60)

    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["state"] == DONE and status["percent"] == 100 and status["total"] == 3
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "<progress" in page and "js/jobs.js" in page and "<script>" not in page
    data = client.get(status["download"]).data
    pages = _texts(data)
    separators = [t for t in pages if "à remettre" in t]
    assert len(separators) == 1 and "Loisirs" in separators[0]  # the service's first page
    texts = [t for t in pages if t not in separators]
    assert len(texts) == 3  # one sheet per person: letterhead to verification code
    firsts = [t for t in texts if "Page 1 /" in t]
    order = [name for t in firsts for name in ("Bélanger", "Côté", "Vézina") if name in t]
    assert order == ["Bélanger", "Côté", "Vézina"]  # name order, each from its own page 1
    assert not any("Ailleurs" in t for t in pages)
    assert all(f"/ {len(texts) // 3}" in t for t in texts)  # "Page 1 / 1", not "Page 3 / 3"

    other = login_as("hr")
    assert other.get(f"/jobs/{job_id}/status").status_code == 404
    assert other.get(f"/jobs/{job_id}/download").status_code == 404


def test_large_batches_render_in_worker_processes(app, published, login_as, make_person,
                                                  make_service):
    app.config.update(JOBS_RUNNER="none", PDF_GROUP_SIZE=2, PDF_WORKERS=2)
    service = make_service()
    _people(make_person, service, [(f"P{i}", f"Nom{i:02d}") for i in range(5)])
    campaign = published()
    client = login_as("hr", service=make_service())
    job_id = _start(client, scope="campaign", campaign_id=campaign.id)
    assert db.session.get(Job, job_id).state == QUEUED  # nobody ran it yet
    result = app.test_cli_runner().invoke(args=["jobs", "work"])
    assert "1 travail" in result.output
    job = db.session.get(Job, job_id)
    assert job.state == DONE and job.total == 6  # five people and the HR user of published()
    texts = _texts(client.get(f"/jobs/{job_id}/download").data)
    assert sum("Page 1 /" in t for t in texts if "à remettre" not in t) == 6
    assert any("à remettre" in t for t in texts)  # a separator page per service
    assert run_job(job_id) == "skipped"  # a job runs once


def test_with_redis_jobs_go_to_rq_workers(app, published, login_as, make_person, make_service):
    redis = pytest.importorskip("redis")
    from rq import Queue, SimpleWorker

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE_NAME="hr_social_tests")
    queue = Queue("hr_social_tests", connection=connection)
    queue.empty()
    service = make_service()
    _people(make_person, service, [("Rémi", "Dubé")])
    published()
    client = login_as("hr")
    job_id = _start(client, scope="everyone")
    assert db.session.get(Job, job_id).state == QUEUED and queue.count == 1
    SimpleWorker([queue], connection=connection).work(burst=True)
    assert client.get(f"/jobs/{job_id}/status").get_json()["state"] == DONE
    assert any("Dubé" in t for t in _texts(client.get(f"/jobs/{job_id}/download").data))
    queue.empty()


def test_nothing_to_print_and_failed_jobs(app, published, login_as, make_service, monkeypatch):
    published()
    client = login_as("hr")
    empty = make_service("Vide")
    response = client.submit("/acknowledgements/print", {"scope": "service",
                                                         "service_id": empty.id})
    assert response.status_code == 422 and "Personne à imprimer" in response.get_data(True)
    assert db.session.scalar(select(Job)) is None
    app.config["JOBS_RUNNER"] = "none"
    job_id = _start(client, scope="everyone")
    monkeypatch.setattr("hr_social.pdf.render_many_with_copies",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    assert run_job(job_id) == "failed"
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["state"] == "failed" and status["download"] is None
    assert client.get(f"/jobs/{job_id}/download").status_code == 404


def test_the_progress_script_shows_labels_in_the_reader_s_language(app, published, login_as,
                                                                   make_user):
    """jobs.js used to carry its own French labels: an English reader saw French."""
    from pathlib import Path

    published()
    user = make_user("hr")
    user.preferred_locale = "en"
    db.session.commit()
    app.config["JOBS_RUNNER"] = "none"
    client = login_as(user=user)
    page = client.get(f"/jobs/{_start(client, scope='everyone')}").get_data(as_text=True)
    assert 'data-label-failed="The job failed' in page
    script = Path(app.static_folder, "js", "jobs.js").read_text(encoding="utf-8")
    assert "échoué" not in script


def test_a_job_whose_process_died_ends_as_failed(app, published, login_as):
    """A job left "running" by a restarted server used to spin on its page forever."""
    import datetime as dt

    from hr_social.db import utcnow
    from hr_social.jobs.models import RUNNING

    published()
    app.config.update(JOBS_RUNNER="none", JOBS_TIMEOUT_SECONDS=600)
    client = login_as("hr")
    stalled, recent = _start(client, scope="everyone"), _start(client, scope="everyone")
    for job_id, age in ((stalled, 3600), (recent, 60)):
        job = db.session.get(Job, job_id)
        job.state, job.started_at = RUNNING, utcnow() - dt.timedelta(seconds=age)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "work"])
    assert "0 travail" in result.output
    assert client.get(f"/jobs/{stalled}/status").get_json()["state"] == "failed"
    assert client.get(f"/jobs/{recent}/status").get_json()["state"] == RUNNING


def test_an_unknown_campaign_is_refused_and_nothing_starts(app, published, login_as):
    published()
    client = login_as("hr")
    response = client.submit("/acknowledgements/print", {"scope": "campaign",
                                                         "campaign_id": "999999"})
    assert response.status_code == 422  # was 200: an error page that looked like success
    assert db.session.scalar(select(Job)) is None


def test_people_who_left_are_not_printed_with_a_campaign_s_pending(app, published, login_as,
                                                                   make_person, make_service):
    import datetime as dt

    from hr_social.acknowledgements import printing

    service = make_service()
    stays, left = make_person(last_name="Reste", service=service), \
        make_person(last_name="Parti", service=service)
    campaign = published()
    left.is_active, left.departed_on = False, dt.date(2026, 1, 9)
    db.session.commit()
    names = [a.person.last_name for a in db.session.scalars(
        printing.selection("campaign", campaign_id=campaign.id)).unique()]
    assert stays.last_name in names and "Parti" not in names
