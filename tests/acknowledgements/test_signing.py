"""An employee reads the policy, signs electronically and downloads the sealed PDF."""

import io
import subprocess

from pypdf import PdfReader
from sqlalchemy import select

from hr_social.acknowledgements.models import Acknowledgement, AckStatus
from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.documents.models import IssuedDocument
from hr_social.documents.sealing import check_seal
from tests.conftest import PASSWORD


def _ack_of(person):
    return db.session.scalar(select(Acknowledgement).where(Acknowledgement.person_id == person.id))


def _sign(client, ack, **overrides):
    data = {"ticked": "y", "typed_name": ack.person.full_name, "password": PASSWORD}
    data.update(overrides)
    return client.submit(f"/acknowledgements/{ack.id}/sign", data)


def test_an_employee_must_open_the_policy_before_signing(published, login_as, make_user):
    user = make_user("employee", first_name="Élodie", last_name="Gagné")
    published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    response = client.get(f"/acknowledgements/{ack.id}/sign")
    assert response.status_code == 302 and response.location.endswith("/policy")
    response = _sign(client, ack)
    assert response.status_code == 302
    assert _ack_of(user.person).status == AckStatus.pending

    page = client.get(f"/acknowledgements/{ack.id}/policy").get_data(as_text=True)
    assert "2.1 Publications" in page and "<h3>" in page
    assert _ack_of(user.person).policy_opened_at is not None


def test_electronic_signature_issues_a_sealed_pdf_with_evidence(published, login_as, make_user,
                                                               tmp_path):
    user = make_user("employee", first_name="Élodie", last_name="Gagné-Côté")
    published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    client.get(f"/acknowledgements/{ack.id}/policy")
    response = _sign(client, ack, typed_name="elodie gagne cote")
    assert response.status_code == 302, response.get_data(as_text=True)

    ack = _ack_of(user.person)
    assert ack.status == AckStatus.signed_electronic
    assert ack.signed_address == "127.0.0.1" and ack.signed_user_agent
    pdf = client.get(f"/acknowledgements/{ack.id}/signed.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    data = pdf.data
    assert IssuedDocument.query.filter_by(sha256=ack.document_sha256).one()
    assert check_seal(data).ok

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Élodie Gagné-Côté" in text and user.person.employee_number in text
    assert "Preuve de signature électronique" in text
    assert "Page 1 / 2" in text and "Page 2 / 2" in text
    assert "§ 2.1" in text and "/verify/" in text
    poppler = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                             check=True).stdout.decode()
    assert "Gagné-Côté" in poppler and "« Politique d'essai »" in poppler.replace("\u00a0", " ")

    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert b'pdfaid:part="3"' in root["/Metadata"].get_object().get_data()  # PDF/A-3b
    assert "/OutputIntents" in root
    (tmp_path / "signed.pdf").write_bytes(data)
    checked = subprocess.run(["pdfsig", str(tmp_path / "signed.pdf")], capture_output=True)
    assert b"Signature is Valid." in checked.stdout  # Poppler agrees, independently

    tampered = bytearray(data)
    index = tampered.find(b"Gagn")
    index = index if index > 0 else len(tampered) // 3
    tampered[index] ^= 0x01
    assert not check_seal(bytes(tampered)).ok


def test_a_wrong_password_records_nothing(published, login_as, make_user):
    user = make_user("employee")
    published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    client.get(f"/acknowledgements/{ack.id}/policy")
    events = db.session.query(AuditEvent).count()
    response = _sign(client, ack, password="pas-le-bon-mot-de-passe")
    assert response.status_code == 422
    assert "Mot de passe incorrect" in response.get_data(as_text=True)
    ack = _ack_of(user.person)
    assert ack.status == AckStatus.pending and ack.document_sha256 is None
    # Only the failed re-authentication is recorded (it counts against the login throttle).
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)
                                 .offset(events)).all()
    assert actions == ["user.reauth_failed"]
    assert IssuedDocument.query.count() == 0


