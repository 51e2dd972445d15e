"""Grievances change what counts; damages and the ladder kept by HR."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.discipline import catalogue, followups
from hr_social.discipline import services as ops
from hr_social.discipline.models import SanctionLevel
from hr_social.workflow import AlreadyProcessed, GuardFailed
from tests.discipline.conftest import level, sanctioned

TODAY = catalogue.today


@pytest.mark.parametrize("outcome, counts, next_step", [
    ("withdrawn", True, "written_reprimand"),
    ("upheld", False, "verbal_warning"),
    ("modified", True, "suspension"),
])
def test_grievance_outcome_changes_what_counts(team, report, outcome, counts, next_step):
    hr = team["hr"]
    first = sanctioned(team, report(facts_on=dt.date(2026, 1, 5)))
    grievance = followups.record_grievance(hr, first, filed_on=TODAY(), number="G-7")
    followups.record_outcome(hr, grievance, outcome=outcome, outcome_on=TODAY(),
                             level_id=level("written_reprimand").id)
    db.session.commit()
    later = report(facts_on=dt.date(2026, 2, 5))
    assert bool(ops.prior_sanctions(later)) is counts
    assert ops.proposed_step(later).code == next_step
    with pytest.raises(AlreadyProcessed):
        followups.record_outcome(hr, grievance, outcome="upheld", outcome_on=TODAY())


def test_grievance_input_is_checked(team, report):
    hr = team["hr"]
    case = report()
    with pytest.raises(GuardFailed, match="après la remise"):
        followups.record_grievance(hr, case, filed_on=TODAY(), number="G-1")
    sanctioned(team, case)
    with pytest.raises(GuardFailed, match="date de dépôt"):
        followups.record_grievance(hr, case, filed_on=None, number="G-1")
    grievance = followups.record_grievance(hr, case, filed_on=TODAY(), number="G-1")
    with pytest.raises(GuardFailed, match="déjà en cours"):
        followups.record_grievance(hr, case, filed_on=TODAY(), number="G-2")
    with pytest.raises(GuardFailed, match="issue du grief"):
        followups.record_outcome(hr, grievance, outcome="won", outcome_on=TODAY())
    with pytest.raises(GuardFailed, match="remplace"):
        followups.record_outcome(hr, grievance, outcome="modified", outcome_on=TODAY())
    with pytest.raises(GuardFailed, match="nombre de jours"):
        followups.record_outcome(hr, grievance, outcome="modified", outcome_on=TODAY(),
                                 level_id=level("suspension").id)


def test_damages_and_their_follow_up(team, report):
    case = sanctioned(team, report())
    with pytest.raises(GuardFailed, match="montant positif"):
        followups.record_damages(team["hr"], case, amount="0", text="Frais")
    with pytest.raises(GuardFailed, match="négatif"):
        followups.record_damages(team["hr"], case, amount="-3", text="x", followup=True)
    for absurd in ("NaN", "Infinity", "1e12"):
        with pytest.raises(GuardFailed, match="10 milliards"):
            followups.record_damages(team["hr"], case, amount=absurd, text="x")
    entry = followups.record_damages(team["hr"], case, amount="1250.50",
                                     text="Règlement payé à un citoyen.")
    followups.record_damages(team["hr"], case, amount="", text="Retenue convenue.",
                             followup=True)
    db.session.commit()
    assert str(entry.amount) == "1250.50"
    trail = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "discipline_case.damages_added"))
    assert "citoyen" not in trail.after_json  # ids and amounts, never the words


def test_entries_by_hand(team, report):
    case = report()
    with pytest.raises(GuardFailed, match="élément"):
        followups.add_by_hand(team["hr"], case, "correction", text="Le lieu était LinkedIn.")
    fixed = followups.add_by_hand(team["hr"], case, "correction", field="place",
                                  text="Le lieu était LinkedIn.")
    assert fixed.field == "place"
    with pytest.raises(GuardFailed, match="type d'ajout"):
        followups.add_by_hand(team["hr"], case, "rumour", text="x")
    with pytest.raises(GuardFailed, match="fichier à joindre"):
        followups.add_by_hand(team["hr"], case, "evidence_file")
    with pytest.raises(GuardFailed, match="https://"):
        followups.add_by_hand(team["hr"], case, "evidence_link", url="javascript:alert(1)")
    upload = FileStorage(io.BytesIO(b"%PDF-1.4 capture"), filename="capture.pdf")
    assert followups.add_by_hand(team["hr"], case, "evidence_file",
                                 file_storage=upload).attachment is not None


def test_ladder_kept_by_hr_is_audited(team):
    hr = team["hr"]
    with pytest.raises(GuardFailed, match="libellé"):
        catalogue.save_level(hr, None, label=" ", rank=1, kind="disciplinary",
                             requires_days=False, requires_dg=False, is_active=True)
    with pytest.raises(GuardFailed, match="type"):
        catalogue.save_level(hr, None, label="X", rank=1, kind="other",
                             requires_days=False, requires_dg=False, is_active=True)
    with pytest.raises(GuardFailed, match="rang"):
        catalogue.save_level(hr, None, label="X", rank=120, kind="disciplinary",
                             requires_days=False, requires_dg=False, is_active=True)
    reprimand = level("written_reprimand")
    catalogue.save_level(hr, reprimand, label="Réprimande écrite au dossier", rank=2,
                         kind="disciplinary", requires_days=False, requires_dg=False,
                         is_active=False)
    db.session.commit()
    assert reprimand not in catalogue.ladder()
    assert db.session.get(SanctionLevel, reprimand.id).label == "Réprimande écrite au dossier"
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "discipline_ladder.changed")) is not None
    with pytest.raises(GuardFailed, match="120 mois"):
        catalogue.save_settings(hr, amnesty_months=0, restart_on_recidivism=True,
                                retention="keep")
    with pytest.raises(GuardFailed, match="conservation"):
        catalogue.save_settings(hr, amnesty_months=12, restart_on_recidivism=True,
                                retention="shred")
