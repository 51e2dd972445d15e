import datetime as dt

from hr_social.attachments.services import store_bytes
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline import services as ops
from hr_social.discipline.followups import record_grievance
from hr_social.discipline.letters import issue_letter
from tests.route_expectations import REDIRECT, Route, everyone, only

FACTS_ON = dt.date(2026, 2, 2)


def _policy_in_force(world):
    if catalogue.version_in_force(FACTS_ON) is None:
        from hr_social.acknowledgements import policy_services as policy

        version = policy.create_version(world.users["hr"], title="Politique (discipline)",
                                        version_label="d1", effective_date=dt.date(2026, 1, 1),
                                        body="## 3.1 Propos\n\nTexte.\n")
        policy.publish_version(world.users["hr"], version)
    return catalogue.version_in_force(FACTS_ON)


def build(world):
    hr, manager = world.users["hr"], world.users["manager"]
    version = _policy_in_force(world)
    clause = [catalogue.clauses_for(version)[0].id]
    common = dict(facts_on=FACTS_ON, place="Facebook", facts="Propos.", clause_ids=clause)
    world.case_reported = ops.report_incident(manager, world.people["report"], **common)
    world.case_outsider = ops.report_incident(hr, world.people["outsider"], **common)
    notified = ops.report_incident(hr, world.people["report"], **common)
    ops.take(hr, notified)
    ops.decide(hr, notified, level_id=catalogue.ladder()[0].id, gravity="minor",
               no_hearing_reason="Refus.")
    ops.notify(hr, notified, notified_on=catalogue.today(), method="hand")
    world.case_notified = notified
    world.letter = issue_letter(hr, notified, "decision")
    world.grievance = record_grievance(hr, notified, filed_on=catalogue.today(), number="G-1")
    scan = store_bytes(b"%PDF-1.4 preuve", "application/pdf", "preuve.pdf",
                       subject=world.case_reported)
    world.evidence = ops.add_entry(hr, world.case_reported, "evidence_file",
                                   attachment_id=scan.id)
    db.session.commit()


def _case(name, suffix=""):
    return lambda w: f"/discipline/{getattr(w, name).id}{suffix}"


def _hr(allowed):
    return only("hr", allowed=allowed)


# Who reads which case (docs/discipline.md): outside one's reach is 404.
REPORTED = everyone(200, employee=404, communications=404, admin=404)
NOTIFIED = everyone(200, communications=404, admin=404)
OUTSIDER = everyone(404, hr=200, dg=200)
FULL_ONLY = everyone(404, hr=200, dg=200)

ROUTES = [
    Route("discipline.index", "/discipline/", everyone(200)),
    Route("discipline.new", "/discipline/new", only("manager", "hr")),
    Route("discipline.confidential_report", "/discipline/report", everyone(200)),
    Route("discipline.show", _case("case_reported"), REPORTED),
    Route("discipline.show", _case("case_notified"), NOTIFIED),
    Route("discipline.show", _case("case_outsider"), OUTSIDER),
    Route("discipline.take", _case("case_reported", "/take"), _hr(REDIRECT), "POST"),
    Route("discipline.convoke", _case("case_reported", "/convoke"), _hr(422), "POST"),
    Route("discipline.hearing", _case("case_reported", "/hearing"), _hr(422), "POST"),
    Route("discipline.decide", _case("case_reported", "/decide"), _hr(200)),
    Route("discipline.decide_dismissal", _case("case_reported", "/dismissal/decide"),
          only("dg", allowed=422), "POST"),
    Route("discipline.refuse_dismissal", _case("case_reported", "/dismissal/refuse"),
          only("dg", allowed=422), "POST"),
    Route("discipline.notify", _case("case_reported", "/notify"), _hr(422), "POST"),
    Route("discipline.close", _case("case_reported", "/close"), _hr(422), "POST"),
    Route("discipline.close_without_sanction", _case("case_reported", "/close-without-sanction"),
          _hr(REDIRECT), "POST", {"reason": "Faits non établis."}),
    Route("discipline.add_entry", _case("case_reported", "/entries"), _hr(REDIRECT), "POST",
          {"kind": "note", "text": "Appel au témoin."}),
    Route("discipline.link", _case("case_reported", "/links"), _hr(422), "POST",
          {"subject_type": "acknowledgements", "subject_id": "999999"}),
    Route("discipline.grievance", _case("case_notified", "/grievances"), _hr(422), "POST"),
    Route("discipline.grievance_outcome",
          lambda w: f"/discipline/grievances/{w.grievance.id}/outcome", _hr(422), "POST"),
    Route("discipline.damages", _case("case_notified", "/damages"), _hr(REDIRECT), "POST",
          {"amount": "250.00", "text": "Frais d'avocat remboursés."}),
    Route("discipline.settings", "/discipline/settings", _hr(200)),
    Route("discipline.chart", "/discipline/chart", _hr(200)),
    Route("discipline.save_level", "/discipline/settings/levels", _hr(REDIRECT), "POST",
          {"newlevel-label": "Lettre d'attentes", "newlevel-kind": "administrative"}),
    Route("discipline.save_level", "/discipline/settings/levels/999999", _hr(404), "POST"),
    # The letter is the person's: their manager reads the case, not the letter.
    Route("discipline.letter", lambda w: f"/discipline/letters/{w.letter.id}",
          dict(NOTIFIED, manager=404)),
    Route("discipline.receipt", lambda w: f"/discipline/letters/{w.letter.id}/receipt",
          _hr(422), "POST"),
    Route("discipline.issue_letter", _case("case_notified", "/letters/decision"),
          _hr(REDIRECT), "POST"),
    Route("discipline.evidence", lambda w: f"/discipline/entries/{w.evidence.id}/file",
          FULL_ONLY),
    Route("discipline.file_pdf", _case("case_notified", "/file.pdf"), only("hr", "dg")),
    Route("discipline.my_file", "/discipline/mine/file.pdf", everyone(200)),
]
