"""The public verification page: code → who and when; dropped file → same bytes or not."""

import io
import time

from sqlalchemy import select

from hr_social.acknowledgements.models import Acknowledgement
from hr_social.db import db
from hr_social.documents.models import IssuedDocument
from tests.conftest import PASSWORD


def _signed(published, login_as, make_user):
    user = make_user("employee", first_name="Hélène", last_name="Lévesque")
    published()
    client = login_as(user=user)
    ack = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.person_id == user.person_id))
    client.get(f"/acknowledgements/{ack.id}/policy")
    client.submit(f"/acknowledgements/{ack.id}/sign",
                  {"ticked": "y", "typed_name": "Hélène Lévesque", "password": PASSWORD})
    data = client.get(f"/acknowledgements/{ack.id}/signed.pdf").data
    code = db.session.scalar(select(IssuedDocument.code).where(IssuedDocument.kind == "signed"))
    return data, code


def test_a_code_shows_who_and_when_and_the_file_check(app, client, published, login_as,
                                                      make_user):
    app.config["ACK_VERIFY_MIN_SECONDS"] = 0
    data, code = _signed(published, login_as, make_user)
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200 and "Hélène Lévesque" in page.get_data(as_text=True)
    dashed = "-".join(code[i:i + 4] for i in range(0, 12, 4)).lower()
    same = client.post("/verify", data={"code": dashed, "file": (io.BytesIO(data), "a.pdf")},
                       content_type="multipart/form-data")
    assert "identique, octet pour octet" in same.get_data(as_text=True)
    changed = data[:100] + bytes([data[100] ^ 1]) + data[101:]
    other = client.post("/verify", data={"code": code, "file": (io.BytesIO(changed), "a.pdf")},
                        content_type="multipart/form-data")
    assert "est pas identique" in other.get_data(as_text=True), other.get_data(as_text=True)[-1500:]


def test_without_the_code_nothing_is_revealed_in_the_same_time(app, client, published,
                                                               login_as, make_user):
    app.config["ACK_VERIFY_MIN_SECONDS"] = 0.15
    _data, code = _signed(published, login_as, make_user)
    assert "Lévesque" not in client.get("/verify").get_data(as_text=True)
    timings = {}
    for label, value in (("hit", code), ("miss", "ZZZZZZZZZZZZ"), ("short", "abc")):
        started = time.monotonic()
        response = client.get(f"/verify/{value}")
        timings[label] = time.monotonic() - started
        if label != "hit":
            assert response.status_code == 404
            body = response.get_data(as_text=True)
            assert "Introuvable." in body and "Lévesque" not in body
    assert all(0.15 <= t < 0.6 for t in timings.values()), timings


