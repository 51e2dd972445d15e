"""An employee asks, the DG decides per platform, everyone concerned is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessItem, AccessRequest
from hr_social.audit.services import events_for, record
from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.workflow import TransitionError
from tests.access_requests.conftest import mails_to, requests_count


def ask(client, platforms, *names, purpose="Répondre aux citoyens sur la page de la piscine.",
        submit=True, **extra):
    data = {"platforms": [str(platforms[n].id) for n in names], "purpose": purpose,
            "on_workstation": "y", **extra}
    data["submit_request" if submit else "save_draft"] = "1"
    return client.submit("/access-requests/new", data)


def test_employee_asks_dg_grants_one_platform_and_refuses_another(login_as, platforms, team):
    client = login_as(user=team["employee"])
    response = ask(client, platforms, "Facebook", "LinkedIn")
    assert response.status_code == 302
    request = db.session.scalars(select(AccessRequest)).one()
    assert request.state == "submitted"
    assert "à décider" in mails_to("dg@ville.test")[0].subject
    assert "Émile Employé" in mails_to("gestion@ville.test")[0].body

    client = login_as(user=team["dg"])
    page = client.get("/access-requests/queue")
    queue = page.get_data(as_text=True)
    assert "Émile Employé" in queue and "Facebook, LinkedIn" in queue and "Loisirs" in queue
    facebook, linkedin = request.items
    response = client.submit(f"/access-requests/{request.id}/decide", {
        f"decision-{facebook.id}": "grant", f"conditions-{facebook.id}": "Heures de bureau",
        f"decision-{linkedin.id}": "refuse", f"reason-{linkedin.id}": "Pas lié aux fonctions",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()
    request = db.session.get(AccessRequest, request.id)
    assert (request.state, request.outcome) == ("decided", "partial")
    assert [i.state for i in request.items] == ["granted", "refused"]
    expected_review = local_today().replace(year=local_today().year + 1)
    assert abs((request.items[0].review_on - expected_review).days) <= 3
    assert "accordée en partie" in mails_to("emile@ville.test")[-1].body
    assert mails_to("gestion@ville.test")[-1].subject.startswith("Décision")
    actions = [e.action for e in events_for("access_requests", request.id)]
    assert actions == ["access_request.created", "access_request.submitted",
                       "access_request.decided"]

    client = login_as(user=team["employee"])
    page = client.get(f"/access-requests/{request.id}").get_data(as_text=True)
    assert "Accordé" in page and "Refusé" in page and "access_request" not in page
    # The timeline says what happened in words, to which platform, and what changed.
    assert "Décision rendue" in page and "Accès accordé (Facebook)" in page
    assert "Accès refusé (LinkedIn)" in page
    assert "Motif du refus : — → Pas lié aux fonctions" in page
    assert "Décision : — → Accordée en partie" in page


def test_draft_then_submit_then_withdraw(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "YouTube", submit=False)
    request = db.session.scalars(select(AccessRequest)).one()
    assert request.state == "draft"
    assert mails_to("dg@ville.test") == []
    response = client.submit(f"/access-requests/{request.id}/edit", {
        "platforms": [str(platforms["Facebook"].id)], "purpose": "Nouvelles du parc",
        "save_draft": "1"})
    assert response.status_code == 302
    db.session.rollback()
    assert [i.platform.name for i in db.session.get(AccessRequest, request.id).items] == [
        "Facebook"]
    client.submit(f"/access-requests/{request.id}/submit")
    client.submit(f"/access-requests/{request.id}/withdraw")
    db.session.rollback()
    request = db.session.get(AccessRequest, request.id)
    assert request.state == "withdrawn"
    assert [i.is_open for i in request.items] == [False]
    # Withdrawn: a new request for the same platform is allowed again.
    assert ask(client, platforms, "Facebook").status_code == 302


def test_a_draft_is_withdrawn_without_ever_being_submitted(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "YouTube", submit=False)
    request = db.session.scalars(select(AccessRequest)).one()
    assert "Retirer la demande" in client.get(f"/access-requests/{request.id}").get_data(
        as_text=True)
    response = client.submit(f"/access-requests/{request.id}/withdraw")
    assert response.status_code == 302
    db.session.rollback()
    request = db.session.get(AccessRequest, request.id)
    assert (request.state, request.submitted_at) == ("withdrawn", None)
    assert [i.state for i in request.items] == ["withdrawn"]
    assert mails_to("dg@ville.test") == []
    actions = [e.action for e in events_for("access_requests", request.id)]
    assert actions == ["access_request.created", "access_request.withdrawn"]


def test_manager_adds_a_recommendation_but_may_not_decide(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "Facebook")
    request = db.session.scalars(select(AccessRequest)).one()
    client = login_as(user=team["manager"])
    response = client.submit(f"/access-requests/{request.id}/recommend",
                             {"opinion": "favourable",
                              "recommendation": "Utile pour la saison estivale."})
    assert response.status_code == 302
    item = request.items[0]
    response = client.submit(f"/access-requests/{request.id}/decide",
                             {f"decision-{item.id}": "grant"})
    assert response.status_code == 403
    db.session.rollback()
    request = db.session.get(AccessRequest, request.id)
    assert request.state == "submitted"
    assert request.recommendation == "Utile pour la saison estivale."
    assert request.recommendation_opinion == "favourable"


def test_employee_cannot_open_anothers_request(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "Facebook")
    request = db.session.scalars(select(AccessRequest)).one()
    client = login_as(user=team["other"])
    assert client.get(f"/access-requests/{request.id}").status_code == 404
    assert client.submit(f"/access-requests/{request.id}/withdraw").status_code == 404
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"


def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(login_as, platforms, team):
    client = login_as(user=team["employee"])
    cases = [
        ({"platforms": []}, "Choisissez au moins une plateforme"),
        ({"platforms": ["99999"]}, "n&#39;existe pas"),
        ({"platforms": ["abc"]}, "n&#39;existe pas"),
        ({"wished_until": "2001-01-01"}, "doit être dans le futur"),
        ({"purpose": "x" * 1001}, "trop long"),
        ({"purpose": "  "}, "Décrivez l&#39;usage prévu"),
    ]
    for override, message in cases:
        data = {"platforms": [str(platforms["Facebook"].id)], "purpose": "Page du parc",
                "submit_request": "1", **override}
        response = client.submit("/access-requests/new", data)
        assert response.status_code == 422, override
        assert message in response.get_data(as_text=True), override
    assert requests_count() == 0


def test_double_submit_of_the_same_form_creates_one_request(login_as, platforms, team):
    client = login_as(user=team["employee"])
    data = {"platforms": [str(platforms["Facebook"].id)], "purpose": "Page du parc",
            "submit_request": "1", "submission_key": "une-seule-cle"}
    assert client.post("/access-requests/new", data=data).status_code == 302
    again = client.post("/access-requests/new", data=data)
    assert again.status_code == 422
    assert "déjà été envoyé" in again.get_data(as_text=True)
    assert requests_count() == 1


def test_no_two_open_requests_for_the_same_platform(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "Facebook", submit=False)
    response = ask(client, platforms, "Facebook", "YouTube")
    assert response.status_code == 422
    assert "déjà une demande ouverte pour : Facebook" in response.get_data(as_text=True)
    assert requests_count() == 1


def test_decision_on_an_already_decided_request_changes_nothing(login_as, platforms, team,
                                                                 make_user):
    client = login_as(user=team["employee"])
    ask(client, platforms, "Facebook")
    request = db.session.scalars(select(AccessRequest)).one()
    item = request.items[0]
    client = login_as(user=team["dg"])
    client.submit(f"/access-requests/{request.id}/decide", {f"decision-{item.id}": "grant"})
    client = login_as(user=make_user("employee", "dg", username="dg2"))
    response = client.submit(f"/access-requests/{request.id}/decide", {
        f"decision-{item.id}": "refuse", f"reason-{item.id}": "Non"})
    assert response.status_code == 422
    assert "déjà été traitée par" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(AccessItem, item.id).state == "granted"
    assert len(events_for("access_requests", request.id)) == 3


def test_refusal_needs_a_reason_and_every_platform_needs_a_decision(login_as, platforms, team):
    client = login_as(user=team["employee"])
    ask(client, platforms, "Facebook", "YouTube")
    request = db.session.scalars(select(AccessRequest)).one()
    first, second = request.items
    client = login_as(user=team["dg"])
    response = client.submit(f"/access-requests/{request.id}/decide",
                             {f"decision-{first.id}": "grant"})
    assert "Décidez chacune des plateformes" in response.get_data(as_text=True)
    response = client.submit(f"/access-requests/{request.id}/decide", {
        f"decision-{first.id}": "grant", f"decision-{second.id}": "refuse"})
    assert "Un refus doit être motivé" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"


def test_nobody_decides_their_own_request(login_as, platforms, team):
    client = login_as(user=team["dg"])
    ask(client, platforms, "Facebook")
    request = db.session.scalars(select(AccessRequest)).one()
    response = client.submit(f"/access-requests/{request.id}/decide",
                             {f"decision-{request.items[0].id}": "grant"})
    assert "propre demande" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"



def test_editing_a_draft_submitted_meanwhile_in_another_tab_changes_nothing(platforms, team):
    """Two tabs: one submits the draft while the other still shows it as a draft. The late
    edit must not rewrite a request the DG already has (read-then-update is not enough on
    PostgreSQL: the state read may be stale)."""
    request = ops.create_request(team["employee"], platform_ids=[platforms["Facebook"].id],
                                 purpose="Première version")
    db.session.commit()
    # The other tab's submission, committed after this tab read the draft.
    db.session.execute(update(AccessRequest).where(AccessRequest.id == request.id).values(
        state="submitted", submitted_at=utcnow(), version=AccessRequest.version + 1)
        .execution_options(synchronize_session=False))
    assert request.state == "draft"  # what this tab still believes
    with pytest.raises(TransitionError) as refused:
        ops.update_draft(team["employee"], request, platform_ids=[platforms["YouTube"].id],
                         purpose="Version réécrite")
    assert "déjà été traitée" in str(refused.value) and "Rien n'a été modifié" in str(
        refused.value)
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(AccessRequest, request.id)
    assert saved.purpose == "Première version"
    assert [i.platform.name for i in saved.items] == ["Facebook"]


def test_a_recommendation_arriving_after_the_request_closed_is_refused(platforms, team):
    """The manager's page still shows the request as waiting, but the employee withdrew it
    meanwhile: the late recommendation is refused with a message, nothing written."""
    request = ops.create_request(team["employee"], platform_ids=[platforms["Facebook"].id],
                                 purpose="Page du camp de jour", submit=True)
    db.session.commit()
    db.session.execute(update(AccessRequest).where(AccessRequest.id == request.id).values(
        state="withdrawn", closed_at=utcnow(), version=AccessRequest.version + 1)
        .execution_options(synchronize_session=False))
    assert request.state == "submitted"  # what the manager's request read
    with pytest.raises(TransitionError) as refused:
        ops.recommend(team["manager"], request, opinion="favourable",
                      text="Utile pour la saison estivale.")
    assert "Rien n'a été modifié" in str(refused.value)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AccessRequest, request.id).recommendation is None


def test_the_timeline_reads_entries_written_under_the_old_action_names(login_as, platforms, team):
    """Entries recorded before the names became <entity>.<past participle> stay as written
    (the audit chain is never rewritten) and read with the same words as new ones."""
    client = login_as(user=team["employee"])
    ask(client, platforms, "YouTube", submit=False)
    request = db.session.scalars(select(AccessRequest)).one()
    item = request.items[0]
    record("access_request.submit", request, actor=team["employee"])
    record("access_item.expiry_notice_sent", item, actor=None)
    record("access_grant.renew_restricted", item, actor=None)
    db.session.commit()
    page = client.get(f"/access-requests/{request.id}").get_data(as_text=True)
    assert "Demande soumise à la Direction générale" in page
    assert "échéance envoyé (YouTube)" in page and "Accès renouvelé (YouTube)" in page
    assert "access_request.submit" not in page and "access_item" not in page
