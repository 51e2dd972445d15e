"""HR keeps the directory of people; managers see their team; employees only themselves."""

import datetime as dt

import pytest
from sqlalchemy import select

from hr_social.auth.models import UserSession
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.people import events
from hr_social.people.models import Person, PersonKind
from tests.people.helpers import audit, before_after, people_count, text


@pytest.fixture
def hr(login_as):
    return login_as("hr")


def _form(service, **overrides):
    data = {"employee_number": "20001", "first_name": "Annie", "last_name": "Côté",
            "email": "Annie.Cote@ville.test", "service_id": service.id, "manager_number": "",
            "kind": "intern", "job_title": "Stagiaire en communication"}
    data.update(overrides)
    return data


@pytest.fixture
def received():
    """Collects the people signals sent during the test."""
    seen = []

    def listener(name):
        def receive(sender, **kwargs):
            seen.append((name, sender.employee_number, kwargs))
        return receive

    receivers = {signal: listener(name) for name, signal in (
        ("created", events.person_created), ("departed", events.person_departed),
        ("service_changed", events.person_service_changed))}
    for signal, receiver in receivers.items():
        signal.connect(receiver)
    yield seen
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def test_hr_adds_a_person_who_is_audited_and_announced(hr, make_service, make_person, received):
    service = make_service("Greffe", "GREF")
    boss = make_person("Paul", "Chef", service=service, employee_number="10001")
    response = hr.submit("/people/new", _form(service, manager_number="10001"))
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.employee_number == "20001"))
    assert person.full_name == "Annie Côté"
    assert person.email == "annie.cote@ville.test"
    assert person.manager_id == boss.id and person.kind is PersonKind.intern
    (event,) = audit("person.created")
    assert before_after(event)[1]["employee_number"] == "20001"
    assert [name for name, *_ in received] == ["created"]
    page = hr.get(response.headers["Location"])
    assert "Annie Côté" in text(page) and "Stagiaire" in text(page)


def test_duplicate_employee_number_is_refused_in_french(hr, make_service, make_person):
    service = make_service()
    make_person("Jean", "Premier", service=service, employee_number="20001")
    count = people_count()
    response = hr.submit("/people/new", _form(service))
    assert response.status_code == 422
    assert "Le matricule 20001 est déjà attribué à Jean Premier." in text(response)
    assert people_count() == count
    assert audit("person.created") == []


def test_duplicate_email_and_unknown_manager_are_refused(hr, make_service, make_person):
    service = make_service()
    make_person("Jean", "Premier", service=service, email="annie.cote@ville.test")
    count = people_count()
    response = hr.submit("/people/new", _form(service, manager_number="NOPE"))
    assert "Aucune personne ne porte le matricule NOPE." in text(response)
    response = hr.submit("/people/new", _form(service))
    assert "Le courriel annie.cote@ville.test est déjà utilisé par Jean Premier." in text(response)
    response = hr.submit("/people/new", _form(service, email="pas-un-courriel"))
    assert "Courriel invalide" in text(response)
    response = hr.submit("/people/new", _form(service, employee_number="20 01"))
    assert "Matricule invalide" in text(response)
    assert people_count() == count


def test_hr_edits_a_person_with_before_and_after(hr, make_service, make_person, received):
    first, second = make_service("Greffe", "GREF"), make_service("Trésorerie", "TRES")
    person = make_person("Annie", "Côté", service=first, employee_number="20001",
                         email="annie@ville.test")
    edit_page = hr.get(f"/people/{person.id}/edit")
    assert 'value="20001"' in text(edit_page)
    response = hr.submit(f"/people/{person.id}/edit", _form(
        second, email="annie@ville.test", last_name="Côté-Roy", kind="employee", job_title=""))
    assert response.status_code == 302
    (event,) = audit("person.updated")
    before, after = before_after(event)
    # Only what changed is recorded, before → after.
    assert before == {"last_name": "Côté", "service_id": first.id}
    assert after == {"last_name": "Côté-Roy", "service_id": second.id}
    assert received == [("service_changed", "20001",
                         {"actor": received[0][2]["actor"], "old_service_id": first.id,
                          "new_service_id": second.id})]
    # Saving the same values again changes nothing and writes no entry.
    hr.submit(f"/people/{person.id}/edit", _form(
        second, email="annie@ville.test", last_name="Côté-Roy", kind="employee", job_title=""))
    assert len(audit("person.updated")) == 1


def test_a_manager_chain_cannot_loop(hr, make_service, make_person):
    service = make_service()
    top = make_person("Haut", "Placé", service=service, employee_number="1")
    middle = make_person("Milieu", "Placé", service=service, employee_number="2", manager=top)
    make_person("Bas", "Placé", service=service, employee_number="3", manager=middle)
    response = hr.submit(f"/people/{top.id}/edit", _form(
        service, employee_number="1", first_name="Haut", last_name="Placé",
        email=top.email, manager_number="3", kind="employee"))
    assert "cycle dans la chaîne des gestionnaires" in text(response)
    response = hr.submit(f"/people/{top.id}/edit", _form(
        service, employee_number="1", first_name="Haut", last_name="Placé",
        email=top.email, manager_number="1", kind="employee"))
    assert "sa propre gestionnaire" in text(response)
    db.session.refresh(top)
    assert top.manager_id is None
    assert audit("person.updated") == []


