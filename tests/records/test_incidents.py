"""The register of confidentiality incidents (art. 63.8–63.11): HR and the privacy officer
only ; the assessment, measures and notices ; links to a case and a consent ; CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from hr_social.db import db
from hr_social.permissions import role_labels
from hr_social.records import incidents
from hr_social.records.models import Incident
from hr_social.records.registry import LINK_TARGETS, LinkTarget
from tests.conftest import login
from tests.discipline.conftest import policy, report, team  # noqa: F401
from tests.records.conftest import TODAY, actions


def incident_form(**changes):
    data = {"discovered_on": "2033-06-10", "occurred_on": "2033-06-08",
            "description": "Une liste de plaintes citoyennes publiée sur Facebook.",
            "information": "Noms et adresses", "people_count": "12",
            "sensitivity": "high", "consequences": "medium", "likelihood": "medium",
            "serious_risk": "yes", "assessment_note": "Adresses de domicile exposées.",
            "measures": "Publication retirée en 20 minutes.",
            "commission_notified_on": "", "persons_notified_on": "", "notice_note": ""}
    data.update(changes)
    return data


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Incident))


def test_the_privacy_officer_is_a_role_like_the_others(app):
    with app.test_request_context("/"):
        assert role_labels("privacy") == \
            "Responsable de la protection des renseignements personnels"


@pytest.mark.parametrize("role", ["hr", "privacy"])
def test_hr_and_the_privacy_officer_record_and_assess(client, clock, staff, role):
    login(client, staff[role])
    assert client.get("/records/incidents").status_code == 200
    response = client.submit("/records/incidents/new", data=incident_form())
    assert response.status_code == 302
    incident = db.session.scalar(select(Incident))
    assert incident.serious_risk is True and incident.notices_due
    assert incident.recorded_by_id == staff[role].id
    page = client.get(f"/records/incidents/{incident.id}").get_data(as_text=True)
    assert "doivent être avisées" in page
    assert client.submit(f"/records/incidents/{incident.id}", data=incident_form(
        commission_notified_on="2033-06-12", persons_notified_on="2033-06-13",
        notice_note="Lettres recommandées.")).status_code == 302
    incident = db.session.get(Incident, incident.id)
    assert incident.commission_notified_on == dt.date(2033, 6, 12)
    assert not incident.notices_due
    recorded, changed = actions("records_incident.")
    assert recorded.action == "records_incident.recorded"
    assert changed.after["changed_fields"] == ["notice_note"]
    assert changed.before["commission_notified_on"] is None
    # The trail keeps codes, dates and field names, never the description.
    assert "Facebook" not in (recorded.after_json + changed.after_json)


@pytest.mark.parametrize("role", ["dg", "employee", "manager", "communications", "admin"])
def test_nobody_else_sees_the_register(client, clock, staff, role):
    incidents.save_incident(staff["hr"], description="Fuite.", discovered_on=TODAY)
    db.session.commit()
    login(client, staff[role])
    for url in ("/records/incidents", "/records/incidents/1", "/records/incidents/new",
                "/records/incidents.csv"):
        assert client.get(url).status_code == 403, url
    assert client.submit("/records/incidents/1", data=incident_form()).status_code == 403
    assert db.session.get(Incident, 1).description == "Fuite."


@pytest.mark.parametrize("changes, field_message", [
    ({"description": "  "}, "Décrivez l&#39;incident."),
    ({"discovered_on": ""}, "Indiquez la date où l&#39;incident a été connu."),
    ({"discovered_on": "2033-06-16"}, "ne peut pas être dans le futur"),
    ({"occurred_on": "2033-06-11"}, "connu avant d&#39;être survenu"),
    ({"commission_notified_on": "2033-06-01"}, "ne peut pas précéder"),
    ({"sensitivity": "extreme"}, "Choisissez un niveau"),
    ({"people_count": "-3"}, "entier positif"),
    ({"people_count": "99999999999999"}, "Valeur hors limites"),
    ({"link-discipline_cases": "4242"}, "Aucun document n° 4242"),
    ({"link-discipline_cases": "abc"}, "Aucun document n° abc"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, clock, staff,
                                                               changes, field_message):
    login(client, staff["hr"])
    response = client.submit("/records/incidents/new", data=incident_form(**changes))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert field_message in body
    assert "Publication retirée en 20 minutes." in body, "what was typed is shown again"
    assert count() == 0


def test_links_to_a_case_and_a_consent(client, clock, staff, monkeypatch, team,  # noqa: F811
                                       report):  # noqa: F811
    case = report()
    monkeypatch.setitem(LINK_TARGETS, "consents", LinkTarget(
        "consents", "Consentement n°", exists=lambda i: i == 7))
    login(client, staff["privacy"])
    refused = client.submit("/records/incidents/new", data=incident_form(**{
        "link-consents": "8", "link-discipline_cases": str(case.id)}))
    assert refused.status_code == 422 and count() == 0
    response = client.submit("/records/incidents/new", data=incident_form(**{
        "link-consents": "7", "link-discipline_cases": str(case.id)}))
    assert response.status_code == 302
    incident = db.session.scalar(select(Incident))
    assert sorted((link.subject_type, link.subject_id) for link in incident.links) == [
        ("consents", 7), ("discipline_cases", case.id)]
    (entry,) = actions("records_incident.recorded")
    assert entry.after["links"] == ["consents:7", f"discipline_cases:{case.id}"]
    # Emptying a link removes it; the other stays.
    client.submit(f"/records/incidents/{incident.id}", data=incident_form(**{
        "link-consents": "", "link-discipline_cases": str(case.id)}))
    assert [link.subject_type for link in db.session.get(Incident, incident.id).links] == [
        "discipline_cases"]


def test_csv_export_for_the_commission(client, clock, staff):
    incidents.save_incident(staff["hr"], description="=HYPERLINK(\"x\")",
                            discovered_on=dt.date(2033, 1, 5), sensitivity="low",
                            consequences="low", likelihood="low", serious_risk=False,
                            measures="Rappel à l'équipe.")
    incidents.save_incident(staff["hr"], description="Courriel au mauvais destinataire.",
                            discovered_on=dt.date(2033, 5, 5), serious_risk=True,
                            commission_notified_on=dt.date(2033, 5, 6))
    db.session.commit()
    login(client, staff["privacy"])
    response = client.get("/records/incidents.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["date_connaissance"] for r in rows] == ["2033-05-05", "2033-01-05"]
    assert rows[0]["risque_prejudice_serieux"] == "oui" and rows[0]["avis_commission"] == \
        "2033-05-06"
    assert rows[1]["description"].startswith("'="), "a formula is neutralised"
    assert rows[1]["sensibilite"] == "faible"
    serious = client.get("/records/incidents.csv?status=serious").get_data(as_text=True)
    assert "mauvais destinataire" in serious and "HYPERLINK" not in serious


def test_list_search_filters_and_empty_state(client, clock, staff):
    login(client, staff["hr"])
    assert "Aucun incident" in client.get("/records/incidents").get_data(as_text=True)
    incidents.save_incident(staff["hr"], description="Photo d'un dossier sur Instagram.",
                            discovered_on=TODAY, serious_risk=True)
    incidents.save_incident(staff["hr"], description="Clé USB perdue.", discovered_on=TODAY)
    db.session.commit()
    found = client.get("/records/incidents?q=instagram").get_data(as_text=True)
    assert "Instagram" in found and "Clé USB" not in found
    due = client.get("/records/incidents?status=notices_due").get_data(as_text=True)
    assert "Instagram" in due and "Clé USB" not in due
    unassessed = client.get("/records/incidents?status=unassessed").get_data(as_text=True)
    assert "Clé USB" in unassessed and "Instagram" not in unassessed


def test_the_suggested_reading_of_the_three_factors():
    assert incidents.suggested_serious("high", "low", "medium") is True
    assert incidents.suggested_serious("low", "high", "high") is True
    assert incidents.suggested_serious("high", "high", "low") is False
    assert incidents.suggested_serious("medium", "medium", "high") is False
    assert incidents.suggested_serious("high", None, "high") is None


def test_the_dashboard_shows_incidents_awaiting_notices_to_hr_and_privacy(app, client, clock,
                                                                          staff):
    incidents.save_incident(staff["hr"], description="Fuite.", discovered_on=TODAY,
                            serious_risk=True, commission_notified_on=TODAY)
    db.session.commit()
    for role, shown in (("privacy", True), ("hr", True), ("dg", False)):
        page = login(app.test_client(), staff[role]).get("/").get_data(as_text=True)
        assert ("Incidents de confidentialité : avis à transmettre" in page) is shown, role
        assert "Incidents de confidentialité à évaluer" not in page
