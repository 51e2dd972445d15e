"""HR acts on the campaign in force: reminders sent now, paper copies printed from the
campaign, and closing kept apart from saving."""

import datetime as dt
import html
import io

from pypdf import PdfReader
from sqlalchemy import func, select

from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign
from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.jobs.models import DONE, Job
from hr_social.mail.models import OutgoingEmail


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _ack(person):
    return db.session.scalar(select(Acknowledgement).where(Acknowledgement.person_id == person.id))


def _mails_to(person) -> int:
    return db.session.scalar(select(func.count()).select_from(OutgoingEmail).where(
        OutgoingEmail.to_address == person.email,
        OutgoingEmail.subject.like("Rappel%")))


def _reminder_entries():
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "campaign.reminded_now").order_by(AuditEvent.id)).all()


def test_the_menu_leads_to_the_campaign_in_force(published, login_as, app):
    client = login_as("hr")
    empty = client.get("/acknowledgements/campaigns/current")
    assert empty.status_code == 302 and empty.location.endswith("/acknowledgements/policies")
    published("v1")
    second = published("v2")
    response = client.get("/acknowledgements/campaigns/current")
    assert response.location.endswith(f"/acknowledgements/campaigns/{second.id}")
    assert "Campagne en cours" in client.get("/").get_data(as_text=True)
    assert login_as("employee").get("/acknowledgements/campaigns/current").status_code == 403


def test_remind_one_person_a_service_or_everyone_pending(published, login_as, make_person,
                                                          make_service):
    roads, library = make_service("Travaux publics"), make_service("Bibliothèque")
    anne = make_person("Anne", "Audet", service=roads)
    bob = make_person("Bob", "Boucher", service=roads)
    chloe = make_person("Chloé", "Cyr", service=library)
    no_email = make_person("Sans", "Courriel", service=library)
    no_email.email = None
    db.session.commit()
    client = login_as("hr", service=library)
    campaign = published()
    url = f"/acknowledgements/campaigns/{campaign.id}/remind"
    before = db.session.scalar(select(func.count()).select_from(OutgoingEmail))

    one = client.submit(url, {"scope": "person", "ack": _ack(anne).id}, follow_redirects=True)
    assert "Rappel envoyé à 1 personne" in _text(one)
    assert (_mails_to(anne), _mails_to(bob)) == (1, 0)
    # Queued with the change, delivered later by the worker (never inside the request).
    assert db.session.scalar(select(OutgoingEmail.status).where(
        OutgoingEmail.to_address == anne.email, OutgoingEmail.subject.like("Rappel%"))) \
        == "queued"

    service = client.submit(url, {"scope": "service", "service": roads.id},
                            follow_redirects=True)
    text = _text(service)
    assert "Rappel envoyé à 1 personne" in text and "déjà relancée" in text
    assert (_mails_to(anne), _mails_to(bob), _mails_to(chloe)) == (1, 1, 0)

    everyone = client.submit(url, {"scope": "everyone"}, follow_redirects=True)
    assert "sans courriel" in _text(everyone)
    assert _mails_to(chloe) == 1
    counts = [(e.after["scope"], e.after["count"]) for e in _reminder_entries()]
    assert counts[:2] == [("person", 1), ("service", 1)]
    assert counts[2][0] == "everyone" and counts[2][1] >= 1
    assert _reminder_entries()[0].after["person"] == "Anne Audet"
    sent = db.session.scalar(select(func.count()).select_from(OutgoingEmail)) - before
    assert sent == sum(count for _scope, count in counts)


def test_a_reminder_to_someone_with_nothing_to_sign_is_refused(published, login_as,
                                                                make_person):
    person = make_person()
    campaign = published()
    ack = _ack(person)
    ack.status, ack.refused_on, ack.refusal_witness = AckStatus.refused, dt.date(2026, 1, 6), \
        "Témoin"
    db.session.commit()
    client = login_as("hr")
    url = f"/acknowledgements/campaigns/{campaign.id}/remind"
    response = client.submit(url, {"scope": "person", "ack": ack.id})
    assert response.status_code == 422
    assert "n'a plus rien à signer" in _text(response)
    for data in ({"scope": "person", "ack": "99999999999999"}, {"scope": "service"},
                 {"scope": "nimporte"}, {}):
        assert client.submit(url, data).status_code == 422
    assert _mails_to(person) == 0 and not _reminder_entries()
    assert login_as("employee").post(url, data={"scope": "everyone"}).status_code == 403

    client.submit(f"/acknowledgements/campaigns/{campaign.id}/close")
    closed = client.submit(url, {"scope": "everyone"})
    assert closed.status_code == 422 and "fermée" in _text(closed)
    assert not _reminder_entries()


