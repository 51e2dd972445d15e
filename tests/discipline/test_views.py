"""Screens: a manager logs an incident, HR runs the case, refusals keep nothing."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select

from hr_social.attachments.models import Attachment
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline.entries import CaseEntry, Letter
from hr_social.discipline.models import Case
from tests.conftest import login
from tests.discipline.conftest import clause_ids, level, reload, sanctioned


def cases_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Case))


def incident_form(team, policy, person_key="employee", **overrides):
    data = {"person": str(team[person_key].person_id), "facts_on": "2026-01-20",
            "place": "Page Facebook du service", "facts": "Commentaire méprisant publié.",
            "clauses": [str(i) for i in clause_ids(policy, "3.1-remarks", "3.4-false")],
            "witnesses": f"Jean Témoin\n{team['colleague'].person.employee_number}",
            "links": "https://exemple.test/p/9",
            "notes": "Capture de la publication."}
    data.update(overrides)
    return data


def test_manager_logs_an_incident_for_her_team(client, team, policy):
    login(client, team["manager"])
    response = client.submit("/discipline/new", data=incident_form(team, policy))
    assert response.status_code == 302, response.get_data(as_text=True).split("<main")[-1]
    case = db.session.scalar(select(Case))
    assert case.person_id == team["employee"].person_id and case.reporter_kind == "manager"
    assert len(case.clauses) == 2
    page = client.get(f"/discipline/{case.id}").get_data(as_text=True)
    assert "Commentaire méprisant publié." in page and "Signalé" in page
    witnesses = db.session.scalars(select(CaseEntry).where(CaseEntry.kind == "witness")
                                   .order_by(CaseEntry.id)).all()
    assert [(w.text, w.witness_person_id) for w in witnesses] == [
        ("Jean Témoin", None), (None, team["colleague"].person_id)]


def test_manager_gets_404_for_someone_outside_the_team(client, team, policy):
    login(client, team["manager"])
    response = client.submit("/discipline/new",
                             data=incident_form(team, policy, person_key="outsider"))
    assert response.status_code == 404 and cases_count() == 0


def test_future_facts_get_a_french_message_and_nothing_is_saved(client, team, policy):
    login(client, team["manager"])
    response = client.submit("/discipline/new", data=incident_form(
        team, policy, facts_on=(catalogue.today() + dt.timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    assert "ne peut pas être dans le futur" in response.get_data(as_text=True)
    assert cases_count() == 0


def test_facts_before_the_hiring_are_refused_and_nothing_is_saved(client, team, policy):
    person = team["employee"].person
    person.hired_on = dt.date(2026, 2, 1)
    db.session.commit()
    login(client, team["manager"])
    response = client.submit("/discipline/new", data=incident_form(team, policy))
    assert response.status_code == 422
    assert "La date des faits précède" in response.get_data(as_text=True)
    assert cases_count() == 0
    # Facts on the hiring day itself are accepted.
    response = client.submit("/discipline/new", data=incident_form(
        team, policy, facts_on="2026-02-01"))
    assert response.status_code == 302 and cases_count() == 1


def test_an_executable_as_evidence_is_refused_and_nothing_is_half_written(client, team,
                                                                          policy):
    login(client, team["manager"])
    data = incident_form(team, policy)
    data["evidence"] = (io.BytesIO(b"MZ\x90\x00 executable"), "capture.exe")
    response = client.submit("/discipline/new", data=data,
                             content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Format de fichier refusé" in response.get_data(as_text=True)
    assert cases_count() == 0
    assert db.session.scalar(select(func.count()).select_from(CaseEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_png_evidence_is_kept_with_the_case(client, team, policy):
    login(client, team["manager"])
    data = incident_form(team, policy)
    data["evidence"] = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 20), "capture.png")
    assert client.submit("/discipline/new", data=data,
                         content_type="multipart/form-data").status_code == 302
    entry = db.session.scalar(select(CaseEntry).where(CaseEntry.kind == "evidence_file"))
    assert entry.attachment.content_type == "image/png"


def test_employee_confidential_report_hides_the_reporter(client, team, policy, login_as):
    login(client, team["employee"])
    data = incident_form(team, policy, person_key="colleague")
    assert client.submit("/discipline/report", data=data).status_code == 302
    case = db.session.scalar(select(Case))
    assert case.reporter_kind == "employee"
    dg = login_as(user=team["dg"])
    page = dg.get(f"/discipline/{case.id}").get_data(as_text=True)
    assert "Confidentiel" in page and "Émile" not in page.split('id="reporter"')[1][:200]
    hr = login_as(user=team["hr"])
    page = hr.get(f"/discipline/{case.id}").get_data(as_text=True)
    assert "Émile Employé" in page


def test_hr_runs_the_case_through_the_screens(client, team, policy, report):
    case = report()
    login(client, team["hr"])
    assert client.submit(f"/discipline/{case.id}/take").status_code == 302
    when = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.submit(f"/discipline/{case.id}/convoke",
                             data={"hearing_at": when, "place": "Salle du conseil"})
    assert response.status_code == 302
    assert reload(case).state == "convoked"
    assert db.session.scalar(select(Letter.kind).where(Letter.case_id == case.id)) == \
        "convocation"
    response = client.submit(f"/discipline/{case.id}/hearing", data={
        "heard_on": catalogue.today().isoformat(), "attendees": "RH, la personne",
        "person_version": "Je ne savais pas."})
    assert response.status_code == 302
    page = client.get(f"/discipline/{case.id}/decide").get_data(as_text=True)
    assert "Étape proposée : Avertissement verbal" in page
    response = client.submit(f"/discipline/{case.id}/decide", data={
        "level": str(level("verbal_warning").id), "gravity": "minor"})
    assert response.status_code == 302 and reload(case).state == "decided"
    response = client.submit(f"/discipline/{case.id}/notify", data={
        "notified_on": catalogue.today().isoformat(), "method": "hand"})
    assert response.status_code == 302 and reload(case).state == "notified"


def test_decide_page_shows_prior_sanctions_and_refuses_a_harsher_step_unjustified(
        client, team, report):
    first = sanctioned(team, report(facts_on=dt.date(2026, 1, 5)))
    case = report(facts_on=dt.date(2026, 2, 5))
    login(client, team["hr"])
    client.submit(f"/discipline/{case.id}/take")
    page = client.get(f"/discipline/{case.id}/decide").get_data(as_text=True)
    assert 'id="prior-sanctions"' in page and "2026-01-05" in page
    assert "Étape proposée : Réprimande écrite" in page
    response = client.submit(f"/discipline/{case.id}/decide", data={
        "level": str(level("suspension").id), "gravity": "serious", "suspension_days": "2",
        "no_hearing_reason": "Refus.", "cited": [str(first.id)]})
    assert response.status_code == 422 and "justifiez" in response.get_data(as_text=True)
    assert reload(case).state == "investigating"


def test_a_notified_decision_cannot_be_decided_again(client, team, report):
    case = sanctioned(team, report())
    login(client, team["hr"])
    response = client.submit(f"/discipline/{case.id}/decide", data={
        "level": str(level("written_reprimand").id), "gravity": "minor"})
    assert response.status_code == 422
    assert "déjà été traité" in response.get_data(as_text=True)
    assert reload(case).sanction_level.code == "verbal_warning"


def test_settings_page_changes_are_audited(client, team):
    login(client, team["hr"])
    assert client.get("/discipline/settings").status_code == 200
    response = client.submit("/discipline/settings", data={
        "amnesty_months": "18", "restart_on_recidivism": "y", "retention": "keep"})
    assert response.status_code == 302
    from hr_social.discipline.models import DisciplineSettings
    db.session.rollback()
    assert DisciplineSettings.current().amnesty_months == 18
    response = client.submit("/discipline/settings", data={
        "amnesty_months": "0", "retention": "keep"})
    assert response.status_code == 422
    db.session.rollback()
    assert DisciplineSettings.current().amnesty_months == 18


def test_amnestied_sanctions_leave_the_default_view_and_showing_them_is_audited(
        client, team, report):
    from hr_social.audit.models import AuditEvent

    old = sanctioned(team, report(facts_on=dt.date(2024, 1, 10)))
    recent = sanctioned(team, report(facts_on=dt.date(2026, 1, 10)))
    case = report(facts_on=dt.date(2026, 2, 10))
    login(client, team["hr"])
    page = client.get(f"/discipline/{case.id}").get_data(as_text=True)
    counting = page.split('id="history-counting"')[1].split("</div>")[0]
    assert f"Dossier n° {recent.id}" in counting and f"Dossier n° {old.id}" not in page
    assert "Afficher 1 sanction amnistiée" in page
    page = client.get(f"/discipline/{case.id}?amnestied=1").get_data(as_text=True)
    assert f"Dossier n° {old.id}" in page.split('id="history-amnestied"')[1]
    db.session.rollback()
    shown = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "discipline_case.amnestied_shown")).all()
    assert [(e.target_id, e.actor_user_id) for e in shown] == [(str(case.id), team["hr"].id)]


def test_receipt_refused_in_front_of_a_witness_through_the_page(client, team, report):
    from hr_social.discipline import letters

    case = sanctioned(team, report())
    letter = letters.issue_after_commit(team["hr"], case.id, "decision")
    login(client, team["hr"])
    today = catalogue.today().isoformat()
    response = client.submit(f"/discipline/letters/{letter.id}/receipt",
                             data={"receipt": "refused", "received_on": today})
    assert response.status_code == 422 and "témoin" in response.get_data(as_text=True)
    response = client.submit(f"/discipline/letters/{letter.id}/receipt", data={
        "receipt": "refused", "received_on": today, "witness": "Paul Témoin"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Letter, letter.id).receipt_witness == "Paul Témoin"


def test_linking_the_persons_acknowledgement_and_refusing_another_persons(client, team,
                                                                         report):
    from hr_social.acknowledgements.models import Acknowledgement
    from hr_social.discipline.entries import CaseLink

    case = report()
    acks = {a.person_id: a.id for a in db.session.scalars(select(Acknowledgement))}
    login(client, team["hr"])
    response = client.submit(f"/discipline/{case.id}/links", data={
        "subject_type": "acknowledgements", "subject_id": str(acks[team["outsider"].person_id])})
    assert response.status_code == 422 and "autre personne" in response.get_data(as_text=True)
    response = client.submit(f"/discipline/{case.id}/links", data={
        "subject_type": "acknowledgements", "subject_id": str(acks[team["employee"].person_id])})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(CaseLink.subject_id)) == acks[team["employee"].person_id]


def test_dashboards_per_role(login_as, team, report):
    sanctioned(team, report())
    report()
    employee = login_as(user=team["employee"]).get("/").get_data(as_text=True)
    assert "Mes décisions disciplinaires" in employee and "Consigner un incident" not in employee
    manager = login_as(user=team["manager"]).get("/").get_data(as_text=True)
    assert "Consigner un incident" in manager and "Mes signalements ouverts" in manager
    hr = login_as(user=team["hr"]).get("/").get_data(as_text=True)
    assert "Nouveaux signalements" in hr and "Sanctions de l&#39;année" in hr
    assert login_as(user=team["hr"]).get("/discipline/chart").status_code == 200


def test_clauses_shown_on_a_first_visit_are_still_there_when_the_form_comes_back(
        client, team, make_user):
    """The kept lists are written on first use by a page view: they must be committed, or
    the ids the form showed no longer exist when it is sent (PostgreSQL does not reuse ids)."""
    from hr_social.acknowledgements import policy_services
    from hr_social.discipline.models import PolicyClause

    version = policy_services.create_version(
        team["hr"], title="Politique", version_label="v1", effective_date=dt.date(2020, 1, 1),
        body="## 3.1 Propos\n\nRester courtois.\n")
    policy_services.publish_version(team["hr"], version)
    db.session.commit()
    login(client, team["manager"])
    assert client.get("/discipline/new").status_code == 200
    db.session.rollback()
    shown = db.session.scalars(select(PolicyClause.id).where(
        PolicyClause.code == "3.1-remarks")).all()
    assert len(shown) == 1
    response = client.submit("/discipline/new", data={
        "person": str(team["employee"].person_id), "facts_on": "2026-01-20",
        "place": "Page Facebook", "facts": "Commentaire méprisant.", "clauses": [str(shown[0])]})
    assert response.status_code == 302 and cases_count() == 1


def test_the_convocation_e_mail_carries_the_letter_pdf(app, client, team, policy, report):
    from email import message_from_bytes
    from email import policy as email_policy
    from pathlib import Path

    from hr_social.mail.models import OutgoingEmail
    from hr_social.mail.services import deliver_queued

    case = report()
    login(client, team["hr"])
    assert client.submit(f"/discipline/{case.id}/take").status_code == 302
    when = (dt.datetime.now() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert client.submit(f"/discipline/{case.id}/convoke", data={
        "hearing_at": when, "place": "Salle du conseil"}).status_code == 302
    db.session.rollback()
    message = db.session.scalar(select(OutgoingEmail).where(
        OutgoingEmail.subject == "Convocation à une rencontre"))
    assert message.to_address == team["employee"].person.email
    deliver_queued()
    db.session.commit()
    eml = message_from_bytes((Path(app.instance_path) / "outbox" / message.outbox_file)
                             .read_bytes(), policy=email_policy.default)
    pdfs = [part for part in eml.iter_attachments()
            if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF")
    assert pdfs[0].get_filename() == f"dossier-{case.id}-convocation.pdf"
