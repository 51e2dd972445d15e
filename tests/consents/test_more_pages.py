"""Coverage searches by media and date, the paper page's refusals, the publications list and
who reads the audit entries of a consent."""

from __future__ import annotations

import html
import io

import pytest

from hr_social.consents import services as ops
from hr_social.consents.models import Consent
from hr_social.consents.wiring import may_read_consent
from hr_social.db import db
from tests.consents.conftest import PDF, days, jpeg, upload


def test_coverage_by_media_and_by_date(world, new_consent, login_as):
    new_consent(files=[upload(jpeg(), "plongeon-final.jpg")], event_on=days(-3))
    new_consent(sign=False, person_name="Pas Signé", description="Vidéo du défilé",
                kind="video", files=[upload(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40,
                                            "defile.mp4")])
    client = login_as(user=world["manager"])
    page = html.unescape(client.get("/consents/coverage?media=plongeon").text)
    assert "Couvert, jusqu'au" in page and "Site Web de la Ville" in page
    page = html.unescape(client.get(f"/consents/coverage?day={days(-3).isoformat()}"
                                    "&kind=photo").text)
    assert "Couvert" in page
    page = html.unescape(client.get("/consents/coverage?media=défilé").text)
    assert "Non couvert (pas encore signé)" in page
    assert "Indiquez au moins un critère" in client.get("/consents/coverage?day=abc").text


def test_the_paper_page_refuses_a_fake_scan_and_accepts_a_real_one(world, new_consent,
                                                                   login_as):
    consent = new_consent(sign=False)
    client = login_as(user=world["collector"])
    assert client.get(f"/consents/{consent.id}/paper").status_code == 200
    fake = client.submit(f"/consents/{consent.id}/paper", data={
        "signed_on": days(0).isoformat(), "scan": (io.BytesIO(b"MZ\x90 not a pdf"), "scan.pdf")},
        content_type="multipart/form-data")
    assert fake.status_code == 422
    assert "n'est pas ce qu'il prétend être" in html.unescape(fake.text)
    assert db.session.get(Consent, consent.id).state == "unsigned"
    done = client.submit(f"/consents/{consent.id}/paper", data={
        "signed_on": days(0).isoformat(), "scan": (io.BytesIO(PDF), "scan.pdf")},
        content_type="multipart/form-data")
    assert done.status_code == 302
    db.session.rollback()
    assert db.session.get(Consent, consent.id).method == "paper"
    assert client.get(f"/consents/{consent.id}/form.pdf").status_code == 404  # signed


def test_publications_list_and_this_month(world, new_consent, login_as):
    from hr_social.consents import publications as pubs

    consent = new_consent()
    pubs.record_publication(world["other"], pubs.PublicationInput(
        channel="website", published_on=days(0), media_description="Photo",
        consent_ids=[str(consent.id)], people=[]))
    db.session.commit()
    mine = login_as(user=world["other"])
    assert "Site Web de la Ville" in mine.get("/consents/publications?month=current").text
    assert "Aucune publication inscrite." in login_as(user=world["manager"]).get(
        "/consents/publications").text


def test_audit_entries_of_a_consent_are_read_by_those_who_see_it(world, new_consent):
    consent = new_consent()
    assert may_read_consent(world["comm"], str(consent.id))
    assert may_read_consent(world["collector"], str(consent.id))
    assert not may_read_consent(world["admin"], str(consent.id))
    assert not may_read_consent(world["comm"], None)


def test_a_wrong_or_empty_signature_is_refused(world, new_consent):
    consent = new_consent(sign=False)
    for value in (None, "data:image/png;base64,@@@", "data:image/png;base64,aGVsbG8="):
        with pytest.raises(ops.ConsentRefused) as caught:
            ops.sign_on_screen(world["collector"], consent, signature=value, place="Ici",
                               confirmed=True, organisation="Ville")
        assert set(caught.value.field_errors) == {"signature"}
        db.session.rollback()