def test_a_departed_manager_cannot_be_chosen(hr, make_service, make_person):
    service = make_service()
    make_person("Ancien", "Chef", service=service, employee_number="9", is_active=False,
                departed_on=dt.date(2024, 1, 1))
    response = hr.submit("/people/new", _form(service, manager_number="9"))
    assert "a quitté l'organisation" in text(response)
    assert audit("person.created") == []


def test_departure_ends_sessions_and_reactivation_restores(hr, make_service, make_user,
                                                          login_as, received):
    service = make_service()
    user = make_user("employee", service=service)
    person = user.person
    their_client = login_as(user=user)
    today = local_today()  # the organisation's date (America/Toronto), not the server's
    response = hr.submit(f"/people/{person.id}/depart", {"departed_on": today.isoformat()})
    assert response.status_code == 302
    db.session.refresh(person)
    assert not person.is_active and person.departed_on == today
    assert db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).all() == []
    assert their_client.get("/").status_code == 302  # sent back to the login page
    before, after = before_after(audit("person.departed")[0])
    assert before == {"is_active": True, "departed_on": None}
    assert after == {"is_active": False, "departed_on": today.isoformat()}
    assert [name for name, *_ in received] == ["departed"]
    # Still in the directory, with their records: HR finds them among departed people.
    listing = hr.get("/people/?status=departed")
    assert person.last_name in text(listing)
    response = hr.submit(f"/people/{person.id}/reactivate")
    db.session.refresh(person)
    assert person.is_active and person.departed_on is None
    assert len(audit("person.reactivated")) == 1


def test_departure_date_in_the_future_is_refused(hr, make_person):
    person = make_person()
    tomorrow = local_today() + dt.timedelta(days=1)
    response = hr.submit(f"/people/{person.id}/depart", {"departed_on": tomorrow.isoformat()},
                         follow_redirects=True)
    assert "ne peut pas être dans le futur" in text(response)
    response = hr.submit(f"/people/{person.id}/depart", {"departed_on": "1900-01-01"},
                         follow_redirects=True)
    assert "trop ancienne" in text(response)
    response = hr.submit(f"/people/{person.id}/depart", {}, follow_redirects=True)
    assert "La date de départ est obligatoire." in text(response)
    db.session.refresh(person)
    assert person.is_active and audit("person.departed") == []


def test_departing_twice_or_reactivating_an_active_person_is_refused(hr, make_person):
    person = make_person(is_active=False, departed_on=dt.date(2024, 3, 1))
    response = hr.submit(f"/people/{person.id}/depart",
                         {"departed_on": local_today().isoformat()}, follow_redirects=True)
    assert "déjà marqué·e comme partie" in text(response)
    active = make_person()
    response = hr.submit(f"/people/{active.id}/reactivate", follow_redirects=True)
    assert "est déjà active" in text(response)
    assert audit("person.departed") == [] and audit("person.reactivated") == []


def test_an_employee_cannot_open_the_people_list(login_as):
    assert login_as("employee").get("/people/").status_code == 403


def test_a_manager_sees_the_team_but_not_another_service(login_as, make_service, make_person,
                                                        make_user):
    home, other = make_service(), make_service()
    boss = make_person("Gaston", "Chef", service=home)
    report = make_person("Rita", "Équipe", service=home, manager=boss)
    outsider = make_person("Olivier", "Ailleurs", service=other)
    client = login_as(user=make_user("employee", "manager", person=boss))
    assert client.get(f"/people/{outsider.id}").status_code == 404
    assert client.get(f"/people/{report.id}").status_code == 200
    listing = text(client.get("/people/"))
    assert "Équipe, Rita" in listing and "Ailleurs" not in listing
    assert "Ajouter une personne" not in listing
    # Managing people is HR's job: a manager may not edit their own report.
    assert client.get(f"/people/{report.id}/edit").status_code == 403


def test_people_list_searches_filters_and_pages(hr, make_service, make_person, app):
    app.config["PAGE_SIZE"] = 2
    service = make_service("Urbanisme", "URB")
    for index in range(3):
        make_person("Zoé", f"Urbain{index}", service=service)
    make_person("Félix", "Stagiaire", kind=PersonKind.intern)
    page = text(hr.get(f"/people/?service={service.id}"))
    assert "Page 1 sur 2" in page and "3 résultats" in page
    assert "Stagiaire, Félix" in text(hr.get("/people/?kind=intern"))
    assert "Urbain" not in text(hr.get("/people/?kind=intern"))
    assert "Urbain1" in text(hr.get("/people/?q=zoé urbain1"))
    assert "Aucune personne ne correspond" in text(hr.get("/people/?q=personne-inexistante"))


def test_hr_sees_the_history_of_a_person(hr, make_service):
    service = make_service()
    response = hr.submit("/people/new", _form(service))
    page = text(hr.get(response.headers["Location"]))
    assert "Personne ajoutée" in page and "Historique" in page


