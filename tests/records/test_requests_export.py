"""The answer's PDF: the person's information from every domain through the registry, the
withheld parts marked with the article, and never another person's information."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import services as discipline_ops
from hr_social.discipline.services import Witness
from hr_social.documents.models import IssuedDocument
from hr_social.records import requests_services as ops
from tests.conftest import login
from tests.discipline.conftest import clause_ids, sanctioned
from tests.records.conftest import pdf_text

FACTS_A = "Émile a publié une photo du garage municipal où l'on voit des véhicules."
FACTS_B = "Cécile a partagé un courriel interne sur un groupe public."


def _request(team, person):
    found = ops.record_request(team["hr"], person, kind="access",
                               received_on=ops.today() - dt.timedelta(days=2),
                               received_via="in_person", asked="Mon dossier complet, svp.")
    db.session.commit()
    return found


def _export(client, found) -> str:
    response = client.get(f"/records/requests/{found.id}/export.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return pdf_text(response.data)


def test_two_people_sharing_a_case_each_get_only_their_own(client, team, policy,
                                                           access_request):
    """Émile's case names Cécile as a witness; Cécile has a case of her own."""
    emile, cecile = team["employee"].person, team["colleague"].person
    case_a = discipline_ops.report_incident(
        team["manager"], emile, facts_on=dt.date(2026, 1, 15), place="Instagram",
        facts=FACTS_A, clause_ids=clause_ids(policy, "3.1-remarks"),
        witnesses=[Witness(person_id=cecile.id)])
    case_b = discipline_ops.report_incident(
        team["manager"], cecile, facts_on=dt.date(2026, 1, 20), place="Facebook",
        facts=FACTS_B, clause_ids=clause_ids(policy, "3.1-remarks"))
    db.session.commit()
    sanctioned(team, case_a)
    access_request(team["employee"], purpose="Page des loisirs : événements d'été.")
    login(client, team["hr"])

    text_a = _export(client, _request(team, emile))
    assert "Émile Employé" in text_a
    assert "garage municipal" in text_a  # accents and the case's facts survive extraction
    assert "événements d'été" in text_a  # access requests, through the registry
    assert "Identité des témoins" in text_a and "art. 88" in text_a
    assert "Cécile" not in text_a and "Collègue" not in text_a
    assert "courriel interne" not in text_a

    text_b = _export(client, _request(team, cecile))
    assert "courriel interne" in text_b
    assert "garage municipal" not in text_b and "Émile" not in text_b
    assert f"n° {case_a.id}" not in text_b
    assert f"Dossier disciplinaire n° {case_b.id}" in text_b


def test_confidential_reporter_and_pending_recommendation_are_withheld(
        client, team, policy, access_request):
    emile = team["employee"].person
    discipline_ops.report_incident(
        team["colleague"], emile, facts_on=dt.date(2026, 1, 15), place="TikTok",
        facts="Vidéo tournée au bureau pendant les heures de travail.",
        clause_ids=clause_ids(policy, "3.1-remarks"), confidential=True)
    db.session.commit()
    login(client, team["hr"])
    text = _export(client, _request(team, emile))
    assert "Identité de la personne qui a fait le signalement" in text
    assert "Cécile" not in text
    assert "Parties retenues" in text


def test_export_is_an_official_document_and_audited(client, team):
    found = _request(team, team["employee"].person)
    login(client, team["hr"])
    text = _export(client, found)
    document = db.session.scalar(select(IssuedDocument).where(
        IssuedDocument.subject_type == "records_request"))
    assert document is not None and document.subject_id == found.id
    assert "Code de vérification" in text
    exported = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "records_request.exported"))
    assert exported.target_id == str(found.id) and exported.target_label is None


def test_export_walks_every_declared_record_type(client, team):
    """Through the registry: each record type a domain declared has its part, even empty."""
    from hr_social.records.registry import record_types

    found = _request(team, team["employee"].person)
    login(client, team["hr"])
    text = " ".join(_export(client, found).split())
    labels = [str(t.label) for t in record_types() if t.export_for_person is not None]
    assert len(labels) >= 7
    for label in labels:
        assert label in text, label
