"""Named operations on logo-use authorizations and account-change requests. They take the
acting user, go through the workflow (state, audit, notices in one transaction), only flush."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.attachments.services import UploadRejected, store
from hr_social.audit.services import record
from hr_social.clock import local_today
from hr_social.communications import letter, notifications, register
from hr_social.communications.models import (
    ADMIN_KINDS,
    CHANGE_KINDS,
    MEDIA,
    SHORT_MAX,
    TEXT_MAX,
    AccountChangeRequest,
    LogoAuthorization,
    LogoVisual,
    OfficialAccount,
)
from hr_social.communications.register import InvalidCommunications
from hr_social.communications.workflows import CHANGE_WORKFLOW, LOGO_WORKFLOW  # noqa: F401
from hr_social.db import db, utcnow
from hr_social.delegation import actor_for
from hr_social.people.models import Person
from hr_social.workflow import SYSTEM_ACTOR, apply_transition

VISUAL_TYPES = {"image/png", "image/jpeg", "application/pdf"}
IMAGE_TYPES = {"image/png", "image/jpeg"}
EXPIRY_NOTICE_DAYS = 30


def _text(value, label: str, limit: int = TEXT_MAX, required: bool = True) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise InvalidCommunications(_("%(field)s : ce champ est requis.", field=label))
    if len(value) > limit:
        raise InvalidCommunications(_("%(field)s : %(max)d caractères au plus.", field=label,
                                      max=limit))
    return value or None


def _store(file_storage, user, subject, allowed):
    try:
        return store(file_storage, allowed, uploaded_by=user, subject=subject)
    except UploadRejected as error:
        raise InvalidCommunications(str(error)) from None


def _has_file(file_storage) -> bool:
    return file_storage is not None and bool(getattr(file_storage, "filename", ""))


# --- logo-use authorizations --------------------------------------------------------------

def _logo_fields(*, purpose, medium, account_id, medium_detail, audience, starts_on,
                 ends_on) -> dict:
    if medium not in MEDIA:
        raise InvalidCommunications(_("Choisissez où le logo sera utilisé."))
    account = None
    if medium == "official_account":
        account = db.session.get(OfficialAccount, account_id) if account_id else None
        if account is None or account.status == "closed":
            raise InvalidCommunications(_("Choisissez un compte officiel du registre."))
        medium_detail = None
    else:
        medium_detail = _text(medium_detail, _("Précisez le support"), SHORT_MAX)
    if starts_on is None or ends_on is None:
        raise InvalidCommunications(_("Indiquez la période d'utilisation (début et fin)."))
    if ends_on < starts_on:
        raise InvalidCommunications(_("La fin de la période doit suivre son début."))
    if ends_on < local_today():
        raise InvalidCommunications(_("La période d'utilisation est déjà passée."))
    return dict(purpose=_text(purpose, _("Objet")), medium=medium,
                account_id=account.id if account else None, medium_detail=medium_detail,
                audience=_text(audience, _("Public visé"), SHORT_MAX), starts_on=starts_on,
                ends_on=ends_on)


def _add_visual(authorization, user, file_storage, round_number: int) -> LogoVisual:
    attachment = _store(file_storage, user, authorization, VISUAL_TYPES)
    visual = LogoVisual(authorization=authorization, round=round_number, attachment=attachment)
    db.session.add(visual)
    db.session.flush()
    return visual


def ask_logo(user, *, visual, **fields) -> LogoAuthorization:
    if user.person is None:
        raise InvalidCommunications(_("Seule une personne inscrite peut présenter une demande."))
    values = _logo_fields(**fields)
    if not _has_file(visual):
        raise InvalidCommunications(_("Joignez le visuel ou la maquette (PNG, JPEG ou PDF)."))
    authorization = LogoAuthorization(requester_id=user.person_id, created_by_id=user.id,
                                      state="submitted", submitted_at=utcnow(), **values)
    db.session.add(authorization)
    db.session.flush()
    _add_visual(authorization, user, visual, 1)
    record("logo_authorization.created", authorization,
           after={"state": "submitted", **values}, actor=user)
    notifications.submitted(authorization)
    return authorization


def resubmit_logo(user, authorization, *, visual=None, **fields) -> LogoAuthorization:
    values = _logo_fields(**fields)
    next_round = authorization.round + 1

    def add_files(obj):
        if _has_file(visual):
            _add_visual(obj, user, visual, next_round)

    return apply_transition(authorization, "resubmit", actor_for(user), now=utcnow(),
                            fields=values, add_files=add_files)


def request_changes(user, obj, note) -> object:
    note = _text(note, _("Modifications demandées"))
    return apply_transition(obj, "request_changes", actor_for(user), now=utcnow(), note=note)


def escalate(user, obj, note=None) -> object:
    note = _text(note, _("Note"), required=False)
    return apply_transition(obj, "escalate", actor_for(user), now=utcnow(), note=note)


def refuse(user, obj, reason) -> object:
    reason = _text(reason, _("Motif du refus"))
    return apply_transition(obj, "refuse", actor_for(user), now=utcnow(), note=reason)


def withdraw(user, obj) -> object:
    return apply_transition(obj, "withdraw", actor_for(user), now=utcnow())


def authorize_logo(user, authorization, *, valid_until=None, conditions=None, note=None):
    valid_until = valid_until or authorization.ends_on
    if valid_until < local_today():
        raise InvalidCommunications(_("La fin de validité doit être aujourd'hui ou plus tard."))
    apply_transition(
        authorization, "authorize", actor_for(user), now=utcnow(), valid_until=valid_until,
        conditions=_text(conditions, _("Conditions"), required=False),
        note=_text(note, _("Note"), required=False))
    letter.issue_letter(authorization)  # its verification code, in the same transaction
    return authorization


def past_requests(obj):
    """The requester's earlier logo and change requests, for the decider (newest first)."""
    logos = db.session.scalars(
        select(LogoAuthorization).where(LogoAuthorization.requester_id == obj.requester_id)
        .order_by(LogoAuthorization.id.desc()).limit(20)).all()
    changes = db.session.scalars(
        select(AccountChangeRequest).where(
            AccountChangeRequest.requester_id == obj.requester_id)
        .order_by(AccountChangeRequest.id.desc()).limit(20)).all()
    return [r for r in logos if r is not obj], [r for r in changes if r is not obj]


