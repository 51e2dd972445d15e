"""Legal holds : held records are never disposed, the dry run says why, a hold placed after
a dry run wins over the next run, lifting is audited ; HR and the DG only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from hr_social.acknowledgements.models import Acknowledgement
from hr_social.db import db
from hr_social.discipline.models import Case
from hr_social.records import holds
from hr_social.records.models import Disposal, LegalHold
from tests.conftest import login
from tests.discipline.conftest import policy, report, sanctioned, team  # noqa: F401
from tests.records.conftest import actions, rule

ACK = "acknowledgements.acknowledgement"


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["records", "dispose", *args])
    db.session.rollback()
    return result


def hold_count() -> int:
    return db.session.scalar(select(func.count()).select_from(LegalHold))


@pytest.mark.parametrize("role", ["hr", "dg"])
def test_hr_or_dg_holds_a_persons_records_and_the_dry_run_says_why(
        app, client, clock, staff, departed, signed_ack, role):
    person = departed(dt.date(2027, 1, 31), employee_number="G-77")
    ack = signed_ack(person)
    login(client, staff[role])
    response = client.submit("/records/holds", data={
        "kind": "grievance", "reference": "Grief 2033-04", "employee_number": "g-77",
        "reason": "Grief sur la fin d'emploi."})
    assert response.status_code == 302
    hold = db.session.scalar(select(LegalHold))
    assert (hold.person_id, hold.kind, hold.placed_by_id) == (person.id, "grievance",
                                                              staff[role].id)
    dry = run(app, "--dry-run")
    assert f"Prise de connaissance n° {ack.id} ({ACK}) : conservé — conservation n° " \
           f"{hold.id} (Grief Grief 2033-04)" in dry.output
    page = client.get("/records/retention/preview").get_data(as_text=True)
    assert "Conservé" in page and "Grief 2033-04" in page
    assert run(app).exit_code == 0
    assert db.session.get(Acknowledgement, ack.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Disposal)) == 0
    (placed,) = actions("records_hold.placed")
    assert placed.after["person_id"] == person.id and placed.target_label is None


def test_a_hold_placed_after_the_dry_run_wins(app, clock, staff, departed, signed_ack):
    ack = signed_ack(departed(dt.date(2027, 1, 31)))
    assert f"Prise de connaissance n° {ack.id} ({ACK}) : détruire" in run(
        app, "--dry-run").output
    holds.place_hold(staff["hr"], kind="cai_complaint", reference="CAI 1009",
                     record_type_code=ACK, record_id=ack.id)
    db.session.commit()
    result = run(app)
    assert result.exit_code == 0
    assert "conservé" in result.output
    assert db.session.get(Acknowledgement, ack.id) is not None


def test_lifting_is_audited_and_the_next_run_disposes(app, client, clock, staff, departed,
                                                      signed_ack):
    ack = signed_ack(departed(dt.date(2027, 1, 31)))
    hold = holds.place_hold(staff["dg"], kind="lawsuit", reference="500-17-1",
                            record_type_code=ACK, record_id=ack.id)
    db.session.commit()
    login(client, staff["hr"])
    refused = client.submit(f"/records/holds/{hold.id}/lift", data={"reason": " "})
    assert refused.status_code == 422
    assert db.session.get(LegalHold, hold.id).lifted_at is None
    assert client.submit(f"/records/holds/{hold.id}/lift",
                         data={"reason": "Poursuite réglée."}).status_code == 302
    hold = db.session.get(LegalHold, hold.id)
    assert hold.lifted_at is not None and hold.lifted_by_id == staff["hr"].id
    (lifted,) = actions("records_hold.lifted")
    assert lifted.before == {"lifted": False} and lifted.after["lifted"] is True
    again = client.submit(f"/records/holds/{hold.id}/lift", data={"reason": "Encore."})
    assert again.status_code == 422 and "déjà été levée" in again.get_data(as_text=True)
    assert run(app).exit_code == 0
    assert db.session.get(Acknowledgement, ack.id) is None


def test_a_hold_on_one_case_keeps_only_that_case(app, clock, staff, team, report):  # noqa: F811
    rule("discipline.case", 0, "amnesty", "destroy", staff["hr"])
    fault = dt.date(2025, 3, 10)
    held = sanctioned(team, report(facts_on=fault, facts="Propos visés par le grief."))
    other = sanctioned(team, report(facts_on=dt.date(2027, 5, 2), facts="Autre faute."))
    holds.place_hold(team["hr"], kind="grievance", reference="G-12",
                     record_type_code="discipline.case", record_id=held.id)
    db.session.commit()
    result = run(app)
    assert result.exit_code == 0, result.output
    assert db.session.get(Case, held.id).facts == "Propos visés par le grief."
    assert db.session.get(Case, held.id).text_destroyed_on is None
    destroyed = db.session.get(Case, other.id)
    assert "Autre faute" not in destroyed.facts and destroyed.text_destroyed_on is not None
    assert db.session.scalars(select(Disposal.record_id).where(
        Disposal.record_type == "discipline.case")).all() == [other.id]


@pytest.mark.parametrize("role", ["employee", "manager", "privacy", "communications", "admin"])
def test_other_roles_cannot_see_place_or_lift_holds(app, client, staff, departed, role):
    hold = holds.place_hold(staff["hr"], kind="other", reference="X",
                            person=departed())
    db.session.commit()
    login(client, staff[role])
    assert client.get("/records/holds").status_code == 403
    assert client.submit("/records/holds", data={
        "kind": "other", "reference": "Y", "employee_number": "E1"}).status_code == 403
    assert client.submit(f"/records/holds/{hold.id}/lift",
                         data={"reason": "Non."}).status_code == 403
    assert hold_count() == 1 and db.session.get(LegalHold, hold.id).lifted_at is None


@pytest.mark.parametrize("data, message", [
    ({"kind": "grievance", "reference": "", "employee_number": "E-1"},
     "Indiquez la référence"),
    ({"kind": "grievance", "reference": "G-1"}, "Choisissez la personne ou le document"),
    ({"kind": "grievance", "reference": "G-1", "employee_number": "NOPE"},
     "Aucune personne ne porte ce numéro"),
    ({"kind": "strike", "reference": "G-1", "employee_number": "E-1"},
     "Choisissez le recours"),
    ({"kind": "grievance", "reference": "G-1", "record_type": "nope.nope", "record_id": "3"},
     "Choisissez le type de document"),
    ({"kind": "grievance", "reference": "G-1", "record_type": ACK,
      "record_id": "99999999999999999999"}, "Valeur hors limites"),
    ({"kind": "grievance", "reference": "G" * 101, "employee_number": "E-1"},
     "100 caractères au plus"),
])
def test_bad_holds_are_refused_with_a_message(app, client, staff, make_person, data, message):
    make_person(employee_number="E-1")
    login(client, staff["hr"])
    response = client.submit("/records/holds", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert hold_count() == 0
