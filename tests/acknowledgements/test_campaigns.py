"""HR follows a campaign: completion by service, reminders, paper signatures, refusals."""

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from hr_social.acknowledgements import policy_services, services
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign
from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _ack(person):
    return db.session.scalar(select(Acknowledgement).where(Acknowledgement.person_id == person.id))


def test_completion_by_service_and_who_has_not_signed(published, login_as, make_person,
                                                       make_service):
    roads, library = make_service("Travaux publics"), make_service("Bibliothèque")
    signed = make_person(last_name="Audet", service=roads)
    waiting = make_person(last_name="Bouchard", service=roads)
    make_person(last_name="Cloutier", service=library)
    client = login_as("hr", service=library)
    campaign = published()
    response = client.submit(f"/acknowledgements/{_ack(signed).id}/paper",
                             {"signed_on": "2026-01-06", "scan": (io.BytesIO(PNG), "scan.png")},
                             content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/acknowledgements/campaigns/{campaign.id}").get_data(as_text=True)
    assert "<svg" in page and "Travaux publics" in page and "50 %" in page
    assert "Bouchard" in page and "Audet" not in page.split("<h2>Personnes</h2>")[1]
    filtered = client.get(f"/acknowledgements/campaigns/{campaign.id}?status=signed_paper&q=aud")
    assert "Audet" in filtered.get_data(as_text=True)
    rows = {r["service"]: r for r in policy_services.completion_by_service(campaign)}
    assert rows["Travaux publics"] == {"service": "Travaux publics", "total": 2, "signed": 1,
                                       "refused": 0, "pending": 1, "percent": 50,
                                       "service_id": roads.id, "offline": 1}
    assert rows["Bibliothèque"]["total"] == 2 and waiting.id


def test_paper_signature_needs_a_scan_checked_by_content(published, login_as, make_person):
    person = make_person()
    published()
    client = login_as("hr")
    ack = _ack(person)
    bad = client.submit(f"/acknowledgements/{ack.id}/paper",
                        {"signed_on": "2026-01-06", "scan": (io.BytesIO(b"MZ\x90"), "a.pdf")},
                        content_type="multipart/form-data", follow_redirects=True)
    assert "Format de fichier refusé" in bad.get_data(as_text=True)
    assert _ack(person).status == AckStatus.pending
    missing = client.submit(f"/acknowledgements/{ack.id}/paper", {"signed_on": "2026-01-06"},
                            follow_redirects=True)
    assert "Joignez la copie numérisée" in missing.get_data(as_text=True)
    future = client.submit(f"/acknowledgements/{ack.id}/paper",
                           {"signed_on": "2999-01-01", "scan": (io.BytesIO(PNG), "a.png")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "futur" in future.get_data(as_text=True)
    client.submit(f"/acknowledgements/{ack.id}/paper",
                  {"signed_on": "2026-01-06", "scan": (io.BytesIO(PNG), "a.png")},
                  content_type="multipart/form-data")
    ack = _ack(person)
    assert ack.status == AckStatus.signed_paper and ack.scan.content_type == "image/png"
    assert client.get(f"/acknowledgements/{ack.id}/signed.pdf").data == PNG


def test_a_refusal_is_recorded_with_a_witness_and_followed_up(published, login_as, make_person):
    person = make_person()
    published()
    client = login_as("hr")
    ack = _ack(person)
    client.submit(f"/acknowledgements/{ack.id}/refusal", {"refused_on": "2026-01-07"})
    assert _ack(person).status == AckStatus.pending  # no witness, nothing recorded
    client.submit(f"/acknowledgements/{ack.id}/refusal",
                  {"refused_on": "2026-01-07", "witness": "Luc Pelletier", "note": "Refus"})
    ack = _ack(person)
    assert ack.status == AckStatus.refused and ack.refusal_witness == "Luc Pelletier"
    client.submit(f"/acknowledgements/{ack.id}/follow-up", {"note": "Rencontre prévue"})
    page = client.get(f"/acknowledgements/{ack.id}/manage").get_data(as_text=True)
    assert "Rencontre prévue" in page and "témoin : Luc Pelletier" in page
    again = client.submit(f"/acknowledgements/{ack.id}/refusal",
                          {"refused_on": "2026-01-08", "witness": "X"}, follow_redirects=True)
    assert "Seul un accusé en attente" in again.get_data(as_text=True)


def test_reminders_follow_the_settings_and_are_idempotent(app, published, login_as,
                                                          make_person):
    person = make_person()
    campaign = published()
    client = login_as("hr")
    response = client.submit(f"/acknowledgements/campaigns/{campaign.id}/settings",
                             {"deadline": "2026-02-01", "reminder_count": "2",
                              "reminder_interval_days": "3"})
    assert response.status_code == 302
    bad = client.submit(f"/acknowledgements/campaigns/{campaign.id}/settings",
                        {"reminder_count": "50", "reminder_interval_days": "0"},
                        follow_redirects=True)
    assert "erreurs" in bad.get_data(as_text=True)
    assert db.session.get(Campaign, campaign.id).reminder_count == 2

    runner = app.test_cli_runner()
    assert "0 rappel" in runner.invoke(args=["acknowledgements", "remind"]).output
    later = utcnow() + dt.timedelta(days=4)
    assert policy_services.send_reminders(later) >= 1
    assert policy_services.send_reminders(later) == 0  # run twice: nothing more
    db.session.commit()
    mails = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.to_address == person.email,
        OutgoingEmail.subject.startswith("Rappel"))).all()
    assert len(mails) == 1 and "2026-02-01" in mails[0].body
    assert f"/acknowledgements/{_ack(person).id}/policy" in mails[0].body
    assert policy_services.send_reminders(later + dt.timedelta(days=1)) == 0  # interval not over
    assert policy_services.send_reminders(later + dt.timedelta(days=4)) >= 1
    assert policy_services.send_reminders(later + dt.timedelta(days=30)) == 0  # count reached


def test_closing_a_campaign(published, login_as, make_person):
    make_person()
    campaign = published()
    client = login_as("hr")
    client.submit(f"/acknowledgements/campaigns/{campaign.id}/close")
    assert db.session.get(Campaign, campaign.id).closed_at is not None
    again = client.submit(f"/acknowledgements/campaigns/{campaign.id}/close",
                          follow_redirects=True)
    assert "déjà fermée" in again.get_data(as_text=True)
    late = client.submit(f"/acknowledgements/campaigns/{campaign.id}/settings",
                         {"reminder_count": "1", "reminder_interval_days": "2"},
                         follow_redirects=True)
    assert "fermée" in late.get_data(as_text=True)
    assert policy_services.send_reminders(utcnow() + dt.timedelta(days=60)) == 0


def test_hr_prints_one_acknowledgement_to_sign_on_paper(published, login_as, make_person):
    person = make_person(first_name="Zoé")
    published()
    client = login_as("hr")
    ack = _ack(person)
    response = client.post(f"/acknowledgements/{ack.id}/print", data={"submission_key": "k1"})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Zoé" in text and "Code de vérification" in text
    again = client.post(f"/acknowledgements/{ack.id}/print", data={"submission_key": "k1"})
    assert again.status_code == 422  # a double click prints once: the refusal, a link back
    text = again.get_data(as_text=True)
    assert "déjà été envoyé" in text and f"/acknowledgements/{ack.id}/manage" in text


def test_dashboard_card_for_a_pending_acknowledgement(published, login_as, make_user):
    user = make_user("employee")
    published()
    page = login_as(user=user).get("/").get_data(as_text=True)
    assert "Politique à signer" in page


def test_the_demo_loads_a_summary_written_for_the_demo(app, make_user):
    import random

    from hr_social.acknowledgements.demo import seed_policy
    from hr_social.acknowledgements.models import PolicyVersion
    from hr_social.demo import DemoContext

    seed = Path(__file__).resolve().parents[1] / "data" / "politique-medias-sociaux.txt"
    seed_policy(DemoContext(rng=random.Random(1), users={"hr": make_user("hr")}))
    db.session.commit()
    version = PolicyVersion.current()
    assert version.is_published and version.campaign is not None
    assert [s.number for s in version.sections][:3] == ["1", "2", "3"]
    # No sentence of the real policy in the demo.
    real = {line.strip() for line in seed.read_text(encoding="utf-8").splitlines()
            if len(line.strip()) > 40}
    assert real and not any(line in version.body for line in real)


def test_a_signed_acknowledgement_is_not_printed_again_for_signature(published, login_as,
                                                                      make_person):
    """Printing used to issue a fresh unsigned copy (and verification code) for someone
    who had already signed."""
    from hr_social.documents.models import IssuedDocument

    person = make_person()
    published()
    client = login_as("hr")
    ack = _ack(person)
    client.submit(f"/acknowledgements/{ack.id}/paper",
                  {"signed_on": "2026-01-06", "scan": (io.BytesIO(PNG), "a.png")},
                  content_type="multipart/form-data")
    response = client.submit(f"/acknowledgements/{ack.id}/print", {}, follow_redirects=True)
    assert "déjà signé" in response.get_data(as_text=True)
    assert not response.data.startswith(b"%PDF")
    assert db.session.scalar(select(IssuedDocument.id)) is None


def test_refusal_dates_and_follow_ups_are_checked_in_the_service(published, login_as,
                                                                 make_person, make_user):
    person = make_person()
    published()
    client = login_as("hr")
    ack = _ack(person)
    future = client.submit(f"/acknowledgements/{ack.id}/refusal",
                           {"refused_on": "2999-01-07", "witness": "Luc Pelletier"},
                           follow_redirects=True)
    assert "futur" in future.get_data(as_text=True)
    assert _ack(person).status == AckStatus.pending
    services.record_refusal(make_user("hr"), _ack(person), refused_on=dt.date(2026, 1, 7),
                            witness="Luc Pelletier", note="")
    employee = make_user("employee")
    try:
        services.record_follow_up(employee, _ack(person), note="Je classe le dossier")
    except services.AcknowledgementError as error:
        assert "Ressources humaines" in str(error)
    else:
        raise AssertionError("a non-HR user followed up a refusal")
    assert _ack(person).follow_up_note is None


def test_no_reminder_to_sign_a_version_that_is_no_longer_in_force(published, make_user,
                                                                  login_as):
    """Signing an older version is refused, yet its open campaign kept sending reminders
    (and showing a dashboard card) asking people to sign it."""
    user = make_user("employee")
    old = published("v1")
    published("v2")
    later = utcnow() + dt.timedelta(days=8)
    policy_services.send_reminders(later)
    db.session.commit()
    reminded = db.session.scalars(select(OutgoingEmail.body).where(
        OutgoingEmail.to_address == user.person.email,
        OutgoingEmail.subject.startswith("Rappel"))).all()
    v1 = db.session.scalar(select(Acknowledgement.id).where(
        Acknowledgement.person_id == user.person_id, Acknowledgement.campaign_id == old.id))
    assert len(reminded) == 1 and f"/acknowledgements/{v1}/policy" not in reminded[0]
    client = login_as(user=user)
    page = client.get("/").get_data(as_text=True)
    # One item on the home, for the version in force only.
    v2 = db.session.scalar(select(Acknowledgement.id).where(
        Acknowledgement.person_id == user.person_id, Acknowledgement.campaign_id != old.id))
    assert page.count("Politique à signer") == 1
    assert f"/acknowledgements/{v2}/policy" in page and f"/acknowledgements/{v1}/" not in page
    mine = client.get("/acknowledgements/").get_data(as_text=True)
    assert mine.count("Lire la politique") == 1 and "a été remplacée" in mine


def test_people_who_left_before_signing_are_no_longer_waited_for(published, login_as,
                                                                 make_person, make_service):
    service = make_service("Greffe")
    stays = make_person(last_name="Demeure", service=service)
    left = make_person(last_name="Partie", service=service)
    campaign = published()
    left.is_active, left.departed_on = False, dt.date(2026, 1, 9)
    db.session.commit()
    rows = {r["service"]: r for r in policy_services.completion_by_service(campaign)}
    assert rows["Greffe"]["total"] == 1 and rows["Greffe"]["pending"] == 1
    page = login_as("hr").get(f"/acknowledgements/campaigns/{campaign.id}")
    people = page.get_data(as_text=True).split("<h2>Personnes</h2>")[1]
    assert stays.last_name in people and "Partie" not in people
