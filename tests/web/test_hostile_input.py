"""A NUL character, an integer no column can hold, an absurd date: a clear answer, no crash,
nothing written (issue 11, items 1 and 2)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.auth.models import LoginAttempt
from hr_social.db import db
from hr_social.people.models import Person, Service


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_nul_character_in_a_search_box_is_refused_in_french(login_as):
    employee = login_as("employee")
    response = employee.get("/access-requests/?q=%00")
    assert response.status_code == 400
    assert "caractère nul" in _text(response)


def test_a_nul_character_in_the_login_form_is_refused_and_not_counted(client, make_user):
    user = make_user("employee")
    response = client.post("/login", data={"username": user.username + "\x00",
                                           "password": "x\x00"})
    assert response.status_code == 400 and "caractère nul" in _text(response)
    assert _count(LoginAttempt) == 0


def test_a_nul_character_in_a_form_field_saves_nothing(login_as):
    hr = login_as("hr")
    before = _count(Service)
    response = hr.submit("/services/new", {"code": "NUL", "name": "Greffe\x00"})
    assert response.status_code == 400 and "caractère nul" in _text(response)
    assert _count(Service) == before


@pytest.mark.parametrize("huge", ["2147483648", "9223372036854775808", "99999999999999999999"])
def test_an_id_out_of_range_is_not_found(login_as, huge):
    hr = login_as("hr")
    assert hr.get(f"/people/{huge}").status_code == 404
    assert hr.get(f"/people/{huge}/edit").status_code == 404
    assert hr.submit(f"/services/{huge}/deactivate").status_code == 404


def test_a_filter_out_of_range_is_ignored_with_a_message(login_as, make_person):
    hr = login_as("hr")
    make_person("Zoé", "Filtrée")
    response = hr.get("/people/?service=2147483648")
    assert response.status_code == 200
    page = _text(response)
    assert page.count("hors limites") == 1 and "Filtrée" in page


def test_a_registry_filter_read_twice_says_so_once(login_as):
    response = login_as("hr", "dg").get("/access-requests/registry?platform=2147483648")
    assert response.status_code == 200 and _text(response).count("hors limites") == 1


@pytest.mark.parametrize("path", ["/people/", "/access-requests/registry",
                                  "/access-requests/reviews"])
def test_a_page_number_out_of_range_shows_the_last_page(login_as, path):
    client = login_as("hr", "dg")
    response = client.get(f"{path}?page=99999999999999999999")
    assert response.status_code == 200


def test_a_forged_platform_id_in_the_request_form_is_an_unknown_platform(login_as):
    employee = login_as("employee")
    db.session.add(Platform(name="Facebook", category="social"))
    db.session.commit()
    response = employee.submit("/access-requests/new", {
        "platforms": "2147483648", "purpose": "Page de la bibliothèque", "save_draft": "y"})
    assert response.status_code in (200, 400, 422)
    assert "n'existe pas" in _text(response)
    assert _count(AccessRequest) == 0


def test_a_forged_service_id_in_a_select_gets_a_message(login_as, make_service):
    hr = login_as("hr")
    make_service("Greffe", "GREF")
    before = _count(Person)
    response = hr.submit("/people/new", {
        "employee_number": "9001", "first_name": "Ana", "last_name": "Hors",
        "service_id": "9223372036854775808", "kind": "employee"})
    assert response.status_code in (200, 422)
    assert _count(Person) == before


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_absurd_date_in_a_filter_is_refused_with_the_reason(login_as, day):
    hr = login_as("hr", "dg")
    for path in ("/access-requests/registry", "/audit/"):
        response = hr.get(f"{path}?to={day}")
        assert response.status_code == 400, path
        assert "hors limites" in _text(response)


def test_an_id_from_a_form_beyond_a_database_integer_is_no_row(app, make_person):
    from hr_social.people.models import Person
    from hr_social.web.input_limits import row_by_id

    person = make_person()
    assert row_by_id(Person, str(person.id)) == person
    for raw in ("2147483648", "-2147483649", "abc", "", None, "1e3"):
        assert row_by_id(Person, raw) is None


@pytest.mark.parametrize("path", ["/admin/users/", "/access-requests/queue",
                                  "/access-requests/reviews"])
@pytest.mark.parametrize("query, status", [
    ("%00", 400), ("a" * 5000, 200), ("%25_%5C'\"", 200), ("%FF", 200)])
def test_lists_paged_through_ids_answer_hostile_searches_and_pages(login_as, path, query,
                                                                    status):
    client = login_as("admin", "dg")
    assert client.get(f"{path}?q={query}").status_code == status
    assert client.get(f"{path}?q=a&page=99999999999999999999").status_code == 200
