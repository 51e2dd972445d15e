"""The case's state table, transition by transition, with the refusals of bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.db import db, utcnow
from hr_social.discipline import catalogue
from hr_social.discipline import services as ops
from hr_social.discipline.entries import CaseEntry
from hr_social.discipline.models import Case
from hr_social.workflow import AlreadyProcessed, GuardFailed, NotPermitted
from tests.discipline.conftest import level, reload, sanctioned


def audit_actions(case) -> list[str]:
    return db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "discipline_cases", AuditEvent.target_id == str(case.id))
        .order_by(AuditEvent.id)).all()


def test_manager_logs_an_incident_that_reaches_hr(report, team, policy):
    case = report(witnesses=[ops.Witness(name="Jean Témoin")], links=["https://x.test/p/1"],
                  notes=["Capture : la publication et trois commentaires."])
    case = reload(case)
    assert case.state == "reported" and case.reporter_kind == "manager"
    assert case.policy_version_id == policy.id
    assert [c.code for c in case.clauses] == ["3.1-remarks"]
    kinds = db.session.scalars(select(CaseEntry.kind).where(CaseEntry.case_id == case.id)).all()
    assert sorted(kinds) == ["evidence_link", "evidence_note", "witness"]
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "discipline_case.reported"))
    # Confidential domain: the trail keeps ids and codes, never the words of the facts.
    assert "dénigrante" not in (entry.after_json or "")
    assert "Gestion" not in (entry.target_label or "")


def test_manager_cannot_log_against_someone_outside_the_team(report, team):
    with pytest.raises(ops.OutOfReach):
        report(person=team["outsider"].person)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize("facts_on, message", [
    (None, "date des faits"),
    (dt.date(2099, 1, 1), "futur"),
    (dt.date(2019, 6, 1), "Aucune version publiée"),
])
def test_bad_facts_dates_are_refused(report, facts_on, message):
    with pytest.raises(GuardFailed, match=message):
        report(facts_on=facts_on)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_clauses_must_belong_to_the_version_in_force(report, policy):
    with pytest.raises(GuardFailed, match="au moins un article"):
        report(clause_ids=[])
    with pytest.raises(GuardFailed, match="ne fait pas partie"):
        report(clause_ids=[999999])


def test_employee_confidential_report_about_a_colleague(report, team):
    case = reload(report(person=team["colleague"].person, by="employee", confidential=True))
    assert case.reporter_kind == "employee"
    assert case.reporter_visible_to(team["hr"]) and not case.reporter_visible_to(team["dg"])
    with pytest.raises(GuardFailed, match="autre personne"):
        report(person=team["employee"].person, by="employee", confidential=True)


def test_full_path_with_hearing(report, team):
    hr = team["hr"]
    case = report()
    with pytest.raises(NotPermitted):
        ops.take(team["manager"], case)
    ops.take(hr, case)
    assert case.state == "investigating" and case.handler_id == hr.id
    with pytest.raises(GuardFailed, match="à venir"):
        ops.convoke(hr, case, hearing_at=utcnow() - dt.timedelta(hours=1), place="Salle 2")
    ops.convoke(hr, case, hearing_at=utcnow() + dt.timedelta(days=3), place="Salle 2")
    assert case.state == "convoked"
    ops.hold_hearing(hr, case, heard_on=catalogue.today(), attendees="RH, la personne, délégué",
                     representative_present=True, person_version="Je regrette.")
    assert case.state == "heard" and case.representative_present
    ops.decide(hr, case, level_id=level("verbal_warning").id, gravity="minor")
    assert case.state == "decided" and case.proposed_level.code == "verbal_warning"
    with pytest.raises(AlreadyProcessed):
        ops.decide(hr, case, level_id=level("written_reprimand").id, gravity="minor")
    ops.notify(hr, case, notified_on=catalogue.today(), method="registered_mail")
    ops.close(hr, case)
    db.session.commit()
    assert reload(case).state == "closed"
    assert audit_actions(case) == [
        "discipline_case.reported", "discipline_case.taken", "discipline_case.convoked",
        "discipline_case.heard", "discipline_case.decided", "discipline_case.notified",
        "discipline_case.closed"]


def test_decision_without_hearing_needs_a_reason(report, team):
    case = report()
    ops.take(team["hr"], case)
    db.session.commit()
    with pytest.raises(GuardFailed, match="sans rencontre"):
        ops.decide(team["hr"], case, level_id=level("verbal_warning").id, gravity="minor")
    db.session.rollback()
    case = reload(case)
    assert case.state == "investigating" and case.sanction_level_id is None
    ops.decide(team["hr"], case, level_id=level("verbal_warning").id, gravity="minor",
               no_hearing_reason="Injoignable malgré trois tentatives.")
    assert case.state == "decided"


def test_suspension_needs_days_and_harsher_step_needs_justification(report, team):
    case = report()
    ops.take(team["hr"], case)
    common = dict(gravity="serious", no_hearing_reason="A refusé.")
    with pytest.raises(GuardFailed, match="nombre de jours"):
        ops.decide(team["hr"], case, level_id=level("suspension").id, **common)
    with pytest.raises(GuardFailed, match="justifiez"):
        ops.decide(team["hr"], case, level_id=level("suspension").id, suspension_days=3,
                   **common)
    ops.decide(team["hr"], case, level_id=level("suspension").id, suspension_days=3,
               justification="Propos haineux publics : faute grave.", **common)
    assert case.suspension_days == 3 and case.harsher_justification


def test_progression_proposes_the_next_step(report, team):
    first = sanctioned(team, report(facts_on=dt.date(2026, 1, 5)))
    second = report(facts_on=dt.date(2026, 2, 5))
    assert [c.id for c in ops.prior_sanctions(second)] == [first.id]
    assert ops.proposed_step(second).code == "written_reprimand"
    # An administrative measure never counts in the progression.
    third = report(person=team["colleague"].person)
    sanctioned(team, third, code="training")
    fourth = report(person=team["colleague"].person, facts_on=dt.date(2026, 2, 1))
    assert ops.proposed_step(fourth).code == "verbal_warning"


def test_dismissal_goes_through_the_dg_in_two_transitions(report, team):
    hr, dg = team["hr"], team["dg"]
    case = report()
    ops.take(hr, case)
    args = dict(level_id=level("dismissal").id, gravity="very_serious",
                justification="Divulgation de dossiers de citoyens.",
                no_hearing_reason="A refusé la rencontre.")
    ops.decide(hr, case, **args)
    assert case.state == "dismissal_proposed" and case.decided_at is None
    with pytest.raises(NotPermitted):
        ops.decide_dismissal(hr, case)
    ops.decide_dismissal(dg, case)
    db.session.commit()
    case = reload(case)
    assert case.state == "decided" and case.decided_by_id == dg.id
    assert case.proposed_by_id == hr.id


def test_dg_may_send_a_dismissal_back(report, team):
    case = report()
    ops.take(team["hr"], case)
    ops.decide(team["hr"], case, level_id=level("dismissal").id, gravity="serious",
               justification="Grave.", no_hearing_reason="Refus.")
    ops.refuse_dismissal(team["dg"], case, "Une suspension suffit.")
    assert case.state == "investigating"
    ops.decide(team["hr"], case, level_id=level("suspension").id, gravity="serious",
               suspension_days=5, justification="Grave.", no_hearing_reason="Refus.")
    assert case.state == "decided"


def test_close_without_sanction_needs_a_reason_and_only_before_the_decision(report, team):
    case = report()
    with pytest.raises(GuardFailed, match="sans sanction"):
        ops.close_without_sanction(team["hr"], case, "  ")
    ops.close_without_sanction(team["hr"], case, "Faits non établis.")
    assert case.state == "closed_no_sanction"
    decided = sanctioned(team, report(), notified=False)
    with pytest.raises(AlreadyProcessed):
        ops.close_without_sanction(team["hr"], decided, "Trop tard.")


def test_nobody_handles_their_own_case(report, team, make_user):
    hr_person_case = report(person=team["employee"].person, by="hr")
    employee_hr = team["employee"]
    employee_hr.roles.append(type(team["hr"].roles[0])(role="hr"))
    db.session.commit()
    with pytest.raises(Exception, match="propre dossier"):
        ops.take(employee_hr, hr_person_case)


def test_notification_date_is_checked(report, team):
    case = sanctioned(team, report(), notified=False)
    with pytest.raises(GuardFailed, match="remise"):
        ops.notify(team["hr"], case, notified_on=dt.date(2026, 1, 1), method="hand")
    with pytest.raises(GuardFailed, match="remise"):
        ops.notify(team["hr"], case, notified_on=catalogue.today(), method="pigeon")


def test_a_dg_delegate_decides_a_dismissal_in_the_dgs_name(client, report, team, make_user):
    from hr_social.delegation.models import DgDelegation
    from tests.conftest import login

    delegate = make_user("employee", username="delegue")
    day = catalogue.today()
    db.session.add(DgDelegation(dg_user_id=team["dg"].id, delegate_user_id=delegate.id,
                                starts_on=day, ends_on=day))
    case = report()
    ops.take(team["hr"], case)
    ops.decide(team["hr"], case, level_id=level("dismissal").id, gravity="very_serious",
               justification="Grave.", no_hearing_reason="Refus.")
    db.session.commit()
    login(client, delegate)
    # The DG's dashboard card reaches the delegate during the delegation.
    assert "Congédiements à décider" in client.get("/").get_data(as_text=True)
    page = client.get(f"/discipline/{case.id}")
    assert page.status_code == 200 and "Décider le congédiement" in page.get_data(as_text=True)
    assert client.submit(f"/discipline/{case.id}/dismissal/decide").status_code == 302
    case = reload(case)
    assert case.state == "decided" and case.decided_by_id == delegate.id
    assert case.decided_for_id == team["dg"].id


def test_the_dismissal_card_is_not_shown_to_a_delegate_outside_the_delegation(
        client, report, team, make_user):
    from hr_social.delegation.models import DgDelegation
    from tests.conftest import login

    delegate = make_user("employee", username="delegue")
    day = catalogue.today()
    db.session.add(DgDelegation(dg_user_id=team["dg"].id, delegate_user_id=delegate.id,
                                starts_on=day + dt.timedelta(days=1),
                                ends_on=day + dt.timedelta(days=3)))
    case = report()
    ops.take(team["hr"], case)
    ops.decide(team["hr"], case, level_id=level("dismissal").id, gravity="very_serious",
               justification="Grave.", no_hearing_reason="Refus.")
    db.session.commit()
    login(client, delegate)
    assert "Congédiements à décider" not in client.get("/").get_data(as_text=True)