def test_the_signing_password_cannot_be_guessed_past_the_login_throttle(app, published,
                                                                         login_as, make_user):
    """Each wrong password used to be free: a borrowed session could guess at leisure."""
    from hr_social.auth.models import LoginAttempt

    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    user = make_user("employee")
    published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    client.get(f"/acknowledgements/{ack.id}/policy")
    for attempt in range(3):
        _sign(client, ack, password=f"essai-{attempt}-mauvais")
    assert db.session.query(LoginAttempt).filter_by(username=user.username,
                                                    succeeded=False).count() == 3
    response = _sign(client, ack)  # the right password, too late
    assert response.status_code == 422
    assert "Trop de tentatives" in response.get_data(as_text=True)
    assert _ack_of(user.person).status == AckStatus.pending


def test_unticked_or_wrong_name_is_refused(published, login_as, make_user):
    user = make_user("employee")
    published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    client.get(f"/acknowledgements/{ack.id}/policy")
    assert _sign(client, ack, ticked="").status_code == 422
    response = _sign(client, ack, typed_name="Quelqu'un d'autre")
    assert "nom complet" in response.get_data(as_text=True)
    assert _ack_of(user.person).status == AckStatus.pending


def test_signing_a_version_that_is_not_current_is_refused(published, login_as, make_user):
    user = make_user("employee")
    hr = make_user("hr")
    published("v1", actor=hr)
    client = login_as(user=user)
    old = _ack_of(user.person)
    client.get(f"/acknowledgements/{old.id}/policy")
    published("v2", actor=hr)
    response = _sign(client, old)
    assert response.status_code == 422
    assert "plus la version en vigueur" in response.get_data(as_text=True)
    assert db.session.get(Acknowledgement, old.id).status == AckStatus.pending


def test_nobody_acknowledges_for_someone_else(published, login_as, make_user):
    owner = make_user("employee")
    published()
    ack = _ack_of(owner.person)
    for client in (login_as("employee"), login_as("hr")):
        assert client.get(f"/acknowledgements/{ack.id}/sign").status_code == 404
        assert _sign(client, ack).status_code == 404
    assert _ack_of(owner.person).status == AckStatus.pending


def test_the_person_page_lists_acknowledged_versions(published, login_as, make_user):
    user = make_user("employee")
    published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    client.get(f"/acknowledgements/{ack.id}/policy")
    _sign(client, ack)
    page = login_as("hr").get(f"/people/{user.person.id}").get_data(as_text=True)
    assert "Politique d&#39;essai (v1)" in page and "Signé électroniquement le" in page
    mine = client.get("/acknowledgements/").get_data(as_text=True)
    assert "Télécharger le PDF signé" in mine


def test_signing_in_a_closed_campaign_is_refused(published, login_as, make_user):
    user = make_user("employee")
    campaign = published()
    client = login_as(user=user)
    ack = _ack_of(user.person)
    client.get(f"/acknowledgements/{ack.id}/policy")
    login_as("hr").submit(f"/acknowledgements/campaigns/{campaign.id}/close")
    response = _sign(client, ack)
    assert response.status_code == 422 and "fermée" in response.get_data(as_text=True)
    assert _ack_of(user.person).status == AckStatus.pending


def test_a_manager_does_not_see_the_acknowledgements_of_the_team(published, login_as,
                                                                 make_user, make_person):
    """Acknowledgement.visible_to gives HR and the person only; the person page used to
    list a team member's acknowledgements (and a refusal's witness) to their manager."""
    boss = make_user("manager")
    member = make_person(last_name="Ouellet", manager=boss.person)
    published()
    ack = _ack_of(member)
    login_as("hr").submit(f"/acknowledgements/{ack.id}/refusal",
                          {"refused_on": "2026-01-07", "witness": "Témoin Caché"})
    manager_page = login_as(user=boss).get(f"/people/{member.id}")
    assert manager_page.status_code == 200 and "Ouellet" in manager_page.get_data(as_text=True)
    assert "Témoin Caché" not in manager_page.get_data(as_text=True)
    assert "Accusés de réception de la politique" not in manager_page.get_data(as_text=True)
    assert "Témoin Caché" in login_as("hr").get(f"/people/{member.id}").get_data(as_text=True)