def test_a_double_submit_creates_one_person(hr, make_service):
    service = make_service()
    data = _form(service, submission_key="meme-cle-1234")
    hr.post("/people/new", data=data)
    second = hr.post("/people/new", data=data)
    assert "déjà été envoyé" in text(second)
    assert len(audit("person.created")) == 1


def test_hr_cannot_mark_their_own_departure(make_user, login_as):
    user = make_user("employee", "hr")
    client = login_as(user=user)
    response = client.submit(f"/people/{user.person.id}/depart",
                             {"departed_on": local_today().isoformat()}, follow_redirects=True)
    assert "propre départ" in text(response)
    db.session.refresh(user.person)
    assert user.person.is_active


def test_departing_a_manager_reminds_hr_of_the_team(hr, make_person):
    boss = make_person("Gaston", "Chef")
    make_person("Rita", "Équipe", manager=boss)
    response = hr.submit(f"/people/{boss.id}/depart",
                         {"departed_on": local_today().isoformat()}, follow_redirects=True)
    assert "1 personne(s) active(s) relèvent encore de Gaston Chef" in text(response)


def test_a_person_whose_manager_left_can_still_be_edited(hr, make_service, make_person):
    service = make_service()
    gone = make_person("Ancien", "Chef", service=service, employee_number="9", is_active=False,
                       departed_on=dt.date(2024, 1, 1))
    person = make_person("Rita", "Équipe", service=service, manager=gone,
                         employee_number="10", email="rita@ville.test")
    response = hr.submit(f"/people/{person.id}/edit", _form(
        service, employee_number="10", first_name="Rita", last_name="Équipe-Roy",
        email="rita@ville.test", manager_number="9", kind="employee"))
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.last_name == "Équipe-Roy" and person.manager_id == gone.id


def test_hr_dashboard_lists_people_whose_manager_left(hr, make_person, login_as):
    assert "gestionnaire est parti" not in text(hr.get("/"))
    boss = make_person("Gaston", "Chef")
    make_person("Rita", "Équipe", manager=boss)
    make_person("Paul", "Autonome")
    hr.submit(f"/people/{boss.id}/depart", {"departed_on": local_today().isoformat()})
    dashboard = text(hr.get("/"))
    assert "Personnes dont le gestionnaire est parti" in dashboard
    listing = text(hr.get("/people/?manager=departed"))
    assert "Équipe, Rita" in listing and "Autonome" not in listing
    assert "gestionnaire est parti" not in text(login_as("dg").get("/"))


def test_a_form_without_csrf_token_changes_nothing(app, hr, make_service):
    app.config["WTF_CSRF_ENABLED"] = True
    service = make_service()
    response = hr.submit("/people/new", _form(service))
    assert response.status_code in (200, 400)
    assert audit("person.created") == []


def test_a_number_taken_between_check_and_write_is_refused_cleanly(app, make_service,
                                                                   make_person, monkeypatch):
    """Two HR users saving the same number at once: the second gets a message, not a 500."""
    from hr_social.people import services

    service = make_service()
    make_person(employee_number="20001")
    monkeypatch.setattr(services, "find_person_by_number", lambda number: None)
    with app.test_request_context(), pytest.raises(services.InvalidChange) as refused:
        services.create_person(None, employee_number="20001", first_name="A", last_name="B",
                               service=service)
    assert "vient d'être enregistré pour une autre personne" in str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(Person).where(Person.first_name == "A")) is None


def test_reactivating_someone_with_a_login_warns_that_their_old_roles_come_back(
        hr, make_user, make_person):
    user = make_user("employee", "hr", username="gaston.retour")
    person = user.person
    hr.submit(f"/people/{person.id}/depart", {"departed_on": local_today().isoformat()})
    page = text(hr.submit(f"/people/{person.id}/reactivate", follow_redirects=True))
    assert "Son compte gaston.retour permet de nouveau de se connecter" in page
    # Nobody to warn about when the person has no login.
    other = make_person("Paul", "Sanscompte")
    hr.submit(f"/people/{other.id}/depart", {"departed_on": local_today().isoformat()})
    page = text(hr.submit(f"/people/{other.id}/reactivate", follow_redirects=True))
    assert "est de nouveau active" in page and "Son compte" not in page


def test_hr_records_the_hiring_date_on_the_person_form(hr, make_service, make_person):
    service = make_service()
    person = make_person("Annie", "Côté", service=service, employee_number="20001",
                         email="annie@ville.test")
    assert 'name="hired_on"' in text(hr.get(f"/people/{person.id}/edit"))
    response = hr.submit(f"/people/{person.id}/edit", _form(
        service, email="annie@ville.test", hired_on="2019-04-15"))
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.hired_on == dt.date(2019, 4, 15)
    (event,) = audit("person.updated")
    assert before_after(event)[1]["hired_on"] == "2019-04-15"
    response = hr.submit(f"/people/{person.id}/edit", _form(
        service, email="annie@ville.test", hired_on="2019-13-45"))
    assert response.status_code == 422
    db.session.refresh(person)
    assert person.hired_on == dt.date(2019, 4, 15)
