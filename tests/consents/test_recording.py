"""Recording a consent : French refusals with nothing half-saved, media checked by content and
size per kind, photos stripped of location and device, the text frozen with its SHA-256."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.attachments.services import file_path, upload_root
from hr_social.consents import services as ops
from hr_social.consents.models import Consent, ConsentChannel
from hr_social.db import db
from tests.consents.conftest import MP4, PDF, consent_input, count, days, jpeg, upload


def stored_files() -> list:
    root = upload_root()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refused(world, files=(), **overrides) -> ops.ConsentRefused:
    with pytest.raises(ops.ConsentRefused) as caught:
        ops.record_consent(world["collector"], consent_input(world, **overrides), files=files)
    db.session.rollback()
    assert count(Consent) == 0 and count(ConsentChannel) == 0 and count(Attachment) == 0
    assert stored_files() == []
    return caught.value


def test_both_categories_and_a_minor_with_guardian_are_recorded(world, new_consent):
    citizen = new_consent(category="citizen")
    supplier = new_consent(category="supplier", person_name="Quincaillerie Tremblay inc.",
                           kind="article", files=[upload(PDF, "article.pdf")])
    minor = new_consent(is_minor=True, contact="", guardian_name="Luc Côté",
                        guardian_relationship="Père", guardian_contact="418 555-0101")
    assert [c.state for c in (citizen, supplier, minor)] == ["signed"] * 3
    assert minor.guardian_name == "Luc Côté" and minor.is_minor
    assert {c.key for c in citizen.channels} == {f"account:{world['account'].id}", "website"}
    assert citizen.is_valid_on(days(0)) and not citizen.is_valid_on(days(61))


def test_minor_without_guardian_is_refused(world):
    error = refused(world, files=[upload(jpeg(), "p.jpg")], is_minor=True, guardian_name="")
    assert "mineure ne peut pas consentir seule" in error.field_errors["guardian_name"]


def test_validity_ending_before_it_starts_is_refused(world):
    error = refused(world, files=[upload(jpeg(), "p.jpg")], valid_from=days(5),
                    valid_until=days(1))
    assert error.field_errors["valid_until"] == "La fin de la validité précède son début."


def test_unknown_channel_and_missing_fields_are_named(world):
    error = refused(world, files=[upload(jpeg(), "p.jpg")], channels=["account:99999999999"],
                    person_name=" ", category="alien")
    assert set(error.field_errors) >= {"channels", "person_name", "category"}


def test_confidential_information_needs_who_what_to_whom_and_until(world):
    error = refused(world, kind="confidential", files=[])
    assert set(error.field_errors) >= {"authorized_by", "disclosed_what", "disclosed_to",
                                       "disclosure_until"}
    consent = ops.record_consent(world["collector"], consent_input(
        world, kind="confidential", authorized_by="municipality",
        authorizer_name="Greffière", disclosed_what="Numéro de dossier",
        disclosed_to="Journal local", disclosure_until=days(30)))
    assert consent.disclosed_to == "Journal local"
    assert "Journal local" in consent.consent_text


def test_a_file_that_is_not_what_it_claims_leaves_no_row_and_no_file(world):
    good = upload(jpeg(), "bonne.jpg")
    fake = upload(b"GIF89a not a jpeg at all", "fausse.jpg")
    error = refused(world, files=[good, fake])
    assert "fausse.jpg" in error.field_errors["files"]
    assert "n'est pas ce qu'il prétend être" in error.field_errors["files"]


def test_an_oversize_video_is_refused(world, app):
    app.config["CONSENT_VIDEO_MAX_BYTES"] = 50
    error = refused(world, kind="video", files=[upload(MP4, "clip.mp4")])
    assert "dépasse la taille permise" in error.field_errors["files"]


def test_a_video_within_its_limit_is_stored(world):
    consent = ops.record_consent(world["collector"], consent_input(world, kind="video"),
                                 files=[upload(MP4, "clip.mp4")])
    [video] = ops.media_of(consent)
    assert video.content_type == "video/mp4" and video.original_name == "clip.mp4"


def test_photo_location_and_device_are_stripped_before_storage(world):
    from PIL import Image

    original = jpeg(with_exif=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test has GPS
    consent = ops.record_consent(world["collector"], consent_input(world),
                                 files=[upload(original, "plage.jpg")])
    db.session.commit()
    [photo] = ops.media_of(consent)
    stored = file_path(photo).read_bytes()
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert 0x8825 not in exif and not exif.get_ifd(0x8825)  # no GPS
    assert 0x010F not in exif and 0x0110 not in exif and 0x0131 not in exif
    assert exif.get(0x0112) == 6  # the orientation stays
    assert b"AppareilMarque" not in stored and b"ModeleX200" not in stored


def test_the_text_is_frozen_with_its_sha256(world, new_consent, monkeypatch):
    consent = new_consent()
    assert consent.text_sha256 == hashlib.sha256(consent.consent_text.encode()).hexdigest()
    assert "Jeanne Côté-Émond" in consent.consent_text
    assert "Natation VBC (Facebook)" in consent.consent_text
    frozen = consent.consent_text
    from hr_social.consents import text

    monkeypatch.setattr(text, "WORDING_VERSION", "2099-9")
    later = new_consent()
    db.session.expire_all()
    assert db.session.get(Consent, consent.id).consent_text == frozen
    assert "2099-9" in later.consent_text and later.text_sha256 != consent.text_sha256


def test_a_refused_signature_after_storing_leaves_no_orphan_scan(world, new_consent):
    consent = new_consent(sign=False)
    other = db.session.get(Consent, consent.id)
    other.state = "signed"  # someone signed meanwhile
    db.session.commit()
    with pytest.raises(ops.DomainError):
        ops.sign_on_paper(world["collector"], other, signed_on=days(0),
                          scan_file=upload(PDF + b"unique-scan", "scan.pdf"))
    db.session.rollback()
    digests = {a.sha256 for a in db.session.scalars(select(Attachment))}
    assert {p.name for p in stored_files()} == digests


def test_signing_on_paper_needs_a_scan_and_a_past_date(world, new_consent):
    consent = new_consent(sign=False)
    with pytest.raises(ops.ConsentRefused) as caught:
        ops.sign_on_paper(world["collector"], consent, signed_on=days(2), scan_file=None)
    assert set(caught.value.field_errors) == {"signed_on", "scan"}
    db.session.rollback()
    assert db.session.get(Consent, consent.id).state == "unsigned"
