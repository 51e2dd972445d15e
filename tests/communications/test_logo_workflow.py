"""Logo-use authorizations (§3.2) through the shared workflow: every transition and refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.audit.models import AuditEvent
from hr_social.communications import services as ops
from hr_social.communications.models import LogoAuthorization, LogoVisual
from hr_social.db import db
from hr_social.mail.models import OutgoingEmail
from hr_social.workflow import AlreadyProcessed, GuardFailed, NotPermitted
from tests.communications.conftest import PDF, count, days, logo_fields, upload


def _actions(obj) -> list[str]:
    return db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.target_type == "logo_authorizations",
        AuditEvent.target_id == str(obj.id)).order_by(AuditEvent.id)).all()


def _mail_to(address):
    return db.session.scalars(select(OutgoingEmail.subject).where(
        OutgoingEmail.to_address == address)).all()


def test_asking_stores_the_visual_tells_communications_and_is_audited(comms, ask_logo):
    authorization = ask_logo()
    assert authorization.state == "submitted"
    assert [v.round for v in authorization.visuals] == [1]
    assert authorization.visuals[0].attachment.content_type == "image/png"
    assert _actions(authorization) == ["logo_authorization.created"]
    assert any("à décider" in s for s in _mail_to("comm@ville.test"))


@pytest.mark.parametrize("overrides, message", [
    (dict(ends_on=days(1), starts_on=days(5)), "doit suivre son début"),
    (dict(starts_on=days(-30), ends_on=days(-2)), "déjà passée"),
    (dict(medium="billboard"), "Choisissez où"),
    (dict(medium="official_account", account_id=None), "compte officiel du registre"),
    (dict(purpose="  "), "requis"),
    (dict(medium_detail=""), "requis"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(comms, overrides,
                                                                      message):
    with pytest.raises(GuardFailed, match=message):
        ops.ask_logo(comms["employee"], visual=upload(), **logo_fields(**overrides))
    db.session.rollback()
    assert count(LogoAuthorization) == 0 and count(Attachment) == 0


@pytest.mark.parametrize("data, name, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "logo.svg", "Format de fichier refusé"),
    (b"GIF89a....", "faux.png", "Format de fichier refusé"),
    (b"", "vide.png", "vide"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(comms, data, name, message):
    with pytest.raises(GuardFailed, match=message):
        ops.ask_logo(comms["employee"], visual=upload(data, name), **logo_fields())
    db.session.rollback()
    assert count(LogoAuthorization) == 0


def test_an_oversize_file_is_refused(comms, app):
    app.config["UPLOAD_MAX_BYTES"] = 100
    with pytest.raises(GuardFailed, match="dépasse la taille"):
        ops.ask_logo(comms["employee"], visual=upload(b"\x89PNG\r\n\x1a\n" + b"0" * 200),
                     **logo_fields())
    db.session.rollback()
    assert count(LogoAuthorization) == 0


def test_a_visual_is_required(comms):
    with pytest.raises(GuardFailed, match="Joignez le visuel"):
        ops.ask_logo(comms["employee"], visual=None, **logo_fields())


def test_logo_on_an_official_account_names_the_account(comms, ask_logo):
    authorization = ask_logo(medium="official_account", account_id=comms["account"].id)
    assert authorization.where.startswith("Bibliothèque Alice-Lane")


def test_authorize_sets_validity_conditions_and_tells_the_requester(comms, ask_logo):
    authorization = ask_logo()
    ops.authorize_logo(comms["comm"], authorization, conditions="Logo en couleur seulement")
    db.session.commit()
    assert authorization.state == "authorized"
    assert authorization.valid_until == authorization.ends_on
    assert authorization.decided_by_id == comms["comm"].id
    assert _actions(authorization)[-1] == "logo_authorization.authorized"
    assert any("Autorisée" in s for s in _mail_to("emile@ville.test"))
    in_force = db.session.scalars(LogoAuthorization.in_force(days(0))).all()
    assert in_force == [authorization]


def test_nobody_decides_their_own_request(comms, ask_logo):
    authorization = ask_logo(user=comms["comm"])
    for decide in (lambda: ops.authorize_logo(comms["comm"], authorization),
                   lambda: ops.refuse(comms["comm"], authorization, "Non"),
                   lambda: ops.request_changes(comms["comm"], authorization, "Autre"),
                   lambda: ops.escalate(comms["comm"], authorization)):
        with pytest.raises(GuardFailed, match="sa propre demande"):
            decide()
        db.session.rollback()
    assert db.session.get(LogoAuthorization, authorization.id).state == "submitted"
    ops.authorize_logo(comms["comm2"], authorization)  # a colleague of the division may
    db.session.commit()


def test_deciding_without_the_role_is_not_permitted(comms, ask_logo):
    authorization = ask_logo()
    for user in (comms["colleague"], comms["outsider"]):
        with pytest.raises(NotPermitted):
            ops.authorize_logo(user, authorization)
        db.session.rollback()
    assert db.session.get(LogoAuthorization, authorization.id).state == "submitted"


def test_deciding_twice_is_refused_naming_who_decided(comms, ask_logo):
    authorization = ask_logo()
    ops.refuse(comms["comm"], authorization, "Visuel non conforme")
    db.session.commit()
    with pytest.raises(AlreadyProcessed, match="déjà été traitée"):
        ops.authorize_logo(comms["comm2"], authorization)
    db.session.rollback()
    assert db.session.get(LogoAuthorization, authorization.id).state == "refused"


def test_a_refusal_needs_a_reason(comms, ask_logo):
    authorization = ask_logo()
    with pytest.raises(GuardFailed, match="requis"):
        ops.refuse(comms["comm"], authorization, " ")
    db.session.rollback()
    assert db.session.get(LogoAuthorization, authorization.id).state == "submitted"


def test_changes_requested_then_resubmitted_keeps_every_visual(comms, ask_logo):
    authorization = ask_logo()
    ops.request_changes(comms["comm"], authorization, "Utilisez la version en noir")
    db.session.commit()
    assert authorization.state == "changes_requested"
    assert any("Modifications demandées" in s for s in _mail_to("emile@ville.test"))
    with pytest.raises(NotPermitted):  # only the requester resubmits
        ops.resubmit_logo(comms["colleague"], authorization, visual=upload(PDF, "v2.pdf"),
                          **logo_fields())
    db.session.rollback()
    ops.resubmit_logo(comms["employee"], authorization, visual=upload(PDF, "v2.pdf"),
                      **logo_fields(purpose="Affiche, version noire"))
    db.session.commit()
    assert (authorization.state, authorization.round) == ("submitted", 2)
    assert authorization.purpose == "Affiche, version noire"
    visuals = db.session.scalars(select(LogoVisual).order_by(LogoVisual.round)).all()
    assert [(v.round, v.attachment.content_type) for v in visuals] == [
        (1, "image/png"), (2, "application/pdf")]
    ops.authorize_logo(comms["comm"], authorization)
    db.session.commit()
    assert _actions(authorization)[1:] == [
        "logo_authorization.changes_requested", "logo_authorization.resubmitted",
        "logo_authorization.authorized"]


def test_a_refused_resubmission_keeps_nothing(comms, ask_logo):
    authorization = ask_logo()
    ops.request_changes(comms["comm"], authorization, "Autre visuel")
    db.session.commit()
    with pytest.raises(GuardFailed, match="Format de fichier refusé"):
        ops.resubmit_logo(comms["employee"], authorization, visual=upload(b"GIF89a", "x.png"),
                          **logo_fields(purpose="Changé"))
    db.session.rollback()
    again = db.session.get(LogoAuthorization, authorization.id)
    assert (again.state, again.purpose, again.round) == ("changes_requested",
                                                         "Affiche du festival d'été", 1)
    assert count(LogoVisual) == 1


def test_escalated_requests_are_decided_by_the_dg_only(comms, ask_logo):
    authorization = ask_logo()
    with pytest.raises(NotPermitted):  # the DG decides, communications escalates
        ops.escalate(comms["dg"], authorization)
    db.session.rollback()
    ops.escalate(comms["comm"], authorization, "Usage politique possible")
    db.session.commit()
    assert authorization.state == "escalated"
    assert any("Direction générale" in s for s in _mail_to("dg@ville.test"))
    with pytest.raises(GuardFailed, match="Direction générale"):
        ops.authorize_logo(comms["comm2"], authorization)
    db.session.rollback()
    ops.authorize_logo(comms["dg"], authorization, conditions="Une seule parution")
    db.session.commit()
    assert authorization.state == "authorized"


def test_withdraw_by_the_requester_only(comms, ask_logo):
    authorization = ask_logo()
    with pytest.raises(NotPermitted):
        ops.withdraw(comms["comm"], authorization)
    db.session.rollback()
    ops.withdraw(comms["employee"], authorization)
    db.session.commit()
    assert authorization.state == "withdrawn"


def test_expire_removes_authorizations_past_their_end_and_warns_before(comms, ask_logo):
    ending = ask_logo(ends_on=days(10))
    later = ask_logo(ends_on=days(90))
    for authorization in (ending, later):
        ops.authorize_logo(comms["comm"], authorization)
    db.session.commit()
    report = ops.expire()
    db.session.commit()
    assert (report.expired, report.notices) == (0, 1)
    assert ops.expire().notices == 0  # idempotent
    db.session.commit()
    db.session.execute(LogoAuthorization.__table__.update().where(
        LogoAuthorization.id == ending.id).values(valid_until=days(-1)))
    db.session.commit()
    assert ops.expire().expired == 1
    db.session.commit()
    db.session.refresh(ending)
    assert ending.state == "expired"
    assert db.session.scalars(LogoAuthorization.in_force(days(0))).all() == [later]
    assert "logo_authorization.expired" in _actions(ending)


def test_the_dgs_delegate_decides_an_escalated_request_in_the_dgs_name(comms, ask_logo):
    from hr_social.delegation.models import DgDelegation

    delegate = comms["outsider"]
    db.session.add(DgDelegation(dg_user_id=comms["dg"].id, delegate_user_id=delegate.id,
                                starts_on=days(-1), ends_on=days(5)))
    authorization = ask_logo()
    ops.escalate(comms["comm"], authorization, "À la DG")
    db.session.commit()
    assert db.session.get(LogoAuthorization, authorization.id) in db.session.scalars(
        LogoAuthorization.visible_to(delegate)).all()
    ops.authorize_logo(delegate, authorization)
    db.session.commit()
    assert authorization.state == "authorized"
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "logo_authorization.authorized")).one()
    assert event.on_behalf_of_label is not None
