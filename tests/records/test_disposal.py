"""`flask records dispose`: dry run, one transaction per record, files gone, register,
tombstone, audit chain still verifying, reruns safe."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import func, select

from hr_social.acknowledgements.models import Acknowledgement
from hr_social.attachments.models import Attachment
from hr_social.attachments.services import file_path
from hr_social.audit.models import AuditEvent
from hr_social.audit.services import record, verify_chain
from hr_social.db import db
from hr_social.people.models import Person
from hr_social.records import disposal
from hr_social.records.models import Disposal
from hr_social.records.registry import RECORD_TYPES, record_type
from tests.records.conftest import TODAY, actions, rule

ACK = "acknowledgements.acknowledgement"


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["records", "dispose", *args])
    db.session.rollback()
    return result


def pdf_of(ack_id: int):
    return db.session.scalar(select(Attachment).where(
        Attachment.subject_type == "acknowledgements", Attachment.subject_id == ack_id))


def test_dry_run_lists_what_would_go_and_changes_nothing(app, clock, staff, departed,
                                                         signed_ack):
    gone = signed_ack(departed(dt.date(2027, 1, 31)))  # 5 years ran on 2032-01-31
    recent = signed_ack(departed(dt.date(2030, 1, 31)), b"%PDF-1.4 another")
    result = run(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"Prise de connaissance n° {gone.id} ({ACK}) : détruire" in result.output
    assert f"Prise de connaissance n° {recent.id} " not in result.output
    assert "rien n'a été changé" in result.output
    assert db.session.get(Acknowledgement, gone.id) is not None
    assert file_path(pdf_of(gone.id)).exists()
    assert db.session.scalar(select(func.count()).select_from(Disposal)) == 0


def test_disposal_destroys_removes_the_file_and_keeps_the_chain(app, clock, staff,
                                                                 departed, signed_ack):
    person = departed(dt.date(2027, 1, 31))
    ack = signed_ack(person)
    record("acknowledgement.signed", target_type="acknowledgements", target_id=ack.id,
           target_label="Prise de connaissance", actor=staff["employee"])
    db.session.commit()
    path, ack_id = file_path(pdf_of(ack.id)), ack.id
    before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = run(app)
    assert result.exit_code == 0, result.output
    assert db.session.get(Acknowledgement, ack_id) is None
    assert not path.exists(), "the signed PDF must leave the storage"
    assert pdf_of(ack_id).removed_at is not None
    (entry,) = db.session.scalars(select(Disposal)).all()
    assert (entry.record_type, entry.record_id, entry.disposition) == (ACK, ack_id, "destroy")
    assert (entry.period_months, entry.event, entry.event_on) == (60, "departure",
                                                                   dt.date(2027, 1, 31))
    assert entry.files_removed == 1 and entry.disposed_by_label.startswith("Système")
    # The record's own trail is still there, and the tombstone points to its last entry.
    trail = db.session.scalars(select(AuditEvent).where(
        AuditEvent.target_type == "acknowledgements",
        AuditEvent.target_id == str(ack_id)).order_by(AuditEvent.id)).all()
    assert [e.action for e in trail][0] == "acknowledgement.signed"
    (tombstone,) = actions("records.disposed")
    assert tombstone.entry_hash == entry.tombstone_hash
    assert tombstone.after["trail_head"] == entry.trail_head
    assert entry.trail_entries == 2  # signed, then destroyed by the domain's own purge
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) > before
    assert verify_chain().ok
    verified = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output


def test_rerun_disposes_nothing_twice(app, clock, staff, departed, signed_ack):
    signed_ack(departed(dt.date(2027, 1, 31)))
    assert run(app).exit_code == 0
    again = run(app)
    assert again.exit_code == 0
    assert "0 document(s) traités" in again.output
    assert db.session.scalar(select(func.count()).select_from(Disposal)) == 1
    assert len(actions("records.disposed")) == 1


def test_a_failure_halfway_leaves_that_record_whole(app, clock, staff, departed, signed_ack,
                                                    monkeypatch):
    first = signed_ack(departed(dt.date(2027, 1, 31)))
    second = signed_ack(departed(dt.date(2027, 2, 28)), b"%PDF-1.4 second")
    kind = record_type(ACK)
    real = kind.dispose

    def breaks_after_destroying(record_id, disposition):
        counts = real(record_id, disposition)  # rows deleted, files marked for removal
        if record_id == first.id:
            raise RuntimeError("disk full")
        return counts

    monkeypatch.setitem(RECORD_TYPES, ACK, replace(kind, dispose=breaks_after_destroying))
    first_path, first_id = file_path(pdf_of(first.id)), first.id
    result = run(app)
    monkeypatch.setitem(RECORD_TYPES, ACK, kind)
    assert result.exit_code == 1
    assert "ÉCHEC" in result.output and "disk full" in result.output
    # The failed record is whole: row, file, attachment name; nothing in the register.
    assert db.session.get(Acknowledgement, first_id) is not None
    assert first_path.exists()
    assert pdf_of(first_id).removed_at is None
    assert db.session.scalars(select(Disposal.record_id)).all() == [second.id]
    assert verify_chain().ok
    # The next run picks it up.
    assert run(app).exit_code == 0
    assert db.session.get(Acknowledgement, first_id) is None
    assert not first_path.exists()


def test_a_file_another_record_uses_stays(app, clock, staff, departed, signed_ack, make_person):
    gone = signed_ack(departed(dt.date(2027, 1, 31)))
    kept = signed_ack(make_person())  # the same bytes, for someone still here
    assert run(app).exit_code == 0
    assert db.session.get(Acknowledgement, gone.id) is None
    assert file_path(pdf_of(kept.id)).exists()


def test_people_are_anonymised_after_their_period(app, clock, staff, departed, make_user):
    person = departed(dt.date(2026, 1, 31), first_name="Lucie", last_name="Lavoie",
                      email="lucie@ville.test")
    user = make_user("employee", person=person, username="lucie")
    recent = departed(dt.date(2032, 1, 31), first_name="Rémi")
    result = run(app)
    assert result.exit_code == 0, result.output
    person = db.session.get(Person, person.id)
    assert (person.first_name, person.email) == ("Personne", None)
    assert "Lavoie" not in person.last_name and person.employee_number == f"ANON-{person.id}"
    assert "lavoie" not in person.search_text
    assert user.is_enabled is False and user.username == f"anonyme-{person.id}"
    assert db.session.get(Person, recent.id).first_name == "Rémi"
    assert db.session.scalar(select(Disposal.disposition)) == "anonymise"


def test_keep_never_disposes(app, clock, staff, departed, signed_ack):
    signed_ack(departed(dt.date(2020, 1, 31)))
    rule(ACK, 12, "departure", "keep", staff["hr"])
    rule("people.person", 12, "departure", "keep", staff["hr"])
    assert disposal.plan(TODAY) == []


def test_the_period_counts_in_months_from_the_event(app, clock, staff, departed, signed_ack):
    ack = signed_ack(departed(dt.date(2028, 6, 15)))
    clock(dt.date(2033, 6, 14))
    assert [p.candidate.record_id for p in disposal.plan(retention_today())
            if p.rule.record_type.code == ACK] == []
    clock(dt.date(2033, 6, 15))
    assert [p.candidate.record_id for p in disposal.plan(retention_today())
            if p.rule.record_type.code == ACK] == [ack.id]


def retention_today():
    from hr_social.records import retention

    return retention.today()
