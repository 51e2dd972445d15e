"""The system administration gives people their logins and roles."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from hr_social.auth.models import UserSession
from hr_social.db import db
from hr_social.people.models import User
from hr_social.people.search import logins_found
from tests.conftest import PASSWORD, _uses_postgres, login
from tests.people.helpers import audit, before_after, text

NEW_PASSWORD = "Une-phrase-de-passe-solide"


@pytest.fixture
def admin_user(make_user):
    return make_user("employee", "admin", username="administrateur")


@pytest.fixture
def admin(login_as, admin_user):
    return login_as(user=admin_user)


def open_sessions(user) -> int:
    return len(db.session.scalars(select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))).all())


def test_admin_creates_a_login_with_several_roles(admin, make_person, app):
    person = make_person("Sophie", "Lavoie", employee_number="30001")
    form_page = text(admin.get("/admin/users/new?person=30001"))
    assert 'value="30001"' in form_page
    response = admin.submit("/admin/users/new", {
        "person_number": "30001", "username": "SLavoie", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "roles": ["employee", "communications"]})
    assert response.status_code == 302
    user = User.by_username("slavoie")
    assert user.person_id == person.id
    assert user.role_names == {"employee", "communications"}
    assert before_after(audit("user.created")[0])[1] == {
        "username": "slavoie", "roles": ["communications", "employee"], "person": "30001"}
    assert NEW_PASSWORD not in (audit("user.created")[0].after_json or "")
    app.test_client_class = type(admin)
    assert login(app.test_client(), user, NEW_PASSWORD)


def test_login_creation_refusals_are_explained(admin, make_user, make_person):
    existing = make_user("employee", username="deja")
    count = db.session.query(User).count()
    base = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "roles": ["employee"]}
    response = admin.submit("/admin/users/new", base | {
        "person_number": existing.person.employee_number, "username": "autre"})
    assert "a déjà un compte (deja)" in text(response)
    person = make_person()
    response = admin.submit("/admin/users/new", base | {
        "person_number": person.employee_number, "username": "DEJA"})
    assert "Le nom d'utilisateur deja est déjà pris." in text(response)
    response = admin.submit("/admin/users/new", base | {
        "person_number": person.employee_number, "username": "x y"})
    assert "Nom d'utilisateur invalide" in text(response)
    response = admin.submit("/admin/users/new", base | {
        "person_number": "INCONNU", "username": "nouveau"})
    assert "Aucune personne ne porte ce matricule." in text(response)
    response = admin.submit("/admin/users/new", base | {
        "person_number": person.employee_number, "username": "nouveau", "roles": []})
    assert "Choisissez au moins un rôle." in text(response)
    response = admin.submit("/admin/users/new", {
        "person_number": person.employee_number, "username": "nouveau", "password": "court",
        "confirm": "court", "roles": ["employee"]})
    assert "au moins 12 caractères" in text(response)
    assert db.session.query(User).count() == count
    assert audit("user.created") == []


def test_a_departed_person_gets_no_login(admin, make_person):
    import datetime as dt

    person = make_person(is_active=False, departed_on=dt.date(2024, 1, 1))
    response = admin.submit("/admin/users/new", {
        "person_number": person.employee_number, "username": "ancien",
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "roles": ["employee"]})
    assert "impossible de lui créer un compte" in text(response)
    assert User.by_username("ancien") is None


def test_admin_changes_roles_with_before_and_after(admin, make_user):
    user = make_user("employee", username="marc")
    assert "marc" in text(admin.get(f"/admin/users/{user.id}"))
    admin.submit(f"/admin/users/{user.id}", {"roles": ["employee", "manager"]})
    db.session.refresh(user)
    assert user.role_names == {"employee", "manager"}
    assert before_after(audit("user.roles_changed")[0]) == (
        {"roles": ["employee"]}, {"roles": ["employee", "manager"]})
    admin.submit(f"/admin/users/{user.id}", {"roles": ["employee", "manager"]})
    response = admin.submit(f"/admin/users/{user.id}", {"roles": ["superuser"]})
    assert response.status_code == 422
    assert len(audit("user.roles_changed")) == 1


def test_an_admin_cannot_lock_themself_out(admin, admin_user):
    response = admin.submit(f"/admin/users/{admin_user.id}", {"roles": ["employee"]})
    assert "retirer votre propre rôle d'administration" in text(response)
    response = admin.submit(f"/admin/users/{admin_user.id}/disable", follow_redirects=True)
    assert "désactiver votre propre compte" in text(response)
    response = admin.submit(f"/admin/users/{admin_user.id}/password",
                            {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                            follow_redirects=True)
    assert "Changez votre propre mot de passe" in text(response)
    db.session.refresh(admin_user)
    assert admin_user.is_enabled and "admin" in admin_user.role_names
    assert admin.get("/admin/users/").status_code == 200


def test_disabling_a_user_ends_all_their_sessions(admin, make_user, login_as):
    user = make_user("employee", username="julie")
    first, second = login_as(user=user), login_as(user=user)
    assert open_sessions(user) == 2
    admin.submit(f"/admin/users/{user.id}/disable")
    assert open_sessions(user) == 0
    assert first.get("/").status_code == 302 and second.get("/").status_code == 302
    assert before_after(audit("user.disabled")[0])[1] == {
        "is_enabled": False, "sessions_ended": 2}
    again = admin.submit(f"/admin/users/{user.id}/disable", follow_redirects=True)
    assert "déjà désactivé" in text(again)
    admin.submit(f"/admin/users/{user.id}/enable")
    db.session.refresh(user)
    assert user.is_enabled and len(audit("user.enabled")) == 1
    again = admin.submit(f"/admin/users/{user.id}/enable", follow_redirects=True)
    assert "déjà actif" in text(again)


def test_password_reset_ends_sessions(admin, make_user, login_as, app):
    user = make_user("employee", username="remi")
    their_client = login_as(user=user)
    response = admin.submit(f"/admin/users/{user.id}/password",
                            {"password": NEW_PASSWORD, "confirm": "autre-chose-encore"})
    assert "Les deux mots de passe diffèrent." in text(response)
    assert open_sessions(user) == 1
    admin.submit(f"/admin/users/{user.id}/password",
                 {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert open_sessions(user) == 0
    assert their_client.get("/").status_code == 302
    (event,) = audit("user.password_reset")
    assert NEW_PASSWORD not in (event.after_json or "")
    assert login(app.test_client(), user, NEW_PASSWORD)


def test_user_list_searches_by_name_and_filters_by_role(admin, make_user, app):
    app.config["PAGE_SIZE"] = 2
    make_user("employee", "hr", username="rh1", first_name="Hélène", last_name="Dubé")
    make_user("employee", username="emp1", first_name="Éric", last_name="Simard")
    make_user("employee", username="emp2", first_name="Luc", last_name="Otis")
    assert "rh1" in text(admin.get("/admin/users/?q=Hélène Dubé"))
    by_login = text(admin.get("/admin/users/?q=EMP"))  # the user name, any case
    assert "emp1" in by_login and "emp2" in by_login and "rh1" not in by_login
    assert "2 résultats" in by_login  # counted on the logins alone
    assert "Aucun compte" in text(admin.get("/admin/users/?q=emp%25"))  # % is a character
    page = text(admin.get("/admin/users/?role=hr"))
    assert "rh1" in page and "emp1" not in page
    assert "Page 1 sur 2" in text(admin.get("/admin/users/?status=enabled"))
    assert "Aucun compte" in text(admin.get("/admin/users/?status=disabled"))


def test_user_list_rows_show_person_roles_and_departure(admin, make_user):
    from hr_social.auth.passwords import hash_password
    from hr_social.clock import local_today
    from hr_social.people.models import UserRole

    make_user("hr", "employee", username="rh.dube", first_name="Hélène", last_name="Dubé")
    leaver = make_user("employee", username="gaston.parti", first_name="Gaston",
                       last_name="Roy")
    leaver.person.is_active, leaver.person.departed_on = False, local_today()
    db.session.add(User(username="robot.paie", password_hash=hash_password(NEW_PASSWORD),
                        roles=[UserRole(role="admin")]))
    db.session.commit()
    rows = {re.search(r">([^<]+)</a></td>", row).group(1): row
            for row in text(admin.get("/admin/users/")).split("<tr>")[2:]}
    assert "Dubé, Hélène" in rows["rh.dube"] and "personne partie" not in rows["rh.dube"]
    assert "Employé·e, Ressources humaines" in rows["rh.dube"], rows["rh.dube"]
    assert "Roy, Gaston" in rows["gaston.parti"] and "(personne partie)" in rows["gaston.parti"]
    assert "Compte technique" in rows["robot.paie"]


def test_only_admin_manages_accounts(login_as, make_user):
    user = make_user("employee", username="cible")
    hr = login_as("hr")
    assert hr.get("/admin/users/").status_code == 403
    assert hr.submit(f"/admin/users/{user.id}", {"roles": ["admin"]}).status_code == 403
    assert hr.submit(f"/admin/users/{user.id}/disable").status_code == 403
    db.session.refresh(user)
    assert user.role_names == {"employee"} and user.is_enabled


def test_unknown_account_is_404(admin):
    assert admin.get("/admin/users/99999").status_code == 404


def test_login_password_is_never_logged(admin, make_person):
    person = make_person()
    admin.submit("/admin/users/new", {
        "person_number": person.employee_number, "username": "secret",
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "roles": ["employee"]})
    assert all(NEW_PASSWORD not in (e.after_json or "") for e in audit("user.created"))
    assert PASSWORD != NEW_PASSWORD


def test_the_account_services_refuse_a_weak_password_whoever_calls_them(app, admin_user,
                                                                        make_person, make_user):
    """The password rule lives in the service, not only in the form: a CLI or a later
    screen calling the service cannot store a weak password."""
    from hr_social.auth.passwords import verify_password
    from hr_social.people import account_services as accounts
    from hr_social.people.services import InvalidChange

    person = make_person()
    with app.test_request_context():
        with pytest.raises(InvalidChange) as refused:
            accounts.create_login(admin_user, person, username="nouveau", password="court",
                                  roles=["employee"])
        assert "au moins 12 caractères" in refused.value.field_errors["password"]
        other = make_user("employee")
        with pytest.raises(InvalidChange):
            accounts.reset_password(admin_user, other, new_password="password1234")
    db.session.rollback()
    assert User.by_username("nouveau") is None
    assert verify_password(db.session.get(User, other.id).password_hash, PASSWORD)


def test_a_login_found_by_its_person_and_its_user_name_is_listed_once(admin, make_user,
                                                                       app):
    make_user("employee", username="gagnon.j", first_name="Julie", last_name="Gagnon")
    make_user("employee", username="jgagnon", first_name="Jean", last_name="Roy")
    make_user("employee", username="mroy", first_name="Marc", last_name="Gagnon")
    page = text(admin.get("/admin/users/?q=gagnon"))
    assert "3 résultats" in page
    assert [name for name in ("gagnon.j", "jgagnon", "mroy") if name in page] == [
        "gagnon.j", "jgagnon", "mroy"]
    assert "1 résultat" in text(admin.get("/admin/users/?q=GAGNON.J"))


@pytest.mark.skipif(not _uses_postgres(), reason="PostgreSQL's trigram index")
def test_a_user_name_search_goes_through_the_trigram_index(app):
    with app.app_context():
        db.session.execute(sql("SET LOCAL enable_seqscan = off"))
        statement = select(User.id).where(User.id.in_(logins_found("gagnon")))
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = "\n".join(db.session.scalars(sql(f"EXPLAIN {compiled}")))
        db.session.rollback()
    assert "ix_users_username_trigram" in plan
