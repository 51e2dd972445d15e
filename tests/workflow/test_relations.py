"""Relation roles: a transition names a relation ("case_handler") as it names a user role,
and the workflow's relations(obj, user) hook says who holds it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.db import db
from hr_social.web.transitions import transitions_for
from hr_social.workflow import SYSTEM_ACTOR, Actor, Transition, Workflow


@dataclass
class Case:  # a throwaway object: the resolution needs no table
    state: str
    handler: str
    person: str


@dataclass(frozen=True)
class Someone:
    name: str


def _case_relations(case, user) -> set[str]:
    found = set()
    if user.name == case.handler:
        found.add("case_handler")
    if user.name == case.person:
        found.add("concerned_person")
    if user.name == "sneaky":
        found.add("system")  # a relation can never make a user a system job
    return found


CASES = Workflow(
    "case", Case, {"open": "Ouvert", "closed": "Fermé", "contested": "Contesté"},
    [Transition("close", ("open",), "closed", ("case_handler",)),
     Transition("contest", ("closed",), "contested", ("concerned_person",),
                guard=lambda case, actor, data: "trop tard" if data.get("late") else None),
     Transition("archive", ("closed",), "closed", ("system",))],
    relations=_case_relations,
)


def _actor(name, *roles):
    return Actor(Someone(name), frozenset(roles))


def test_relations_grant_the_transitions_that_name_them():
    case = Case("open", handler="hélène", person="paul")
    assert CASES.roles_of(case, _actor("hélène", "hr")) == {"hr", "case_handler"}
    assert [t.name for t in CASES.available(case, _actor("hélène"))] == ["close"]
    assert CASES.available(case, _actor("paul")) == []
    assert CASES.available(case, _actor("rita", "hr", "dg")) == []  # a role is not a relation
    case.state = "closed"
    assert [t.name for t in CASES.available(case, _actor("paul"))] == ["contest"]
    assert not CASES.can(case, "contest", _actor("paul"), {"late": True})  # guard still applies
    assert CASES.available(case, _actor("hélène")) == []


def test_only_jobs_hold_system_whatever_the_relations_say():
    case = Case("closed", handler="hélène", person="paul")
    assert not CASES.may(case, "archive", _actor("sneaky"))
    assert CASES.may(case, "archive", SYSTEM_ACTOR)
    assert CASES.roles_of(case, SYSTEM_ACTOR) == {"system"}


def test_a_workflow_without_relations_knows_only_user_roles():
    flow = Workflow("x", Case, {"open": "O"}, [Transition("go", ("open",), "open", ("hr",))])
    case = Case("open", handler="a", person="a")
    assert flow.relations(case, Someone("a")) == set()
    assert flow.can(case, "go", _actor("a", "hr")) and not flow.can(case, "go", _actor("a"))


@pytest.fixture
def submitted(app, make_user):
    db.session.add(Platform(name="Facebook", category="social"))
    db.session.commit()
    owner = make_user("employee")
    request = ops.create_request(owner, platform_ids=[1], purpose="Page", submit=True)
    db.session.commit()
    return request, owner


def test_the_requester_is_the_owner_of_an_access_request(submitted, make_user):
    request, owner = submitted
    flow = AccessRequest.workflow
    assert flow.relations(request, owner) == {"owner"}
    assert flow.relations(request, make_user("employee")) == set()


def test_buttons_offer_what_the_workflow_allows_the_user(submitted, make_user):
    """transitions_for (the templates' helper) is the workflow's answer for the user."""
    request, owner = submitted
    dg = make_user("dg")
    assert transitions_for(request, owner) == {"withdraw"}
    assert transitions_for(request, dg) == {"decide"}
    assert transitions_for(request, make_user("hr")) == set()
    owner_as_dg = make_user("dg", person=owner.person, username="owner-dg")
    assert transitions_for(request, owner_as_dg) == {"withdraw"}  # never decides own request