def test_guessing_is_throttled_per_address(app, client):
    app.config.update(ACK_VERIFY_MIN_SECONDS=0, ACK_VERIFY_MAX_ATTEMPTS=3)
    statuses = [client.get(f"/verify/AAAAAAAAAAA{i}").status_code for i in range(5)]
    assert statuses == [404, 404, 404, 429, 429]
    other = client.get("/verify/AAAAAAAAAAAA", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 404  # the counter lives in the database, per address


def test_a_bulk_printed_document_is_compared_with_its_own_copy(app, client, published,
                                                               login_as, make_person):
    """Bulk prints keep the SHA-256 of each document's copy (the document rendered on its
    own): a dropped copy is "identical", anything else "not identical" (the page used to say
    such a document could not be compared)."""
    from hr_social import pdf
    from hr_social.acknowledgements import documents
    from hr_social.jobs.models import Job

    app.config.update(ACK_VERIFY_MIN_SECONDS=0, JOBS_RUNNER="none")
    person = make_person(first_name="Inès", last_name="Gagné")
    campaign = published()
    ack = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.person_id == person.id))
    hr = login_as("hr")
    started = hr.submit("/acknowledgements/print", {"scope": "campaign",
                                                    "campaign_id": campaign.id})
    assert started.status_code == 302
    app.test_cli_runner().invoke(args=["jobs", "work"])
    job = db.session.scalar(select(Job))
    merged = hr.get(f"/jobs/{job.id}/download").data
    issued = db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.subject_type == "acknowledgement", IssuedDocument.subject_id == ack.id))
    with app.test_request_context():
        copy = pdf.html_to_pdf(documents.acknowledgement_html(ack, issued))

    def dropped(data):
        return client.post("/verify", data={"code": issued.code,
                                            "file": (io.BytesIO(data), "a.pdf")},
                           content_type="multipart/form-data").get_data(as_text=True)

    same = dropped(copy)
    assert "Inès Gagné" in same and "imprimé pour être signé sur papier" in same
    assert "identique, octet pour octet" in same and "impression en lot" not in same
    assert "est pas identique" in dropped(merged)  # the whole batch is not this document
    assert "est pas identique" in dropped(copy[:-10] + b"%%EOF\n" + copy[-4:])

    printed = hr.post(f"/acknowledgements/{ack.id}/print", data={"submission_key": "p1"}).data
    one_code = db.session.scalar(select(IssuedDocument.code).where(
        IssuedDocument.subject_id == ack.id, IssuedDocument.code != issued.code))
    alone = client.post("/verify", data={"code": one_code,
                                         "file": (io.BytesIO(printed), "a.pdf")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "identique, octet pour octet" in alone


def test_a_document_without_a_kept_hash_says_it_cannot_be_compared(app, client, published,
                                                                   make_person):
    """Bulk prints issued before migration 0005 kept no hash: a dropped file is neither
    'same' nor 'different', and the page says so."""
    from hr_social.acknowledgements import documents

    app.config["ACK_VERIFY_MIN_SECONDS"] = 0
    person = make_person(first_name="Inès", last_name="Gagné")
    published()
    ack = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.person_id == person.id))
    code = documents.issue(ack, "printed").code  # as bulk prints were issued before 0005
    db.session.commit()
    page = client.post("/verify", data={"code": code, "file": (io.BytesIO(b"%PDF-1.7"), "a.pdf")},
                       content_type="multipart/form-data")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Inès Gagné" in body
    assert "impression en lot" in body and "est pas identique" not in body
    assert "identique, octet pour octet" not in body


def test_the_daily_cron_forgets_old_verification_look_ups(app, client):
    """The look-ups table only serves the throttling window; it used to grow forever."""
    import datetime as dt

    from hr_social.db import utcnow
    from hr_social.documents.models import VerificationAttempt

    app.config["ACK_VERIFY_MIN_SECONDS"] = 0
    db.session.add(VerificationAttempt(address="10.0.0.1", found=False,
                                       at=utcnow() - dt.timedelta(days=3)))
    db.session.commit()
    client.get("/verify/AAAAAAAAAAAA")  # today's look-up stays (throttling)
    output = app.test_cli_runner().invoke(args=["acknowledgements", "remind"]).output
    assert "1 trace(s) de vérification effacée(s)" in output
    assert db.session.scalars(select(VerificationAttempt.address)).all() == ["127.0.0.1"]


def test_over_the_limit_a_real_code_looks_exactly_like_a_wrong_one(app, client, published,
                                                                  login_as, make_user):
    app.config.update(ACK_VERIFY_MIN_SECONDS=0, ACK_VERIFY_MAX_ATTEMPTS=2)
    _data, code = _signed(published, login_as, make_user)
    for _ in range(2):
        client.get("/verify/ZZZZZZZZZZZZ")
    hit, miss = client.get(f"/verify/{code}"), client.get("/verify/YYYYYYYYYYYY")
    assert hit.status_code == miss.status_code == 429
    assert "Lévesque" not in hit.get_data(as_text=True)
    assert hit.get_data(as_text=True).replace(code, "") == \
        miss.get_data(as_text=True).replace("YYYYYYYYYYYY", "")
