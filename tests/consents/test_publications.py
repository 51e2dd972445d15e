"""The publication gate, withdrawals and their take-downs, the dashboard and HR's e-mail."""

from __future__ import annotations

import datetime as dt
import html

from sqlalchemy import select, update

from hr_social.consents import publications as pubs
from hr_social.consents import services as ops
from hr_social.consents.models import Publication, TakeDown
from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail
from tests.consents.conftest import count, days


def post(client, world, consents, channel=None, people="Jeanne Côté-Émond", day=None, **extra):
    data = {"channel": channel or f"account:{world['account'].id}",
            "published_on": (day or days(0)).isoformat(),
            "url": "https://www.facebook.com/natation-test/posts/1",
            "media_description": "Photo des bains libres",
            "consent_ids": ", ".join(str(c.id) for c in consents), "people": people, **extra}
    return client.submit("/consents/publications/new", data=data)


def test_the_gate_refuses_a_channel_the_consent_does_not_cover(world, new_consent, login_as):
    consent = new_consent()
    client = login_as(user=world["other"])
    response = post(client, world, [consent], channel=f"account:{world['other_account'].id}")
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert f"Le consentement n° {consent.id} ne couvre pas le canal « Bibliothèque " \
           "(Facebook) »" in text
    assert 'id="gate-missing"' in response.text
    assert count(Publication) == 0


def test_the_gate_refuses_a_date_outside_the_validity(world, new_consent, login_as):
    consent = new_consent(valid_from=days(-30), valid_until=days(-20))
    response = post(login_as(user=world["other"]), world, [consent], day=days(-2))
    assert response.status_code == 422
    assert "ne couvre pas la date du" in html.unescape(response.text)
    assert count(Publication) == 0


def test_the_gate_names_an_identifiable_person_without_consent(world, new_consent, login_as):
    consent = new_consent()
    response = post(login_as(user=world["other"]), world, [consent],
                    people="Jeanne Côté-Émond\nPaul Gagnon")
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "La personne identifiable « Paul Gagnon » n'a pas de consentement valide" in text
    assert "Jeanne" not in text.split('id="gate-missing"')[1].split("</ul>")[0]
    assert count(Publication) == 0


def test_unsigned_withdrawn_and_unknown_consents_are_refused(world, new_consent):
    unsigned = new_consent(sign=False)
    withdrawn = new_consent(person_name="Marc Roy")
    ops.withdraw(world["collector"], withdrawn, withdrawn_on=days(0), way="phone")
    db.session.commit()
    missing, _, _ = pubs.gate(pubs.PublicationInput(
        channel="website", published_on=days(0), consent_ids=[str(unsigned.id),
                                                              str(withdrawn.id), "99999999999"]))
    assert missing == [f"Le consentement n° {unsigned.id} n'est pas encore signé.",
                       f"Le consentement n° {withdrawn.id} a été retiré le "
                       f"{days(0).isoformat()}.",
                       "Le consentement n° 99999999999 n'existe pas."]


def test_check_only_then_record_a_covered_publication(world, new_consent, login_as):
    consent = new_consent()
    client = login_as(user=world["other"])
    checked = post(client, world, [consent], check="1", people="jeanne cote-emond")
    assert checked.status_code == 200 and "gate-ok" in checked.text
    assert count(Publication) == 0
    response = post(client, world, [consent], save="1", people="jeanne cote-emond")
    assert response.status_code == 302
    publication = db.session.scalars(select(Publication)).one()
    assert publication.people[0].consent_id == consent.id
    assert client.get(f"/consents/publications/{publication.id}").status_code == 200
    assert login_as(user=world["manager"]).get(
        f"/consents/publications/{publication.id}").status_code == 404


def _published(world, consent, recorder=None, day=-1):
    publication = pubs.record_publication(recorder or world["other"], pubs.PublicationInput(
        channel=f"account:{world['account'].id}", published_on=days(day),
        url="https://www.facebook.com/natation-test/posts/9", media_description="Photo",
        consent_ids=[str(consent.id)], people=[consent.person_name]))
    db.session.commit()
    return publication


