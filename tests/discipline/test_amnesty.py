"""Amnesty on frozen clocks: the day before, the day of and the day after each boundary,
with a recidivism inside and just outside the window."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import amnesty, catalogue
from hr_social.discipline import services as ops
from hr_social.discipline.entries import CaseEntry
from hr_social.discipline.models import Case, DisciplineSettings
from hr_social.workflow import GuardFailed
from tests.discipline.conftest import level, reload, sanctioned

FAULT = dt.date(2025, 3, 10)
BOUNDARY = dt.date(2026, 3, 10)  # twelve months after the fault


@pytest.fixture
def clock(monkeypatch):
    """clock(day): the organisation's date is now ``day``."""

    def freeze(day: dt.date):
        monkeypatch.setattr(catalogue, "local_today", lambda: day)

    return freeze


@pytest.fixture
def settings(app):
    def apply(months=12, restart=True):
        row = DisciplineSettings.current()
        row.amnesty_months, row.restart_on_recidivism = months, restart
        db.session.add(row)
        db.session.commit()

    return apply


def counts(case, day) -> bool:
    return not amnesty.is_amnestied(reload(case), day)


@pytest.mark.parametrize("day, expected", [
    (BOUNDARY - dt.timedelta(days=1), True),
    (BOUNDARY, False),
    (BOUNDARY + dt.timedelta(days=1), False),
])
def test_counted_from_the_fault_not_the_decision(team, report, day, expected):
    case = sanctioned(team, report(facts_on=FAULT))  # decided and notified in 2026
    assert counts(case, day) is expected


@pytest.mark.parametrize("second_fault, first_counts_until", [
    (BOUNDARY - dt.timedelta(days=1), dt.date(2027, 3, 9)),  # inside: restarts
    (BOUNDARY, BOUNDARY),  # just outside: the first one is already amnestied
])
def test_recidivism_inside_and_just_outside_the_window(team, report, settings, second_fault,
                                                      first_counts_until):
    settings(restart=True)
    first = sanctioned(team, report(facts_on=FAULT))
    sanctioned(team, report(facts_on=second_fault), code="written_reprimand",
               justification="Récidive.")
    assert counts(first, first_counts_until - dt.timedelta(days=1))
    assert not counts(first, first_counts_until)
    assert not counts(first, first_counts_until + dt.timedelta(days=1))


def test_without_restart_each_sanction_keeps_its_own_window(team, report, settings):
    settings(restart=False)
    first = sanctioned(team, report(facts_on=FAULT))
    sanctioned(team, report(facts_on=BOUNDARY - dt.timedelta(days=1)),
               code="written_reprimand", justification="Récidive.")
    assert counts(first, BOUNDARY - dt.timedelta(days=1))
    assert not counts(first, BOUNDARY)


def test_a_closed_without_sanction_case_is_no_recidivism(team, report, settings):
    settings(restart=True)
    first = sanctioned(team, report(facts_on=FAULT))
    ops.close_without_sanction(team["hr"], report(facts_on=BOUNDARY - dt.timedelta(days=5)),
                               "Faits non établis.")
    db.session.commit()
    assert not counts(first, BOUNDARY)


def test_end_of_month_and_setting_change(team, report, settings):
    case = sanctioned(team, report(facts_on=dt.date(2024, 2, 29)))
    assert counts(case, dt.date(2025, 2, 27)) and not counts(case, dt.date(2025, 2, 28))
    settings(months=24)
    assert counts(case, dt.date(2026, 2, 27)) and not counts(case, dt.date(2026, 2, 28))


def test_amnestied_sanction_leaves_the_progression_and_cannot_be_cited(team, report, clock):
    first = sanctioned(team, report(facts_on=FAULT))
    clock(BOUNDARY)
    case = report(facts_on=BOUNDARY - dt.timedelta(days=30))
    ops.take(team["hr"], case)
    db.session.commit()
    assert ops.prior_sanctions(case) == []
    assert ops.proposed_step(case).code == "verbal_warning"
    with pytest.raises(GuardFailed, match="ne peut pas être cité"):
        ops.decide(team["hr"], case, level_id=level("verbal_warning").id, gravity="minor",
                   no_hearing_reason="Refus.", cited_ids=[first.id])
    clock(BOUNDARY - dt.timedelta(days=1))
    assert [c.id for c in ops.prior_sanctions(reload(case))] == [first.id]


