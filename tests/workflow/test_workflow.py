"""The shared mechanism on its own, through the access-request models it first serves."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import update

from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.audit.services import events_for
from hr_social.db import db, utcnow
from hr_social.workflow import (
    CONFLICT_MASCULINE,
    CONFLICT_NEUTRAL,
    SYSTEM_ACTOR,
    AlreadyProcessed,
    GuardFailed,
    NotPermitted,
    Transition,
    Workflow,
    apply_transition,
    user_actor,
)


@pytest.fixture
def submitted(app, make_user):
    db.session.add(Platform(name="Facebook", category="social"))
    db.session.commit()
    owner = make_user("employee")
    request = ops.create_request(owner, platform_ids=[1], purpose="Page", submit=True)
    db.session.commit()
    return request, owner


def test_a_workflow_refuses_unknown_states_and_duplicate_names():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("x", object, {"a": "A"}, [Transition("go", ("a",), "b", ("dg",))])
    with pytest.raises(ValueError, match="duplicate"):
        Workflow("x", object, {"a": "A"}, [Transition("go", ("a",), "a", ()),
                                           Transition("go", ("a",), "a", ())])
    flow = Workflow("x", object, {"a": "A"}, [Transition("go", ("a",), "a", ())])
    with pytest.raises(ValueError, match="no transition"):
        flow.transition("nope")
    assert flow.state_label("zzz") == "zzz"


def test_role_owner_and_system_permissions(submitted, make_user):
    request, owner = submitted
    flow = AccessRequest.workflow
    assert flow.may(request, "withdraw", user_actor(owner))
    assert not flow.may(request, "withdraw", user_actor(make_user("employee")))
    assert flow.may(request, "lapse", SYSTEM_ACTOR)
    assert not flow.may(request, "decide", SYSTEM_ACTOR)
    assert [t.name for t in flow.available(request, user_actor(owner))] == ["withdraw"]
    assert flow.can(request, "decide", user_actor(make_user("dg")), {})
    assert not flow.can(request, "decide", user_actor(owner.__class__.by_username(
        owner.username)), {})


def test_not_permitted_and_guard_leave_everything_unchanged(submitted, make_user):
    request, owner = submitted
    with pytest.raises(NotPermitted):
        apply_transition(request, "decide", user_actor(make_user("manager")), now=utcnow())
    owner.roles  # noqa: B018 - loaded
    with pytest.raises(GuardFailed, match="propre demande"):
        apply_transition(request, "decide", user_actor(owner, extra_roles=("dg",)),
                         now=utcnow())
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).version == 2
    assert len(events_for("access_requests", request.id)) == 2


def test_a_stale_version_means_someone_else_acted_first(submitted, make_user):
    """The object in memory says version 2, the row says 3: the UPDATE matches no row."""
    request, owner = submitted
    db.session.execute(update(AccessRequest).where(AccessRequest.id == request.id)
                       .values(version=AccessRequest.version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(AlreadyProcessed, match="déjà été traitée par"):
        apply_transition(request, "withdraw", user_actor(owner), now=utcnow())
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"


def _conflict_message(request, owner, monkeypatch, **wording) -> str:
    """The refusal a second actor gets, the request being worded as another noun would be."""
    monkeypatch.setattr(AccessRequest, "workflow", dataclasses.replace(
        AccessRequest.workflow, label=lambda obj: f"Le dossier n° {obj.id}", **wording))
    db.session.execute(update(AccessRequest).where(AccessRequest.id == request.id)
                       .values(version=AccessRequest.version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(AlreadyProcessed) as refused:
        apply_transition(request, "withdraw", user_actor(owner), now=utcnow())
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"
    return str(refused.value)


def test_the_conflict_message_agrees_with_the_workflow_noun(submitted, monkeypatch):
    request, owner = submitted
    message = _conflict_message(request, owner, monkeypatch,
                                conflict_message=CONFLICT_MASCULINE)
    assert message.startswith(f"Le dossier n° {request.id} a déjà été traité par ")
    assert ": il est maintenant « En attente de décision »" in message
    assert "traitée" not in message


def test_the_default_conflict_message_reads_for_any_noun(submitted, monkeypatch):
    """A workflow that gives no wording of its own gets one with no agreement to get wrong."""
    request, owner = submitted
    message = _conflict_message(request, owner, monkeypatch,
                                conflict_message=CONFLICT_NEUTRAL)
    assert message.startswith(f"Le dossier n° {request.id} : ")
    assert "a agi avant vous" in message and "« En attente de décision »" in message
    assert "Rien n'a été modifié." in message
    assert Workflow("x", object, {"a": "A"}).conflict_message is CONFLICT_NEUTRAL


def test_a_transition_bumps_the_version_and_writes_one_audit_entry(submitted):
    request, owner = submitted
    apply_transition(request, "withdraw", user_actor(owner), now=utcnow())
    db.session.commit()
    assert (request.state, request.version) == ("withdrawn", 3)
    last = events_for("access_requests", request.id)[-1]
    assert last.action == "access_request.withdrawn"
    assert (last.before["state"], last.after["state"]) == ("submitted", "withdrawn")
    with pytest.raises(AlreadyProcessed):
        apply_transition(request, "withdraw", user_actor(owner), now=utcnow())
