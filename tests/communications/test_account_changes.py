"""Changes to official accounts (§3.3): who may ask, the decision loop, and what a change
marked done does to the register."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.communications import services as ops
from hr_social.communications.models import (
    AccountChangeRequest,
    AccountHistory,
    OfficialAccount,
)
from hr_social.db import db
from hr_social.workflow import AlreadyProcessed, GuardFailed, NotPermitted
from tests.communications.conftest import count, days, upload


def _ask(comms, user=None, **overrides):
    fields = dict(account_id=comms["account"].id, kind="description",
                  proposed_text="Nouvelle description de la page", wanted_on=days(7))
    fields.update(overrides)
    change = ops.ask_change(user or comms["employee"], **fields)
    db.session.commit()
    return change


def test_people_of_the_managing_service_and_communications_may_ask(comms):
    assert _ask(comms).state == "submitted"
    assert _ask(comms, comms["comm"]).state == "submitted"


def test_someone_of_another_service_may_not_change_the_account(comms):
    with pytest.raises(GuardFailed, match="service qui gère ce compte"):
        _ask(comms, comms["outsider"])
    db.session.rollback()
    assert count(AccountChangeRequest) == 0


def test_anyone_may_propose_a_new_account_which_enters_the_register_when_done(comms):
    change = _ask(comms, comms["outsider"], account_id=None, kind="new_account",
                  new_platform_id=comms["facebook"].id, new_display_name="Travaux en cours",
                  new_service_id=comms["elsewhere"].id)
    ops.approve_change(comms["comm"], change)
    db.session.commit()
    assert count(OfficialAccount) == 1  # approved is not yet in the register
    with pytest.raises(GuardFailed, match="adresse du nouveau compte"):
        ops.mark_done(comms["outsider"], change, result="Page créée")
    db.session.rollback()
    ops.mark_done(comms["outsider"], change, result="Page créée",
                  result_url="https://www.facebook.com/travaux-test")
    db.session.commit()
    created = db.session.scalars(select(OfficialAccount).where(
        OfficialAccount.display_name == "Travaux en cours")).one()
    assert (created.url, created.managing_service_id) == (
        "https://www.facebook.com/travaux-test", comms["elsewhere"].id)
    assert change.state == "done" and change.account_id == created.id


def test_a_url_that_is_not_http_is_refused(comms):
    with pytest.raises(GuardFailed, match="https://"):
        _ask(comms, account_id=None, kind="new_account", new_platform_id=comms["facebook"].id,
             new_display_name="X", new_service_id=comms["leisure"].id,
             new_url="javascript:alert(1)")
    db.session.rollback()
    assert count(AccountChangeRequest) == 0


def test_a_date_wanted_in_the_past_is_refused(comms):
    with pytest.raises(GuardFailed, match="déjà passée"):
        _ask(comms, wanted_on=days(-1))


def test_done_goes_into_the_account_history_with_its_result(comms):
    change = _ask(comms, files=[upload()])
    ops.approve_change(comms["comm"], change, note="D'accord")
    db.session.commit()
    for user in (comms["outsider"], comms["dg"]):  # not of the managing service
        with pytest.raises(NotPermitted):
            ops.mark_done(user, change, result="Fait")
        db.session.rollback()
    db.session.rollback()
    ops.mark_done(comms["employee"], change, result="Description mise à jour",
                  result_url="https://www.facebook.com/bibliotheque-test/about",
                  screenshot=upload(name="capture.png"))
    db.session.commit()
    history = db.session.scalars(select(AccountHistory).where(
        AccountHistory.change_request_id == change.id)).all()
    assert [h.result for h in history] == ["Description mise à jour"]
    assert history[0].result_url.endswith("/about")
    screenshot = db.session.scalars(select(Attachment).where(
        Attachment.subject_type == "official_account_history")).one()
    assert screenshot.subject_id == history[0].id


def test_adding_and_removing_an_administrator_updates_the_register(comms):
    colleague = comms["colleague"].person
    add = _ask(comms, kind="add_admin", administrator_id=colleague.id)
    ops.approve_change(comms["comm"], add)
    ops.mark_done(comms["employee"], add, result="Accès donné")
    db.session.commit()
    account = db.session.get(OfficialAccount, comms["account"].id)
    assert [a.person_id for a in account.current_administrators] == [colleague.id]
    remove = _ask(comms, kind="remove_admin", administrator_id=colleague.id)
    ops.approve_change(comms["comm"], remove)
    ops.mark_done(comms["employee"], remove, result="Accès retiré")
    db.session.commit()
    db.session.refresh(account)
    assert account.current_administrators == []
    assert len(account.administrators) == 1  # the history of who held access stays


def test_closing_an_account_closes_it_in_the_register(comms):
    change = _ask(comms, kind="close_account")
    ops.approve_change(comms["dg"], change)
    ops.mark_done(comms["comm"], change, result="Page fermée")
    db.session.commit()
    assert db.session.get(OfficialAccount, comms["account"].id).status == "closed"


def test_decision_loop_on_changes(comms):
    change = _ask(comms)
    with pytest.raises(GuardFailed, match="sa propre demande"):
        ops.approve_change(comms["comm"], _ask(comms, comms["comm"]))
    db.session.rollback()
    ops.request_changes(comms["comm"], change, "Plus court, s'il vous plaît")
    db.session.commit()
    ops.resubmit_change(comms["employee"], change, account_id=comms["account"].id,
                        kind="description", proposed_text="Court", wanted_on=None)
    db.session.commit()
    assert (change.state, change.round, change.proposed_text) == ("submitted", 2, "Court")
    ops.escalate(comms["comm"], change)
    ops.refuse(comms["dg"], change, "Pas maintenant")
    db.session.commit()
    assert change.state == "refused" and change.decision_note == "Pas maintenant"
    with pytest.raises(AlreadyProcessed):
        ops.approve_change(comms["comm2"], change)


def test_the_decider_sees_the_requesters_past_requests(comms, ask_logo):
    earlier = ask_logo()
    change = _ask(comms)
    logos, changes = ops.past_requests(change)
    assert logos == [earlier] and changes == []


def test_emails_tell_communications_of_a_new_request_and_the_requester_of_decisions(comms):
    from hr_social.mail.models import OutgoingEmail

    change = _ask(comms)
    ops.request_changes(comms["comm"], change, "Précisez le texte")
    db.session.commit()
    subjects = {m.to_address: m.subject for m in db.session.scalars(select(OutgoingEmail))}
    assert "à décider" in subjects["comm@ville.test"]
    assert "Modifications demandées" in subjects["emile@ville.test"]


def test_a_colleague_of_the_managing_service_may_mark_the_change_done(comms):
    change = _ask(comms)
    ops.approve_change(comms["comm"], change)
    ops.mark_done(comms["colleague"], change, result="Fait par une collègue du service")
    db.session.commit()
    assert change.state == "done"
