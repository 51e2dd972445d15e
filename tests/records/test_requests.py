"""The register of access and correction requests (A-2.1): deadlines on a frozen clock,
role by role, bad input, the reminder to HR, the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.mail.models import OutgoingEmail
from hr_social.records import requests_services as ops
from hr_social.records.requests_models import RecordsCorrection, RecordsRequest
from tests.conftest import login

FRIDAY = dt.date(2026, 1, 2)  # a Friday: weekends count (calendar days)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _new(team, *, received_on=FRIDAY, kind="access"):
    found = ops.record_request(team["hr"], team["employee"].person, kind=kind,
                               received_on=received_on, received_via="email",
                               asked="Copie de mon dossier et des échanges à mon sujet.")
    db.session.commit()
    return found


def _form(team, **overrides):
    data = {"person": str(team["employee"].person.id), "kind": "access",
            "received_on": FRIDAY.isoformat(), "received_via": "letter",
            "asked": "Tous les renseignements qui me concernent."}
    data.update(overrides)
    return data


def test_deadline_is_twenty_calendar_days_weekends_included(team, frozen):
    frozen(FRIDAY)
    found = _new(team)
    assert found.due_on == dt.date(2026, 1, 22)  # a Thursday; four weekend days counted
    assert found.urgency(dt.date(2026, 1, 16)) == "ok"
    assert found.urgency(dt.date(2026, 1, 17)) == "soon"  # 5 days left, a Saturday
    assert found.urgency(dt.date(2026, 1, 22)) == "soon"  # the last day
    assert found.urgency(dt.date(2026, 1, 23)) == "overdue"


def test_extension_once_by_ten_days_with_a_notice(team, frozen):
    frozen(dt.date(2026, 1, 20))
    found = _new(team)
    ops.extend(team["hr"], found, notice_on=dt.date(2026, 1, 20), notice_via="email",
               reason="Documents à rassembler dans plusieurs services.")
    db.session.commit()
    assert found.due_on == dt.date(2026, 2, 1)  # a Sunday: calendar days still
    assert found.initial_due_on == dt.date(2026, 1, 22)
    with pytest.raises(DomainError, match="une seule fois|une seconde"):
        ops.extend(team["hr"], found, notice_on=dt.date(2026, 1, 20), notice_via="email",
                   reason="Encore.")
    db.session.rollback()
    assert db.session.get(RecordsRequest, found.id).due_on == dt.date(2026, 2, 1)


def test_extension_after_the_first_deadline_is_refused(team, frozen):
    frozen(dt.date(2026, 1, 25))
    found = _new(team)
    with pytest.raises(DomainError) as refused:
        ops.extend(team["hr"], found, notice_on=dt.date(2026, 1, 23), notice_via="letter",
                   reason="Trop tard.")
    assert "expiré" in refused.value.field_errors["notice_on"]


def test_hr_records_a_request_in_the_browser_form(client, team, frozen):
    frozen(dt.date(2026, 1, 5))
    login(client, team["hr"])
    assert client.get("/records/requests/new").status_code == 200
    response = client.submit("/records/requests/new", data=_form(team))
    assert response.status_code == 302
    found = db.session.scalar(select(RecordsRequest))
    assert (found.received_via, found.due_on) == ("letter", dt.date(2026, 1, 22))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tous les renseignements qui me concernent." in page
    assert "2026-01-22" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("person", "", "Choisissez la personne"),
    ("person", "99999999999999999999", "Choisissez la personne"),
    ("kind", "autre", "Choisissez la nature"),
    ("received_on", "", "date de réception"),
    ("received_on", "2026-02-01", "futur"),
    ("received_via", "pigeon", "comment la demande"),
    ("asked", "   ", "Décrivez ce que"),
])
def test_bad_input_is_refused_in_french_and_nothing_is_saved(client, team, frozen, field,
                                                             value, message):
    frozen(dt.date(2026, 1, 5))
    login(client, team["hr"])
    response = client.submit("/records/requests/new", data=_form(team, **{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(RecordsRequest) == 0


@pytest.mark.parametrize("role", ["employee", "manager", "dg", "communications", "admin"])
def test_only_hr_keeps_the_register(client, team, role):
    found = _new(team)
    login(client, team[role])
    assert client.get("/records/requests").status_code == 403
    assert client.get(f"/records/requests/{found.id}").status_code == 403
    assert client.get(f"/records/requests/{found.id}/export.pdf").status_code == 403
    assert client.submit("/records/requests/new", data=_form(team)).status_code == 403
    assert client.submit(f"/records/requests/{found.id}/answer", data={
        "answered_on": FRIDAY.isoformat(), "answer_via": "email",
        "outcome": "granted"}).status_code == 403
    assert _count(RecordsRequest) == 1
    assert db.session.get(RecordsRequest, found.id).state == "open"


def test_answer_recorded_once_and_a_refusal_needs_its_reasons(client, team, frozen):
    frozen(dt.date(2026, 1, 10))
    found = _new(team)
    login(client, team["hr"])
    url = f"/records/requests/{found.id}/answer"
    response = client.submit(url, data={"answered_on": "2026-01-09", "answer_via": "email",
                                        "outcome": "partial"})
    assert response.status_code == 422
    assert "articles invoqués" in response.get_data(as_text=True)
    assert db.session.get(RecordsRequest, found.id).state == "open"
    response = client.submit(url, data={"answered_on": "2026-01-09", "answer_via": "email",
                                        "outcome": "partial", "note": "Art. 88 : témoins."})
    assert response.status_code == 302
    found = db.session.get(RecordsRequest, found.id)
    assert (found.state, found.answered_on, found.answer_via) == (
        "answered", dt.date(2026, 1, 9), "email")
    again = client.submit(url, data={"answered_on": "2026-01-10", "answer_via": "letter",
                                     "outcome": "granted"})
    assert again.status_code == 422
    assert db.session.get(RecordsRequest, found.id).answer_via == "email"


def test_second_extension_through_the_form_is_refused(client, team, frozen):
    frozen(dt.date(2026, 1, 10))
    found = _new(team)
    login(client, team["hr"])
    url = f"/records/requests/{found.id}/extend"
    data = {"notice_on": "2026-01-10", "notice_via": "registered_mail",
            "reason": "Consultation d'un tiers nécessaire."}
    assert client.submit(url, data=data).status_code == 302
    response = client.submit(url, data=data)
    assert response.status_code == 422
    assert "une seule fois" in response.get_data(as_text=True) or \
        "seconde" in response.get_data(as_text=True)
    assert db.session.get(RecordsRequest, found.id).due_on == dt.date(2026, 2, 1)


def test_correction_links_the_corrected_record(client, team, frozen, access_request):
    frozen(dt.date(2026, 1, 10))
    own = access_request(team["employee"], purpose="Publier sur la page du service.")
    other = access_request(team["colleague"])
    found = _new(team, kind="correction")
    login(client, team["hr"])
    url = f"/records/requests/{found.id}/corrections"
    page = client.get(f"/records/requests/{found.id}").get_data(as_text=True)
    assert f"access_requests.request:{own.id}" in page
    refused = client.submit(url, data={"record": f"access_requests.request:{other.id}",
                                       "what": "Usage prévu corrigé.",
                                       "corrected_on": "2026-01-10"})
    assert refused.status_code == 422
    assert _count(RecordsCorrection) == 0
    done = client.submit(url, data={"record": f"access_requests.request:{own.id}",
                                    "what": "Usage prévu corrigé à la demande de la personne.",
                                    "corrected_on": "2026-01-10"})
    assert done.status_code == 302
    correction = db.session.scalar(select(RecordsCorrection))
    assert (correction.record_type, correction.record_id) == ("access_requests.request", own.id)
    page = client.get(f"/records/requests/{found.id}").get_data(as_text=True)
    assert f'href="/access-requests/{own.id}"' in page


def test_an_access_request_records_no_correction(team, frozen):
    frozen(dt.date(2026, 1, 10))
    found = _new(team)
    with pytest.raises(DomainError):
        ops.record_correction(team["hr"], found, record_key=f"people.person:{found.person_id}",
                              what="x", corrected_on=dt.date(2026, 1, 10))


def test_dashboard_cards_coloured_as_the_deadline_approaches(client, team, frozen):
    frozen(dt.date(2026, 1, 10))
    _new(team, received_on=dt.date(2025, 12, 1))  # due 21 Dec: late
    _new(team, received_on=dt.date(2025, 12, 24))  # due 13 Jan: soon
    _new(team, received_on=dt.date(2026, 1, 9))  # due 29 Jan
    login(client, team["hr"])
    page = client.get("/").get_data(as_text=True)
    assert 'class="card number-card card-overdue"' in page
    assert 'class="card number-card card-soon"' in page
    late = client.get("/records/requests?urgency=overdue").get_data(as_text=True)
    assert "en retard" in late and "2025-12-21" in late and "2026-01-29" not in late
    employee = login(client.application.test_client(), team["employee"])
    assert "card-overdue" not in employee.get("/").get_data(as_text=True)


def test_reminder_mails_hr_once_per_deadline(app, team, frozen):
    frozen(dt.date(2026, 1, 10))
    found = _new(team, received_on=dt.date(2026, 1, 2))  # due 22 Jan
    answered = _new(team, received_on=dt.date(2026, 1, 2))
    ops.record_answer(team["hr"], answered, answered_on=dt.date(2026, 1, 9), answer_via="hand",
                      outcome="granted")
    db.session.commit()
    assert ops.remind() == []  # 12 days left: nothing yet
    frozen(dt.date(2026, 1, 18))
    result = app.test_cli_runner().invoke(args=["records", "remind", "--dry-run"])
    assert f"n° {found.id}" in result.output and _count(OutgoingEmail) == 0
    result = app.test_cli_runner().invoke(args=["records", "remind"])
    assert result.exit_code == 0, result.output
    mails = db.session.scalars(select(OutgoingEmail)).all()
    assert [m.to_address for m in mails] == ["rh@ville.test"]
    assert "2026-01-22" in mails[0].body and "Copie de mon dossier" not in mails[0].body
    app.test_cli_runner().invoke(args=["records", "remind"])
    assert _count(OutgoingEmail) == 1  # once per deadline
    found = db.session.get(RecordsRequest, found.id)
    ops.extend(team["hr"], found, notice_on=dt.date(2026, 1, 18), notice_via="email",
               reason="Recherche dans les archives.")
    db.session.commit()
    frozen(dt.date(2026, 1, 28))
    app.test_cli_runner().invoke(args=["records", "remind"])
    assert _count(OutgoingEmail) == 2  # the new deadline, 1 Feb