def amnesty_events():
    db.session.rollback()
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("discipline_case.%"),
        AuditEvent.action.in_(["discipline_case.amnestied", "discipline_case.revived",
                               "discipline_case.destroyed"])).order_by(AuditEvent.id)).all()


def test_cli_dry_run_lists_and_the_real_run_records_once(app, team, report, clock):
    case = sanctioned(team, report(facts_on=FAULT))
    runner = app.test_cli_runner()
    clock(BOUNDARY - dt.timedelta(days=1))
    result = runner.invoke(args=["discipline", "amnesty"])
    assert "0 changement" in result.output
    clock(BOUNDARY)
    result = runner.invoke(args=["discipline", "amnesty", "--dry-run"])
    assert f"Dossier n° {case.id} : amnistié depuis le 2026-03-10" in result.output
    assert amnesty_events() == [] and reload(case).amnesty_recorded_on is None
    result = runner.invoke(args=["discipline", "amnesty"])
    assert result.exit_code == 0, result.output
    assert reload(case).amnesty_recorded_on == BOUNDARY
    assert [e.action for e in amnesty_events()] == ["discipline_case.amnestied"]
    result = runner.invoke(args=["discipline", "amnesty"])
    assert "0 changement" in result.output and len(amnesty_events()) == 1


def test_retention_destroy_removes_the_words_and_keeps_the_trace(app, team, report, clock,
                                                                 settings):
    from hr_social.mail.models import OutgoingEmail
    from hr_social.mail.services import queue_mail

    case = sanctioned(team, report(facts_on=FAULT))
    queue_mail("emile@ville.test", "Décision au dossier n° 7", "Réprimande pour propos.",
               subject_type="discipline_cases", subject_id=case.id)
    row = DisciplineSettings.current()
    row.retention = "destroy"
    db.session.add(row)
    db.session.commit()
    clock(BOUNDARY)
    app.test_cli_runner().invoke(args=["discipline", "amnesty"])
    case = reload(case)
    assert case.facts == amnesty.DESTROYED and case.text_destroyed_on == BOUNDARY
    mails = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.subject_id == str(case.id))).all()
    assert mails and {(m.subject, m.body) for m in mails} == {("[supprimé]", "[supprimé]")}
    assert case.sanction_level.code == "verbal_warning"
    assert db.session.get(Case, case.id) is not None


def test_retention_destroy_also_erases_the_case_files(app, client, team, report, clock,
                                                       settings):
    from werkzeug.datastructures import FileStorage

    from hr_social.attachments.models import Attachment
    from hr_social.attachments.services import file_path, store_bytes
    from hr_social.audit.services import verify_chain
    from hr_social.discipline import followups

    case = sanctioned(team, report(facts_on=FAULT))
    other = report(facts_on=FAULT)
    png = b"\x89PNG\r\n\x1a\n" + b"capture du commentaire"
    shared = b"%PDF-1.4 la meme piece dans deux dossiers"
    entry = followups.add_evidence_file(team["hr"], case, FileStorage(
        io.BytesIO(png), filename="capture-commentaire.png"))
    store_bytes(shared, "application/pdf", "piece.pdf", subject=case)
    kept = store_bytes(shared, "application/pdf", "piece.pdf", subject=other)
    row = DisciplineSettings.current()
    row.retention = "destroy"
    db.session.add(row)
    db.session.commit()
    paths = [file_path(a) for a in db.session.scalars(select(Attachment).where(
        Attachment.subject_type == "discipline_cases", Attachment.subject_id == case.id))]
    assert len(paths) == 2 and all(p.exists() for p in paths)
    clock(BOUNDARY)
    result = app.test_cli_runner().invoke(args=["discipline", "amnesty"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert not file_path(db.session.get(CaseEntry, entry.id).attachment).exists()
    erased = db.session.get(CaseEntry, entry.id).attachment
    assert erased.removed_at is not None and "commentaire" not in erased.original_name
    # The same content attached to another case stays for that case.
    assert file_path(db.session.get(Attachment, kept.id)).exists()
    (event,) = [e for e in amnesty_events() if e.action == "discipline_case.destroyed"]
    assert '"files_removed": 2' in event.after_json
    assert verify_chain().ok
    from tests.conftest import login

    login(client, team["hr"])  # a destroyed file is gone for HR too: 404, not a server error
    assert client.get(f"/discipline/entries/{entry.id}/file").status_code == 404
