"""The home as a to-do inbox : each role sees what it must act on, oldest first, acts in one
click where it can (recommend, grant), sees what happened since its last visit, and the page
still costs at most three statements."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.acknowledgements import policy_services
from hr_social.acknowledgements import services as ack_services
from hr_social.acknowledgements.models import Acknowledgement, AckStatus
from hr_social.db import db, utcnow
from hr_social.people.models import User, UserRole
from hr_social.web.charts import Bar, bar_chart
from hr_social.web.dashboard import record_visit
from tests.people.helpers import text

BODY = "## 1 Objet\n\nUn texte d'essai écrit pour les tests.\n"


@pytest.fixture
def town(make_service, make_person, make_user):
    """Two services ; a manager and her two reports ; a DG, HR, communications."""
    parks, clerk = make_service("Parcs", "PAR"), make_service("Greffe", "GRE")
    boss = make_person("Gisèle", "Gestion", service=parks, email="gestion@ville.test")
    emile = make_person("Émile", "Employé", service=parks, manager=boss,
                        email="emile@ville.test")
    zoe = make_person("Zoé", "Zèle", service=parks, manager=boss, email="zoe@ville.test")
    make_person("Paul", "Papier", service=clerk)  # no login, no e-mail: cannot sign online
    platforms = [Platform(name=n, category="social") for n in ("Facebook", "LinkedIn")]
    db.session.add_all(platforms)
    db.session.commit()
    return {
        "platforms": platforms,
        "employee": make_user("employee", person=emile, username="emile"),
        "zoe": make_user("employee", person=zoe, username="zoe"),
        "manager": make_user("employee", "manager", person=boss, username="gisele"),
        "dg": make_user("employee", "dg", username="dg", email="dg@ville.test"),
        "hr": make_user("employee", "hr", username="rh", email="rh@ville.test"),
        "communications": make_user("employee", "communications", username="comm"),
    }


def _publish(hr) -> None:
    version = policy_services.create_version(
        hr, title="Politique d'essai", version_label="v1", effective_date=dt.date(2026, 1, 5),
        body=BODY, key_points="1 | Je réponds de ce que je publie.")
    policy_services.publish_version(hr, version)
    db.session.commit()


def _ack_of(user) -> Acknowledgement:
    return db.session.scalars(select(Acknowledgement).where(
        Acknowledgement.person_id == user.person_id)).one()


def _sign(user) -> None:
    ack, name, now = _ack_of(user), user.person.full_name, utcnow()
    with db.session.no_autoflush:
        ack.status, ack.signed_at, ack.policy_opened_at = AckStatus.signed_electronic, now, now
        ack.signed_name, ack.document_sha256 = name, "0" * 64
    db.session.commit()


def _ask(user, platform, submit=True) -> AccessRequest:
    request = ops.create_request(user, platform_ids=[platform.id],
                                 purpose="Répondre aux citoyens sur la page des parcs.",
                                 submit=submit)
    db.session.commit()
    return request


def test_the_employee_sees_what_to_sign_their_accesses_and_their_draft(login_as, town):
    _publish(town["hr"])
    employee, (facebook, linkedin) = town["employee"], town["platforms"]
    granted = _ask(employee, facebook)
    ops.grant_everything(town["dg"], granted)
    _ask(employee, linkedin, submit=False)
    review_on = granted.items[0].review_on
    page = text(login_as(user=employee).get("/"))
    assert "Demander un accès" in page  # the primary action
    assert "Politique à signer" in page
    assert f"/acknowledgements/{_ack_of(employee).id}/policy" in page
    assert "Soumettre votre demande d'accès" in page  # the draft only they can send
    assert "Mes accès en vigueur" in page and "Facebook" in page
    assert review_on.isoformat() in page
    # Nothing here is for a manager, HR or the DG.
    for other in ("Recommander", "Campagne en vigueur", "Décider la demande"):
        assert other not in page


def test_a_decision_is_news_on_the_home_until_the_next_sitting(login_as, town):
    employee = town["employee"]
    client = login_as(user=employee)
    request = _ask(employee, town["platforms"][0])
    client.get("/")  # the visit before the decision
    ops.grant_everything(town["dg"], request)
    db.session.commit()
    page = text(client.get("/"))
    assert "Depuis votre dernière visite" in page
    assert f"Votre demande d'accès n° {request.id} a été décidée" in page
    assert "Accordée" in page
    # Still there while the person works; gone once a later sitting starts. Moved back in
    # time: decided two hours ago, last seen an hour ago (after the decision), back now.
    assert "a été décidée" in text(client.get("/"))
    db.session.get(AccessRequest, request.id).decided_at = utcnow() - dt.timedelta(hours=2)
    db.session.get(User, employee.id).home_visited_at = utcnow() - dt.timedelta(hours=1)
    db.session.commit()
    assert "a été décidée" not in text(client.get("/"))
    user = db.session.get(User, employee.id)
    assert user.home_news_since > utcnow() - dt.timedelta(hours=1, minutes=1)


def test_a_visit_within_the_minute_changes_nothing_and_a_new_sitting_moves_the_news(town):
    user = town["employee"]
    start = utcnow()
    record_visit(user, now=start)
    assert user.home_news_since == start - dt.timedelta(days=30)  # first visit: a month back
    record_visit(user, now=start + dt.timedelta(seconds=20))
    assert user.home_visited_at == start
    record_visit(user, now=start + dt.timedelta(minutes=10))  # same sitting
    assert user.home_news_since == start - dt.timedelta(days=30)
    record_visit(user, now=start + dt.timedelta(hours=2))  # a new sitting
    assert user.home_news_since == start + dt.timedelta(minutes=10)


def test_the_manager_recommends_from_the_home(login_as, town):
    request = _ask(town["employee"], town["platforms"][0])
    client = login_as(user=town["manager"])
    page = text(client.get("/"))
    assert "Recommander la demande d'accès d'Émile Employé" in page
    assert f"/access-requests/{request.id}/recommend" in page
    refused = client.submit(f"/access-requests/{request.id}/recommend",
                            {"opinion": "unfavourable", "recommendation": "", "next": "/"})
    assert refused.status_code == 422
    assert "Un avis défavorable doit être expliqué" in text(refused)
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).recommendation_opinion is None
    done = client.submit(f"/access-requests/{request.id}/recommend",
                         {"opinion": "favourable", "recommendation": "", "next": "/"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/")
    db.session.rollback()
    saved = db.session.get(AccessRequest, request.id)
    assert (saved.state, saved.recommendation_opinion) == ("submitted", "favourable")
    assert "Recommander la demande" not in text(client.get("/"))  # done: off the list


def test_an_employee_may_not_recommend_a_colleagues_request(login_as, town):
    request = _ask(town["employee"], town["platforms"][0])
    response = login_as(user=town["zoe"]).submit(
        f"/access-requests/{request.id}/recommend", {"opinion": "favourable"})
    assert response.status_code in (403, 404)
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).recommendation_opinion is None


def test_the_manager_sees_who_in_the_team_has_not_signed(login_as, town):
    _publish(town["hr"])
    _sign(town["zoe"])
    page = text(login_as(user=town["manager"]).get("/"))
    assert "Accusés de réception de votre équipe" in page
    assert "1 personne(s) sur 2 ont signé" in page and "50" in page
    waiting = page.split("Pas encore signé", 1)[1]
    assert "Émile Employé" in waiting and "Zoé Zèle" not in waiting
    assert "Consigner un incident" in page


def test_the_dg_decides_with_the_recommendation_and_the_signature_in_view(login_as, town):
    _publish(town["hr"])
    first = _ask(town["employee"], town["platforms"][0])
    ops.recommend(town["manager"], first, opinion="unfavourable", text="Pas pour ce poste.")
    second = _ask(town["zoe"], town["platforms"][0])
    _sign(town["zoe"])
    db.session.commit()
    client = login_as(user=town["dg"])
    page = text(client.get("/"))
    emile = page.index(f"Décider la demande d'accès n° {first.id}")
    zoe = page.index(f"Décider la demande d'accès n° {second.id}")
    assert emile < zoe  # oldest first
    assert "Défavorable — Pas pour ce poste." in page[emile:zoe]
    assert "pas encore signé" in page[emile:zoe]
    assert "accusé de réception signé" in page[zoe:]
    assert "Aucune recommandation du gestionnaire" in page[zoe:]
    done = client.submit(f"/access-requests/{second.id}/grant-all", {"next": "/"})
    assert done.status_code == 302
    db.session.rollback()
    decided = db.session.get(AccessRequest, second.id)
    assert decided.state == "decided" and decided.items[0].state == "granted"
    assert f"n° {second.id} de" not in text(client.get("/"))


def test_only_the_dg_grants_from_the_home(login_as, town):
    request = _ask(town["employee"], town["platforms"][0])
    for role in ("manager", "hr"):
        response = login_as(user=town[role]).submit(f"/access-requests/{request.id}/grant-all")
        assert response.status_code == 403
    db.session.rollback()
    assert db.session.get(AccessRequest, request.id).state == "submitted"


def test_hr_sees_the_campaign_chart_refusals_and_people_who_cannot_sign(login_as, town):
    _publish(town["hr"])
    _sign(town["zoe"])
    ack = _ack_of(town["employee"])
    ack_services.record_refusal(town["hr"], ack, refused_on=dt.date(2026, 2, 1),
                                witness="Gisèle Gestion", note="Ne veut pas signer.")
    db.session.commit()
    page = login_as(user=town["hr"]).get("/").get_data(as_text=True)
    assert "Campagne en vigueur" in page
    assert "<svg" in page and "Signatures par service" in page
    assert ">Parcs<" in page and ">Greffe<" in page
    assert "Donner suite au refus de signer d&#39;Émile Employé" in page
    assert "Personnes sans moyen de signer en ligne" in page
    assert "Importer le fichier du personnel" in page


def test_communications_sees_its_queue_as_to_do_items(login_as, town):
    from hr_social.communications import services as comms

    client = login_as(user=town["communications"])
    assert "Rien ne vous attend pour le moment." in text(client.get("/"))
    change = comms.ask_change(
        town["employee"], account_id=None, kind="new_account", wanted_on=None,
        proposed_text="Une page pour les camps de jour.", new_platform_id=town["platforms"][0].id,
        new_service_id=town["employee"].person.service_id, new_display_name="Camps de jour")
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert f"/communications/changes/{change.id}/decide" in html
    page = text(client.get("/"))
    assert "Décider la modification de compte demandée par Émile Employé" in page
    assert "Une page pour les camps de jour." in page
    assert "Décider la modification" not in text(login_as(user=town["hr"]).get("/"))


def test_the_chart_escapes_names_and_writes_french_percentages():
    svg = str(bar_chart([Bar("Parcs <b>", 1, 3), Bar("Vide", 0, 0)], title="T & U"))
    assert "Parcs &lt;b&gt;" in svg and "T &amp; U" in svg
    assert "33\u00a0% (1/3)" in svg and "0\u00a0% (0/0)" in svg
    assert 'role="img"' in svg


def test_the_home_costs_three_statements_with_every_list_full(login_as, town, make_person):
    """Every role at once, every list with items : still three statements at most."""
    _publish(town["hr"])
    for n in range(12):
        person = make_person(f"Personne{n}", "Équipe", manager=town["manager"].person)
        db.session.flush()
        user = User(username=f"p{n}", password_hash="x", person=person)
        db.session.add(user)
        db.session.commit()
        _ask(user, town["platforms"][n % 2])
    me = town["dg"]
    me.roles.extend(UserRole(role=r) for r in ("hr", "communications"))
    db.session.commit()
    client = login_as(user=me)
    client.get("/account/password")
    seen = []

    def count(*_args):
        seen.append(1)

    def measure(url):
        seen.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200
        return len(seen), text(response)

    bare, _page = measure("/account/password")
    home, page = measure("/")
    assert "Décider la demande d'accès" in page and "Campagne en vigueur" in page
    assert page.count("Décider la demande d'accès") == 10  # each list is bounded
    assert home - bare <= 3, (home, bare)


def test_the_dg_queue_shows_the_recommendation_and_the_policy_signature(login_as, town):
    _publish(town["hr"])
    request = _ask(town["employee"], town["platforms"][0])
    ops.recommend(town["manager"], request, opinion="unfavourable", text="Pas pour ce poste.")
    _ask(town["zoe"], town["platforms"][0])
    _sign(town["zoe"])
    page = text(login_as(user=town["dg"]).get("/access-requests/queue"))
    emile, zoe = page.index("Émile Employé"), page.index("Zoé Zèle")
    assert "Défavorable" in page[emile:zoe] and "Pas pour ce poste." in page[emile:zoe]
    assert "pas encore signé" in page[emile:zoe]
    assert "accusé de réception signé" in page[zoe:] and "Aucune" in page[zoe:]


def test_hr_reminds_everyone_pending_in_one_click_from_the_home(login_as, town):
    from hr_social.audit.models import AuditEvent

    _publish(town["hr"])
    _sign(town["zoe"])
    client = login_as(user=town["hr"])
    page = text(client.get("/"))
    assert "Relancer tout le monde en attente" in page
    html = client.get("/").get_data(as_text=True)
    action = html.split('name="scope" value="everyone"')[0].rsplit('action="', 1)[1]
    action = action.split('"', 1)[0]
    assert client.submit(action, data={"scope": "everyone"}).status_code == 302
    db.session.rollback()
    [entry] = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "campaign.reminded_now")).all()
    assert '"scope": "everyone"' in entry.after_json and entry.actor_user_id == town["hr"].id
    for role in ("manager", "employee"):  # the button is HR's only
        assert "Relancer tout le monde" not in text(login_as(user=town[role]).get("/"))