# --- changes to official accounts ---------------------------------------------------------

def _change_fields(user, *, account_id, kind, proposed_text, wanted_on, administrator_id=None,
                   new_platform_id=None, new_display_name=None, new_url=None,
                   new_service_id=None) -> dict:
    if kind not in CHANGE_KINDS:
        raise InvalidCommunications(_("Choisissez le genre de modification."))
    values = dict(kind=kind, proposed_text=_text(proposed_text, _("Contenu proposé")),
                  wanted_on=wanted_on, account_id=None, administrator_id=None,
                  new_platform_id=None, new_display_name=None, new_url=None,
                  new_service_id=None)
    if wanted_on is not None and wanted_on < local_today():
        raise InvalidCommunications(_("La date souhaitée est déjà passée."))
    if kind == "new_account":
        platform = db.session.get(register.platform_model(), new_platform_id or -1)
        if platform is None:
            raise InvalidCommunications(_("Choisissez la plateforme du nouveau compte."))
        from hr_social.people.models import Service

        service = db.session.get(Service, new_service_id or -1)
        if service is None:
            raise InvalidCommunications(_("Choisissez le service qui gérera le compte."))
        values.update(new_platform_id=platform.id, new_service_id=service.id,
                      new_display_name=_text(new_display_name, _("Nom du compte"), 150),
                      new_url=register.clean_url(new_url) if new_url else None)
        return values
    account = db.session.get(OfficialAccount, account_id or -1)
    if account is None:
        raise InvalidCommunications(_("Choisissez un compte officiel du registre."))
    if not account.can_ask_change(user):
        raise InvalidCommunications(_(
            "Seules les personnes du service qui gère ce compte, ou la Division des "
            "communications, peuvent demander de le modifier."))
    values["account_id"] = account.id
    if kind in ADMIN_KINDS:
        person = db.session.get(Person, administrator_id or -1)
        if person is None:
            raise InvalidCommunications(_("Choisissez la personne concernée."))
        if kind == "add_admin" and not person.is_active:
            raise InvalidCommunications(_("Cette personne a quitté la Ville."))
        values["administrator_id"] = person.id
    return values


