"""A person's history reads as sentences: what happened, who did it, what changed — in
words, never the JSON of the audit trail nor its column names and codes."""

from __future__ import annotations

from hr_social.clock import local_today
from hr_social.db import db
from hr_social.people.models import Person
from tests.people.helpers import text


def _history(page: str) -> str:
    return page.split('id="history-title"')[1].split("</section>")[0]


def test_the_history_of_a_person_reads_as_sentences(login_as, make_service, make_person,
                                                     make_user):
    hr = login_as("hr")
    first, second = make_service(name="Loisirs"), make_service(name="Travaux publics")
    boss = make_person("Gisèle", "Arsenault")
    response = hr.submit("/people/new", {
        "employee_number": "20001", "first_name": "André", "last_name": "Côté",
        "email": "andre.cote@ville.test", "service_id": first.id, "manager_number": "",
        "kind": "intern", "job_title": "Stagiaire en communication"})
    person = db.session.scalars(db.select(Person).filter_by(employee_number="20001")).one()
    hr.submit(f"/people/{person.id}/edit", {
        "employee_number": "20001", "first_name": "André", "last_name": "Côté",
        "email": "andre.cote@ville.test", "service_id": second.id,
        "manager_number": boss.employee_number, "kind": "employee",
        "job_title": "Préposé aux travaux publics"})
    from hr_social.people import account_services

    account_services.create_login(make_user("admin"), person, username="acote",
                                  password="Un-mot-de-passe-assez-long-2026",
                                  roles=["employee", "manager"])
    db.session.commit()
    hr.submit(f"/people/{person.id}/depart", {"departed_on": local_today().isoformat()})
    history = _history(text(hr.get(response.headers["Location"])))

    assert "Personne ajoutée" in history and "Fiche de la personne modifiée" in history
    assert "Départ enregistré" in history and "Compte utilisateur créé" in history
    assert "Rôles\u00a0: — → Employé·e, Gestionnaire" in history
    assert "Service\u00a0: Loisirs → Travaux publics" in history
    assert "Gestionnaire\u00a0: — → Gisèle Arsenault" in history
    assert "Type\u00a0: Stagiaire → Employé·e" in history
    assert "Active\u00a0: oui → non" in history
    # No JSON, no column names, no action codes.
    assert "{" not in history and "}" not in history
    for code in ("person.", "service_id", "manager_id", "is_active", "intern", "null"):
        assert code not in history, code


def test_only_hr_reads_the_history(login_as, make_person):
    person = make_person("Émile", "Ouellet")
    response = login_as("dg").get(f"/people/{person.id}")
    assert response.status_code == 200 and person.full_name in text(response)
    assert 'id="history-title"' not in text(response)
