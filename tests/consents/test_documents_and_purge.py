"""The consent form PDF (text with accents, verification code), signing on screen (drawn
signature kept, sealed PDF), and the purge that leaves nothing personal."""

from __future__ import annotations

import html
import subprocess

import pytest
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.attachments.services import read_bytes, upload_root
from hr_social.consents import services as ops
from hr_social.consents.documents import form_pdf
from hr_social.consents.models import Consent, TakeDown
from hr_social.consents.purge import purge
from hr_social.db import db
from hr_social.documents.models import IssuedDocument
from hr_social.documents.sealing import check_seal
from tests.consents.conftest import count, days, jpeg, signature_png, upload


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


def test_the_form_pdf_is_prefilled_with_its_text_and_code(world, new_consent):
    consent = new_consent(sign=False, is_minor=True, person_name="Zoé Bélanger",
                          guardian_name="Hélène Bélanger", guardian_relationship="Mère",
                          guardian_contact="418 555-0102")
    data = form_pdf(world["collector"], consent)
    db.session.commit()
    text = " ".join(pdftotext(data).split())
    assert "Consentement écrit à la diffusion" in text
    assert "Hélène Bélanger, Mère de Zoé Bélanger (personne mineure)" in text
    assert "Natation VBC (Facebook)" in text and "Site Web de la Ville" in text
    code = db.session.scalars(select(IssuedDocument.code)).one()
    assert f"{code[:4]}-{code[4:8]}-{code[8:]}" in text


def test_signing_on_screen_keeps_the_drawing_and_a_sealed_pdf(world, new_consent, login_as):
    consent = new_consent(sign=False)
    client = login_as(user=world["collector"])
    assert client.get(f"/consents/{consent.id}/sign").status_code == 200
    empty = client.submit(f"/consents/{consent.id}/sign", data={
        "signature": signature_png(drawn=False), "place": "Piscine municipale",
        "confirmed": "y"})
    assert empty.status_code == 422
    assert "La signature est vide" in html.unescape(empty.text)
    assert count(Attachment) == 1  # the photo only
    done = client.submit(f"/consents/{consent.id}/sign", data={
        "signature": signature_png(), "place": "Piscine municipale", "confirmed": "y"})
    assert done.status_code == 302, done.text[:400]
    consent = db.session.get(Consent, consent.id)
    assert consent.state == "signed" and consent.method == "screen"
    assert consent.signed_place == "Piscine municipale"
    signed = db.session.get(Attachment, consent.signed_pdf_id)
    data = read_bytes(signed)
    assert check_seal(data).ok
    assert consent.document_sha256 == signed.sha256
    text = " ".join(pdftotext(data).split())
    assert "Preuve de la signature à l'écran" in text and "Piscine municipale" in text
    assert read_bytes(db.session.get(Attachment, consent.signature_id)).startswith(b"\x89PNG")


def _everything_in_the_database() -> str:
    rows = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            rows.append(repr(tuple(row)))
    return "\n".join(rows)


def test_purge_dry_run_by_default_then_nothing_personal_remains(world, new_consent, app,
                                                                 login_as):
    from hr_social.consents import publications as pubs

    consent = new_consent(person_name="Gisèle Unique-Trace", contact="gisele@trace.test",
                          is_minor=True, guardian_name="Gaston Tuteur-Unique",
                          guardian_relationship="Grand-père", guardian_contact="418 555-7777",
                          description="Photo de Gisèle au parc", files=[
                              upload(jpeg(), "gisele-au-parc.jpg")])
    pubs.record_publication(world["comm"], pubs.PublicationInput(
        channel="website", published_on=days(0), media_description="Photo du parc",
        consent_ids=[str(consent.id)], people=["Gisèle Unique-Trace"]))
    db.session.commit()
    login_as(user=world["comm"]).get(f"/consents/{consent.id}")  # a viewed entry
    ops.withdraw(world["collector"], consent, withdrawn_on=days(0), way="email")
    keep = new_consent(person_name="Reste Valide")
    db.session.commit()
    app.config["CONSENT_RETENTION_DAYS"] = 0
    runner = app.test_cli_runner()
    assert purge(day=days(1)).ids == [consent.id]
    dry = runner.invoke(args=["consents", "purge"])
    assert "Essai à blanc" in dry.output
    db.session.rollback()
    assert db.session.get(Consent, consent.id).person_name == "Gisèle Unique-Trace"
    assert any(upload_root().rglob("*"))
    report = purge(dry_run=False, day=days(1))
    db.session.commit()
    assert report.ids == [consent.id] and report.files == 2  # the photo and the scan
    dump = _everything_in_the_database()
    for personal in ("Gisèle", "Unique-Trace", "gisele", "Gaston", "Tuteur", "555-7777",
                     "Grand-père"):
        assert personal not in dump
    trace = db.session.get(Consent, consent.id)
    assert trace.state == "purged" and trace.kind == "photo" and trace.withdrawn_on == days(0)
    assert [c.kind for c in trace.channels] == ["account", "website"]
    assert count(TakeDown) == 1  # the publication's take-down stays consistent
    kept = {a.sha256 for a in db.session.scalars(select(Attachment).where(
        Attachment.removed_at.is_(None)))}
    on_disk = {p.name for p in upload_root().rglob("*") if p.is_file()}
    assert on_disk == kept and kept  # the valid consent's files stay, nothing else
    assert db.session.get(Consent, keep.id).person_name == "Reste Valide"
    assert login_as(user=world["comm"]).get(f"/consents/{consent.id}").status_code == 404
    applied = runner.invoke(args=["consents", "purge", "--apply"])
    assert "Consentements effacés : 0" in applied.output


@pytest.mark.parametrize("who", ["other", "manager"])
def test_only_the_collector_or_communications_withdraws(world, new_consent, login_as, who):
    consent = new_consent()
    response = login_as(user=world[who]).submit(f"/consents/{consent.id}/withdraw", data={
        "withdrawn_on": days(0).isoformat(), "way": "email"})
    assert response.status_code == 404
    assert db.session.get(Consent, consent.id).state == "signed"
