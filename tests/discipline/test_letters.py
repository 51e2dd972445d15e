"""Letters and files as PDFs: French accents intact in the extracted text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hr_social.db import db, utcnow
from hr_social.discipline import catalogue, letters
from hr_social.discipline import services as ops
from hr_social.discipline.entries import Letter
from hr_social.workflow import GuardFailed
from tests.discipline.conftest import level, reload


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def letter_text(letter: Letter) -> str:
    from hr_social.attachments.services import read_bytes

    return pdf_text(read_bytes(letter.attachment))


@pytest.fixture
def decided(team, report):
    case = report(facts="Publication dénigrante : « élus incompétents », août.")
    hr = team["hr"]
    ops.take(hr, case)
    ops.convoke(hr, case, hearing_at=utcnow() + dt.timedelta(days=2), place="Hôtel de ville")
    letters.issue_letter(hr, case, "convocation")
    ops.hold_hearing(hr, case, heard_on=catalogue.today(), attendees="RH, délégué syndical",
                     representative_present=True, person_version="Je m'excuse.")
    ops.decide(hr, case, level_id=level("suspension").id, gravity="serious",
               suspension_days=2, justification="Propos publics répétés : faute grave.",
               decision_text="Réintégration après la suspension.")
    db.session.commit()
    letters.issue_after_commit(hr, case.id, "decision")
    return reload(case)


def test_convocation_and_decision_letters_keep_their_accents(decided):
    found = db.session.scalars(select(Letter).where(Letter.case_id == decided.id)
                               .order_by(Letter.id)).all()
    assert [lt.kind for lt in found] == ["convocation", "decision"]
    convocation = letter_text(found[0])
    assert "Convocation à une rencontre disciplinaire" in convocation
    assert "Hôtel de ville" in convocation and "représentant" in convocation
    decision = letter_text(found[1])
    assert "Avis de décision disciplinaire" in decision
    assert "Suspension sans solde" in decision and "2 jours" in decision
    assert "§ 3.1" in decision and "Éviter les propos blessants" in decision
    assert "élus incompétents" in decision and "convention collective" in decision


def test_full_file_has_every_step_and_the_letters(login_as, team, decided):
    response = login_as(user=team["hr"]).get(f"/discipline/{decided.id}/file.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "dossier complet" in text and "Journal d'audit" in text
    assert "Rencontre tenue" in text and "discipline_case." not in text
    assert "Avis de décision disciplinaire" in text  # the decision letter, as issued
    assert "Page 1 / 1" in text or "Page 1 / 2" in text


def test_receipt_signed_needs_a_scan_refused_needs_a_witness(team, decided):
    letter = db.session.scalar(select(Letter).where(Letter.case_id == decided.id,
                                                    Letter.kind == "decision"))
    with pytest.raises(GuardFailed, match="numérisation"):
        letters.record_receipt(team["hr"], letter, receipt="signed",
                               received_on=catalogue.today())
    with pytest.raises(GuardFailed, match="témoin"):
        letters.record_receipt(team["hr"], letter, receipt="refused",
                               received_on=catalogue.today())
    letters.record_receipt(team["hr"], letter, receipt="refused",
                           received_on=catalogue.today(), witness="Paul Témoin")
    db.session.commit()
    assert letter.receipt == "refused"
    with pytest.raises(GuardFailed, match="déjà consignée"):
        letters.record_receipt(team["hr"], letter, receipt="refused",
                               received_on=catalogue.today(), witness="Autre")


def test_letters_carry_a_verification_code_for_the_copy_handed_out(decided):
    from hr_social.documents.codes import format_code

    letter = db.session.scalar(select(Letter).where(Letter.case_id == decided.id,
                                                    Letter.kind == "decision"))
    document = letter.issued_document
    assert document.subject_type == "discipline_case" and document.kind == "decision"
    assert document.sha256 == letter.attachment.sha256
    assert format_code(document.code) in letter_text(letter).replace("\n", " ")