def _attach_images(request, user, files) -> None:
    for file_storage in files or []:
        if _has_file(file_storage):
            _store(file_storage, user, request, VISUAL_TYPES)


def ask_change(user, *, files=(), **fields) -> AccountChangeRequest:
    if user.person is None:
        raise InvalidCommunications(_("Seule une personne inscrite peut présenter une demande."))
    values = _change_fields(user, **fields)
    change = AccountChangeRequest(requester_id=user.person_id, created_by_id=user.id,
                                  state="submitted", submitted_at=utcnow(), **values)
    db.session.add(change)
    db.session.flush()
    _attach_images(change, user, files)
    record("account_change.created", change, after={"state": "submitted", **values},
           actor=user)
    notifications.submitted(change)
    return change


def resubmit_change(user, change, *, files=(), **fields) -> AccountChangeRequest:
    values = _change_fields(user, **fields)
    return apply_transition(change, "resubmit", actor_for(user), now=utcnow(), fields=values,
                            add_files=lambda obj: _attach_images(obj, user, files))


def approve_change(user, change, note=None) -> AccountChangeRequest:
    return apply_transition(change, "approve", actor_for(user), now=utcnow(),
                            note=_text(note, _("Note"), required=False))


def _carry_out(user, screenshot):
    """What a change done means for the register (inside the mark_done transition)."""
    def carry_out(change) -> None:
        account = change.account
        if change.kind == "new_account":
            account = register.add_account(
                user, platform_id=change.new_platform_id, display_name=change.new_display_name,
                url=change.result_url or change.new_url, service_id=change.new_service_id,
                description=change.proposed_text, change_request=change)
            change.account_id = account.id
        elif change.kind == "add_admin":
            register.add_administrator(user, account, change.administrator,
                                       change_request=change)
        elif change.kind == "remove_admin":
            register.remove_administrator(user, account, change.administrator,
                                          change_request=change)
        elif change.kind == "close_account":
            register.set_status(user, account, "closed", change_request=change)
        entry = register.add_history(
            account, _("Modification réalisée : %(kind)s", kind=change.kind_label), actor=user,
            result=change.result, result_url=change.result_url, change_request=change)
        db.session.flush()
        if _has_file(screenshot):
            _store(screenshot, user, entry, VISUAL_TYPES)
    return carry_out


def mark_done(user, change, *, result, result_url=None, screenshot=None):
    result = _text(result, _("Résultat"))
    result_url = register.clean_url(result_url) if (result_url or "").strip() else None
    if change.kind == "new_account" and not (result_url or change.new_url):
        raise InvalidCommunications(_("Indiquez l'adresse du nouveau compte."))
    return apply_transition(change, "mark_done", actor_for(user), now=utcnow(), result=result,
                            result_url=result_url, carry_out=_carry_out(user, screenshot))


# --- cron ---------------------------------------------------------------------------------

@dataclass
class ExpiryReport:
    expired: int = 0
    notices: int = 0


def expire(now: dt.datetime | None = None) -> ExpiryReport:
    """Run by `flask communications expire` (daily); idempotent."""
    now = now or utcnow()
    day = local_today()
    report = ExpiryReport()
    for authorization in db.session.scalars(select(LogoAuthorization).where(
            LogoAuthorization.state == "authorized",
            LogoAuthorization.valid_until < day)).all():
        apply_transition(authorization, "expire", SYSTEM_ACTOR, now=now)
        report.expired += 1
    soon = day + dt.timedelta(days=EXPIRY_NOTICE_DAYS)
    for authorization in db.session.scalars(select(LogoAuthorization).where(
            LogoAuthorization.state == "authorized", LogoAuthorization.valid_until <= soon,
            LogoAuthorization.expiry_notified_on.is_(None))).all():
        authorization.expiry_notified_on = day
        record("logo_authorization.expiry_notice_sent", authorization,
               after={"expiry_notified_on": day, "valid_until": authorization.valid_until})
        notifications.expiring(authorization)
        report.notices += 1
    db.session.flush()
    return report