def test_withdrawal_lists_takedowns_until_each_is_marked_removed(world, new_consent, login_as):
    consent = new_consent()
    publication = _published(world, consent)
    client = login_as(user=world["collector"])
    future = client.submit(f"/consents/{consent.id}/withdraw", data={
        "withdrawn_on": days(3).isoformat(), "way": "email"})
    assert future.status_code == 422
    assert "La date du retrait ne peut pas être dans le futur." in html.unescape(future.text)
    assert count(TakeDown) == 0
    done = client.submit(f"/consents/{consent.id}/withdraw", data={
        "withdrawn_on": days(0).isoformat(), "way": "email"})
    assert done.status_code == 302
    takedown = db.session.scalars(select(TakeDown)).one()
    assert takedown.publication_id == publication.id and takedown.removed_on is None
    comm = login_as(user=world["comm"])
    page = comm.get("/consents/takedowns")
    assert "natation-test/posts/9" in page.text and "Natation VBC" in page.text
    assert login_as(user=world["manager"]).submit(
        f"/consents/takedowns/{takedown.id}/removed",
        data={"removed_on": days(0).isoformat()}).status_code == 404
    assert comm.submit(f"/consents/takedowns/{takedown.id}/removed",
                       data={"removed_on": days(0).isoformat()}).status_code == 302
    db.session.rollback()
    takedown = db.session.get(TakeDown, takedown.id)
    assert takedown.removed_on == days(0) and takedown.removed_by_id == world["comm"].id
    again = comm.submit(f"/consents/takedowns/{takedown.id}/removed",
                        data={"removed_on": days(0).isoformat()})
    assert again.status_code == 422


def test_overdue_takedowns_are_highlighted_carded_and_hr_is_told_once(world, new_consent,
                                                                      login_as):
    consent = new_consent()
    _published(world, consent)
    ops.withdraw(world["comm"], consent, withdrawn_on=days(0), way="letter")
    db.session.commit()
    comm = login_as(user=world["comm"])
    assert "Publications à retirer en retard" not in comm.get("/").text
    assert "Des personnes ont retiré leur consentement" in comm.get("/").text
    assert pubs.notify_overdue() == 0
    db.session.execute(update(TakeDown).values(listed_at=utcnow() - dt.timedelta(days=5)))
    db.session.commit()
    assert 'class="overdue"' in comm.get("/consents/takedowns").text
    assert "Publications à retirer en retard" in comm.get("/").text
    assert pubs.notify_overdue() == 1
    db.session.commit()
    assert pubs.notify_overdue() == 0
    [mail] = db.session.scalars(select(OutgoingEmail)).all()
    assert mail.to_address == "rh@ville.test" and "natation-test/posts/9" in mail.body
    assert "Jeanne" not in mail.body and "Jeanne" not in mail.subject


def test_business_days_skip_the_weekend():
    friday = dt.date(2026, 12, 4)
    assert pubs.business_days_before(dt.date(2026, 12, 8), 2) == friday  # Tuesday
    assert pubs.business_days_before(dt.date(2026, 12, 7), 2) == dt.date(2026, 12, 3)


def test_dashboard_cards_for_communications(world, new_consent, login_as):
    new_consent(valid_until=days(10))
    consent = new_consent(person_name="Autre Personne")
    _published(world, consent, day=0)
    page = login_as(user=world["comm"]).get("/").text
    assert "Consentements qui prennent fin dans 30 jours" in page
    assert "Publications ce mois-ci" in page
    assert "Consentements qui prennent fin" not in login_as(user=world["other"]).get("/").text


def test_remind_command(world, new_consent, app):
    consent = new_consent()
    _published(world, consent)
    ops.withdraw(world["comm"], consent, withdrawn_on=days(0), way="letter")
    db.session.execute(update(TakeDown).values(listed_at=utcnow() - dt.timedelta(days=7)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["consents", "remind"])
    assert "Retraits en retard signalés aux RH : 1." in result.output
