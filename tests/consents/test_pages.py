"""Who sees what, the audit of every look at personal details or media, downloads, the
coverage answer, and refused forms (422, French, nothing saved)."""

from __future__ import annotations

import html

from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.consents import services as ops
from hr_social.consents.models import Consent
from hr_social.db import db
from tests.consents.conftest import count, days, jpeg


def views_of(consent) -> int:
    db.session.rollback()
    return len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consent.viewed",
        AuditEvent.target_id == str(consent.id))).all())


def test_communications_hr_and_collector_see_details_others_do_not(world, new_consent,
                                                                   login_as):
    consent = new_consent()
    for key in ("comm", "hr", "collector"):
        page = login_as(user=world[key]).get(f"/consents/{consent.id}")
        assert page.status_code == 200 and "jeanne@exemple.test" in page.text
    for key in ("other", "manager", "dg", "admin"):
        client = login_as(user=world[key])
        assert client.get(f"/consents/{consent.id}").status_code == 404
        assert "Jeanne" not in client.get("/consents/").text
    assert views_of(consent) == 3


def test_the_list_of_consents_is_an_audited_look_at_names(world, new_consent, login_as):
    consent = new_consent()
    page = login_as(user=world["comm"]).get("/consents/")
    assert page.status_code == 200 and "Jeanne" in page.text
    assert views_of(consent) == 1
    login_as(user=world["other"]).get("/consents/")  # sees nobody: nothing to record
    assert views_of(consent) == 1


def test_media_download_is_an_attachment_with_nosniff_and_audited(world, new_consent,
                                                                  login_as):
    consent = new_consent()
    [photo] = ops.media_of(consent)
    url = f"/consents/{consent.id}/files/{photo.id}"
    assert login_as(user=world["other"]).get(url).status_code == 404
    response = login_as(user=world["comm"]).get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data[:3] == b"\xff\xd8\xff"
    assert views_of(consent) == 1


def test_coverage_answer_for_anyone_without_personal_details(world, new_consent, login_as):
    consent = new_consent()
    client = login_as(user=world["other"])
    account = f"account:{world['account'].id}"
    page = client.get(f"/consents/coverage?event=bains&channel={account}")
    assert page.status_code == 200
    assert "Couvert, jusqu'au" in html.unescape(page.text)
    assert "jeanne@exemple.test" not in page.text and "Jeanne" not in page.text
    assert f"/consents/{consent.id}\"" not in page.text
    other = f"account:{world['other_account'].id}"
    page = client.get(f"/consents/coverage?person=jeanne&channel={other}")
    assert "Non couvert (ce canal n'est pas permis)" in html.unescape(page.text)
    assert "Aucun consentement ne correspond" in client.get(
        "/consents/coverage?person=personne-inconnue").text
    assert views_of(consent) == 0


def test_a_minor_without_guardian_posted_gets_422_and_a_french_message(world, login_as):
    client = login_as(user=world["collector"])
    response = client.submit("/consents/new", data={
        "person_name": "Léo Roy", "category": "citizen", "is_minor": "y", "kind": "comment",
        "description": "Commentaire sur le camp de jour", "purpose": "Page du camp",
        "channels": ["website"], "valid_from": days(0).isoformat()})
    assert response.status_code == 422
    assert "mineure ne peut pas consentir seule" in response.text
    assert count(Consent) == 0


def test_recording_in_the_form_then_printing_the_form(world, login_as):
    import io

    client = login_as(user=world["collector"])
    assert client.get("/consents/new").status_code == 200
    response = client.submit("/consents/new", data={
        "person_name": "Émilie Bérubé", "category": "visitor", "contact": "418 555-0199",
        "kind": "photo", "description": "Photo à l'exposition", "purpose": "Page Facebook",
        "channels": [f"account:{world['account'].id}"], "valid_from": days(0).isoformat(),
        "files": (io.BytesIO(jpeg()), "expo.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.text[:500]
    consent = db.session.scalars(select(Consent)).one()
    assert consent.collected_by_id == world["collector"].id and consent.state == "unsigned"
    pdf = client.get(f"/consents/{consent.id}/form.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment")


def test_the_consents_list_shows_own_and_filters(world, new_consent, login_as):
    new_consent(person_name="Alice Morin")
    new_consent(user=world["comm"], person_name="Bruno Paré")
    mine = login_as(user=world["collector"]).get("/consents/").text
    assert "Alice Morin" in mine and "Bruno Paré" not in mine
    everything = login_as(user=world["comm"]).get("/consents/?q=bruno&state=signed&kind=photo")
    assert "Bruno Paré" in everything.text and "Alice Morin" not in everything.text