def _pages(data: bytes) -> list[str]:
    return [p.extract_text().replace("\u00a0", " ") for p in PdfReader(io.BytesIO(data)).pages]


def test_paper_copies_from_the_campaign_by_service_then_name_only_still_to_sign(
        app, published, login_as, make_person, make_service):
    from hr_social.jobs.runner import run_job

    app.config.update(JOBS_RUNNER="none")
    roads, library = make_service("Travaux publics"), make_service("Bibliothèque")
    zoe = make_person("Zoé", "Zwicker", service=roads)
    make_person("Yves", "Arsenault", service=roads)
    signed = make_person("Sylvie", "Signée", service=roads)
    refused = make_person("René", "Refus", service=library)
    make_person("Léa", "Morin", service=library)
    hr_user_service = make_service("Ressources humaines")
    client = login_as("hr", service=hr_user_service)
    campaign = published(actor=None)
    _sign_on_paper(client, signed)
    _refuse(client, refused)

    page = client.get(f"/acknowledgements/campaigns/{campaign.id}").get_data(as_text=True)
    assert f"/acknowledgements/campaigns/{campaign.id}/print" in page
    response = client.submit(f"/acknowledgements/campaigns/{campaign.id}/print")
    assert response.status_code == 302
    job_id = int(response.location.rstrip("/").split("/")[-1])
    run_job(job_id)
    job = db.session.get(Job, job_id)
    assert job.state == DONE
    pages = _pages(client.get(f"/jobs/{job_id}/download").data)
    names = ("Morin", "Arsenault", "Zwicker", "Signée", "Refus")
    order = []
    for text in pages:
        if "à remettre" in text:
            order.append("[" + next((s for s in ("Bibliothèque", "Travaux publics")
                                     if s in text), "autre") + "]")
        elif "Page 1 /" in text:
            order.extend(name for name in names if name in text)
    assert order[:2] == ["[Bibliothèque]", "Morin"]  # services in alphabetical order…
    assert order[-3:] == ["[Travaux publics]", "Arsenault", "Zwicker"]  # …then names
    assert "Signée" not in order and "Refus" not in order  # never a blank form for them
    assert zoe.id


def _sign_on_paper(client, person):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.submit(f"/acknowledgements/{_ack(person).id}/paper",
                             {"signed_on": "2026-01-06", "scan": (io.BytesIO(png), "s.png")},
                             content_type="multipart/form-data")
    assert response.status_code == 302


def _refuse(client, person):
    response = client.submit(f"/acknowledgements/{_ack(person).id}/refusal",
                             {"refused_on": "2026-01-06", "witness": "Un témoin"})
    assert response.status_code == 302


def test_nothing_to_print_when_everyone_signed_or_refused(published, login_as, make_person):
    person = make_person()
    hr_user_client = login_as("hr")
    campaign = published()
    for ack in db.session.scalars(select(Acknowledgement)):
        if ack.person_id != person.id:
            ack.status, ack.refused_on, ack.refusal_witness = AckStatus.refused, \
                dt.date(2026, 1, 6), "Témoin"
    db.session.commit()
    _refuse(hr_user_client, person)
    response = hr_user_client.submit(f"/acknowledgements/campaigns/{campaign.id}/print")
    assert response.status_code == 422
    assert "Personne n'a besoin d'une copie papier" in _text(response)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_closing_asks_for_confirmation_on_its_own_page(published, login_as, make_person):
    make_person()
    campaign = published()
    client = login_as("hr")
    page = client.get(f"/acknowledgements/campaigns/{campaign.id}").get_data(as_text=True)
    settings_form = page[page.index("Échéance et rappels automatiques"):]
    settings_form = settings_form[:settings_form.index("</form>")]
    assert "close" not in settings_form  # saving the deadline never closes
    confirm = client.get(f"/acknowledgements/campaigns/{campaign.id}/close")
    text = _text(confirm)
    assert confirm.status_code == 200 and "Oui, fermer la campagne" in text
    assert "n'ont encore ni signé ni refusé" in text
    assert db.session.get(Campaign, campaign.id).closed_at is None  # asking closes nothing
    client.submit(f"/acknowledgements/campaigns/{campaign.id}/close")
    assert db.session.get(Campaign, campaign.id).closed_at is not None
    assert client.get(f"/acknowledgements/campaigns/{campaign.id}/close").status_code == 302
