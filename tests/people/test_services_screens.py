"""HR keeps the list of services; the administration may look at it."""

import pytest
from sqlalchemy import select

from hr_social.db import db
from hr_social.people.models import Service
from tests.people.helpers import audit, before_after, text


@pytest.fixture
def hr(login_as):
    return login_as("hr")


def test_hr_creates_and_renames_a_service(hr):
    response = hr.submit("/services/new", {"code": "urb", "name": "Urbanisme"})
    assert response.status_code == 302
    service = db.session.scalar(select(Service).where(Service.code == "URB"))
    assert service.name == "Urbanisme"
    assert before_after(audit("service.created")[0])[1] == {
        "code": "URB", "name": "Urbanisme", "is_active": True}
    assert 'value="URB"' in text(hr.get(f"/services/{service.id}/edit"))
    hr.submit(f"/services/{service.id}/edit", {"code": "URB", "name": "Service de l'urbanisme"})
    assert before_after(audit("service.updated")[0]) == (
        {"name": "Urbanisme"}, {"name": "Service de l'urbanisme"})
    hr.submit(f"/services/{service.id}/edit", {"code": "URB", "name": "Service de l'urbanisme"})
    assert len(audit("service.updated")) == 1


def test_duplicate_service_code_or_name_is_refused(hr, make_service):
    make_service("Greffe", "GREF")
    response = hr.submit("/services/new", {"code": "gref", "name": "Autre"})
    assert "Le code GREF est déjà utilisé par Greffe." in text(response)
    response = hr.submit("/services/new", {"code": "AUTRE", "name": "greffe"})
    assert "Un service porte déjà le nom greffe." in text(response)
    response = hr.submit("/services/new", {"code": "A B", "name": "Autre"})
    assert "Code invalide" in text(response)
    assert audit("service.created") == []


def test_a_service_with_active_people_cannot_be_deactivated(hr, make_service, make_person):
    service = make_service("Greffe", "GREF")
    make_person(service=service)
    response = hr.submit(f"/services/{service.id}/deactivate", follow_redirects=True)
    assert "compte encore 1 personne(s) active(s)" in text(response)
    db.session.refresh(service)
    assert service.is_active and audit("service.deactivated") == []


def test_an_empty_service_is_deactivated_then_reactivated(hr, make_service):
    service = make_service("Greffe", "GREF")
    hr.submit(f"/services/{service.id}/deactivate")
    db.session.refresh(service)
    assert not service.is_active and len(audit("service.deactivated")) == 1
    # No longer offered for new people, listed among deactivated services.
    assert ">Greffe</option>" not in text(hr.get("/people/new"))
    assert "Greffe" in text(hr.get("/services/?status=inactive"))
    assert "Aucun service" in text(hr.get("/services/?status=active&q=Greffe"))
    again = hr.submit(f"/services/{service.id}/deactivate", follow_redirects=True)
    assert "déjà désactivé" in text(again)
    hr.submit(f"/services/{service.id}/reactivate")
    db.session.refresh(service)
    assert service.is_active and len(audit("service.reactivated")) == 1
    again = hr.submit(f"/services/{service.id}/reactivate", follow_redirects=True)
    assert "déjà actif" in text(again)


def test_a_person_cannot_be_placed_in_a_deactivated_service(hr, make_service, make_person):
    closed = Service(code="FERME", name="Fermé", is_active=False)
    db.session.add(closed)
    db.session.commit()
    person = make_person()
    # The form offers only active services (plus the current one): a forged id is refused.
    response = hr.submit(f"/people/{person.id}/edit", {
        "employee_number": person.employee_number, "first_name": "A", "last_name": "B",
        "email": "", "service_id": closed.id, "kind": "employee"})
    assert response.status_code == 422
    db.session.refresh(person)
    assert person.service_id != closed.id


def test_admin_may_look_but_not_manage(login_as, make_service):
    admin = login_as("admin")
    service = make_service("Greffe", "GREF")
    listing = text(admin.get("/services/"))
    assert "Greffe" in listing and "Ajouter un service" not in listing
    assert admin.submit("/services/new", {"code": "X", "name": "X"}).status_code == 403
    assert admin.submit(f"/services/{service.id}/deactivate").status_code == 403
    db.session.refresh(service)
    assert service.is_active and audit("service.created") == []


def test_services_list_pages_and_counts_members(hr, make_service, make_person, app):
    app.config["PAGE_SIZE"] = 2
    services = [make_service(f"Service {n}", f"C{n}") for n in range(3)]
    make_person(service=services[0])
    make_person(service=services[0])
    page = text(hr.get("/services/?q=Service"))
    assert "Page 1 sur 2" in page
    assert "Service 0" in page
