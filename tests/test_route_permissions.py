"""Every endpoint declares an access rule, and every role gets the expected answer."""

from __future__ import annotations

import pytest

from hr_social.permissions import access_rule_of
from tests.conftest import PASSWORD, login
from tests.route_expectations import LOGIN, REDIRECT, ROLES, World, all_routes, modules


def test_every_endpoint_declares_an_access_rule(app):
    missing = [ep for ep in app.view_functions if access_rule_of(app, ep) is None]
    assert missing == []


def test_every_endpoint_has_expectations(app):
    covered = {route.endpoint for route in all_routes()}
    assert sorted(set(app.view_functions) - covered) == []


def test_expectations_name_every_role():
    for route in all_routes():
        assert set(route.expected) == set(ROLES), route.endpoint


@pytest.fixture
def world(app, make_service, make_person, make_user):
    world = World()
    home, other = make_service("Service A", "SA"), make_service("Service B", "SB")
    world.services.update(home=home, other=other)
    manager = make_person("Gaston", "Gestionnaire", service=home)
    report = make_person("Rita", "Rapport", service=home, manager=manager)
    outsider = make_person("Olivier", "Ailleurs", service=other)
    world.people.update(manager=manager, report=report, outsider=outsider)
    world.users["employee"] = make_user("employee", person=report, username="employee")
    world.users["manager"] = make_user("employee", "manager", person=manager, username="manager")
    for role in ("hr", "dg", "communications", "admin"):
        world.users[role] = make_user("employee", role, username=role, service=other,
                                      first_name=role.upper())
    for module in modules():
        if hasattr(module, "build"):
            module.build(world)
    return world


def _answer(response) -> int | str:
    if response.status_code in (301, 302, 303):
        return LOGIN if "/login" in response.headers["Location"] else REDIRECT
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, world, role):
    if role != "anonymous":
        login(client, world.users[role], PASSWORD)
    wrong = []
    for route in all_routes():
        path = route.path(world)
        if route.method == "GET":
            response = client.get(path)
        else:
            response = client.submit(path, data=route.form(world))
        got = _answer(response)
        if got != route.expected[role]:
            wrong.append(f"{route.method} {path} ({route.endpoint}): {got}, "
                         f"expected {route.expected[role]}")
        if route.endpoint == "auth.logout" and role != "anonymous":
            login(client, world.users[role], PASSWORD)
    assert wrong == []
