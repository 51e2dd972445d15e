"""Named operations on access requests and grants. They take the acting user, go through
the workflow (state, audit, notices in one transaction) and only flush."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from hr_social.access_requests import notifications
from hr_social.access_requests.models import (
    CATEGORIES,
    CURRENT_GRANT_STATES,
    OPEN_REQUEST_STATES,
    PURPOSE_MAX,
    RECOMMENDATIONS,
    AccessItem,
    AccessRequest,
    Platform,
)
from hr_social.access_requests.workflows import ITEM_WORKFLOW, REQUEST_WORKFLOW  # noqa: F401
from hr_social.audit.services import record, snapshot
from hr_social.clock import local_today
from hr_social.db import db, french_key, utcnow
from hr_social.delegation import actor_for
from hr_social.delegation.models import DgDelegation
from hr_social.people.models import Person, User
from hr_social.web.input_limits import int_in_range
from hr_social.workflow import SYSTEM_ACTOR, Actor, GuardFailed, apply_transition, claim

REASON_MAX = 1000


class InvalidAccessRequest(GuardFailed):
    """Bad input: a French message, nothing saved."""


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def default_review_on() -> dt.date:
    return add_months(local_today(), current_app.config["ACCESS_REVIEW_MONTHS"])


# --- requests -----------------------------------------------------------------------------

def _check_fields(platform_ids, purpose, wished_until) -> list[Platform]:
    ids = sorted({int(i) for i in platform_ids or []})
    if not ids:
        raise InvalidAccessRequest(_("Choisissez au moins une plateforme."))
    # A forged id beyond a database integer cannot be a platform (and would fail the query).
    in_range = [i for i in ids if int_in_range(i)]
    platforms = [] if len(in_range) != len(ids) else db.session.scalars(
        select(Platform).where(Platform.id.in_(ids), Platform.is_active.is_(True))
    ).all()
    if len(platforms) != len(ids):
        raise InvalidAccessRequest(
            _("Une des plateformes choisies n'existe pas ou n'est plus offerte."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise InvalidAccessRequest(_("Décrivez l'usage prévu, lié aux médias sociaux de la Ville."))
    if len(purpose) > PURPOSE_MAX:
        raise InvalidAccessRequest(
            _("L'usage prévu est trop long (%(max)d caractères au plus).", max=PURPOSE_MAX))
    if wished_until is not None and wished_until <= local_today():
        raise InvalidAccessRequest(_("La date de fin souhaitée doit être dans le futur."))
    return sorted(platforms, key=lambda p: french_key(p.name))


def _check_no_open_duplicate(person_id: int, platforms, exclude_request_id=None) -> None:
    statement = (
        select(Platform.name).join(AccessItem, AccessItem.platform_id == Platform.id)
        .where(AccessItem.person_id == person_id, AccessItem.is_open.is_(True),
               AccessItem.platform_id.in_([p.id for p in platforms]))
    )
    if exclude_request_id is not None:
        statement = statement.where(AccessItem.request_id != exclude_request_id)
    if names := db.session.scalars(statement).all():
        raise InvalidAccessRequest(_(
            "Vous avez déjà une demande ouverte pour : %(names)s. Complétez ou retirez-la "
            "plutôt que d'en créer une autre.", names=", ".join(sorted(names, key=french_key))))


def create_request(user, *, platform_ids, purpose, on_workstation=True, other_devices=None,
                   wished_until=None, submit=False) -> AccessRequest:
    if user.person is None:
        raise InvalidAccessRequest(_("Seule une personne inscrite peut demander un accès."))
    platforms = _check_fields(platform_ids, purpose, wished_until)
    _check_no_open_duplicate(user.person_id, platforms)
    request = AccessRequest(
        requester_id=user.person_id, created_by_id=user.id, state="draft",
        purpose=purpose.strip(), on_workstation=bool(on_workstation),
        other_devices=(other_devices or "").strip()[:200] or None, wished_until=wished_until,
        items=[AccessItem(platform_id=p.id, person_id=user.person_id, state="pending")
               for p in platforms],
    )
    db.session.add(request)
    db.session.flush()
    record("access_request.created", request, after={
        "state": "draft", "platforms": [p.name for p in platforms], "purpose": request.purpose,
        "wished_until": wished_until}, actor=user)
    if submit:
        submit_request(user, request)
    return request


def update_draft(user, request: AccessRequest, *, platform_ids, purpose, on_workstation=True,
                 other_devices=None, wished_until=None) -> AccessRequest:
    if not request.can_edit(user):
        raise InvalidAccessRequest(_("Seul un brouillon peut être modifié, par son auteur."))
    platforms = _check_fields(platform_ids, purpose, wished_until)
    _check_no_open_duplicate(request.requester_id, platforms, exclude_request_id=request.id)
    claim(request)  # still the draft this request read (not submitted from another tab)
    before = snapshot(request, "purpose", "wished_until", "other_devices")
    before["platforms"] = [i.platform.name for i in request.items]
    wanted = {p.id for p in platforms}
    for item in list(request.items):
        if item.platform_id not in wanted:
            request.items.remove(item)
    have = {i.platform_id for i in request.items}
    db.session.flush()
    for platform in platforms:
        if platform.id not in have:
            request.items.append(AccessItem(platform_id=platform.id, person_id=request.requester_id,
                                            state="pending"))
    request.purpose, request.wished_until = purpose.strip(), wished_until
    request.on_workstation = bool(on_workstation)
    request.other_devices = (other_devices or "").strip()[:200] or None
    db.session.flush()
    after = snapshot(request, "purpose", "wished_until", "other_devices")
    after["platforms"] = [p.name for p in platforms]
    record("access_request.edited", request, before=before, after=after, actor=user)
    return request


def submit_request(user, request: AccessRequest) -> AccessRequest:
    return apply_transition(request, "submit", actor_for(user), now=utcnow())


def withdraw_request(user, request: AccessRequest) -> AccessRequest:
    return apply_transition(request, "withdraw", actor_for(user), now=utcnow())


def recommend(user, request: AccessRequest, *, opinion: str | None,
              text: str | None) -> AccessRequest:
    """The manager's recommendation: favourable or unfavourable, with a comment (required
    when unfavourable: the DG must know why)."""
    text = (text or "").strip()
    if opinion not in RECOMMENDATIONS:
        raise InvalidAccessRequest(_("Choisissez un avis : favorable ou défavorable."))
    if opinion == "unfavourable" and not text:
        raise InvalidAccessRequest(
            _("Un avis défavorable doit être expliqué : écrivez un commentaire."))
    if len(text) > REASON_MAX:
        raise InvalidAccessRequest(_("Le commentaire est trop long (%(max)d caractères au "
                                     "plus).", max=REASON_MAX))
    return apply_transition(request, "recommend", actor_for(user), now=utcnow(),
                            opinion=opinion, text=text or None)


# --- grants -------------------------------------------------------------------------------

def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidAccessRequest(_("Indiquez la raison : elle est transmise à la personne."))
    if len(reason) > REASON_MAX:
        raise InvalidAccessRequest(_("La raison est trop longue."))
    return reason


def restrict_grant(user, item: AccessItem, *, conditions: str, reason: str) -> AccessItem:
    conditions = (conditions or "").strip()
    if not conditions:
        raise InvalidAccessRequest(_("Décrivez les restrictions qui s'appliquent désormais."))
    return apply_transition(item, "restrict", actor_for(user), conditions=conditions[:REASON_MAX],
                            reason=_reason(reason))


def revoke_grant(user, item: AccessItem, *, reason: str) -> AccessItem:
    return apply_transition(item, "revoke", actor_for(user), now=utcnow(), reason=_reason(reason))


def _renewal(name: str, item: AccessItem) -> str:
    return f"{name}_restricted" if item.state == "restricted" else name


def _future_review_on(review_on: dt.date | None) -> dt.date:
    review_on = review_on or default_review_on()
    if review_on <= local_today():
        raise InvalidAccessRequest(_("La date de révision doit être dans le futur."))
    return review_on


def renew_grant(user, item: AccessItem, *, review_on: dt.date | None = None) -> AccessItem:
    """The DG's (or delegate's) decision; without a date, HR's proposed one, else 12 months."""
    review_on = _future_review_on(review_on or item.renewal_proposed_on)
    return apply_transition(item, _renewal("renew", item), actor_for(user), review_on=review_on,
                            proposer=item.renewal_proposed_by)


def propose_renewal(user, item: AccessItem, *, review_on: dt.date | None = None) -> AccessItem:
    """HR proposes; nothing changes for the person until the DG renews."""
    return apply_transition(item, _renewal("propose_renewal", item), actor_for(user),
                            review_on=_future_review_on(review_on), now=utcnow())


def decline_renewal(user, item: AccessItem, *, reason: str) -> AccessItem:
    """The DG says no to HR's proposal: the grant ends at its review date unless renewed."""
    return apply_transition(item, _renewal("decline_renewal", item), actor_for(user),
                            reason=_reason(reason), proposer=item.renewal_proposed_by)


def flag_for_review(actor_user, statement_filter, *, reason: str) -> int:
    """Put current grants matching the filter up for review (one audit entry each)."""
    items = db.session.scalars(
        select(AccessItem).where(AccessItem.state.in_(CURRENT_GRANT_STATES), statement_filter)
    ).all()
    now = utcnow()
    for item in items:
        before = snapshot(item, "review_reason")
        item.review_reason, item.review_flagged_at = reason[:200], now
        record("access_grant.flagged_for_review", item, before=before,
               after=snapshot(item, "review_reason"), actor=actor_user)
    db.session.flush()
    return len(items)


# --- platforms catalogue ------------------------------------------------------------------

def _platform_fields(name, category, address_pattern) -> tuple[str, str, str | None]:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise InvalidAccessRequest(_("Le nom de la plateforme est requis (80 caractères au plus)."))
    if category not in CATEGORIES:
        raise InvalidAccessRequest(_("Catégorie inconnue."))
    return name, category, (address_pattern or "").strip()[:200] or None


def add_platform(user, *, name, category, address_pattern=None) -> Platform:
    name, category, pattern = _platform_fields(name, category, address_pattern)
    if db.session.scalar(select(Platform.id).where(Platform.name == name)):
        raise InvalidAccessRequest(_("Cette plateforme est déjà au catalogue."))
    platform = Platform(name=name, category=category, address_pattern=pattern, is_active=True)
    db.session.add(platform)
    db.session.flush()
    record("platform.added", platform, after=snapshot(platform, "name", "category",
                                                     "address_pattern"), actor=user)
    # Policy: access is reviewed as new sites appear.
    flag_for_review(user, AccessItem.id.is_not(None),
                    reason=_("Nouvelle plateforme au catalogue : %(name)s", name=name))
    return platform


def update_platform(user, platform: Platform, *, name, category, address_pattern=None):
    name, category, pattern = _platform_fields(name, category, address_pattern)
    clash = db.session.scalar(select(Platform.id).where(Platform.name == name,
                                                        Platform.id != platform.id))
    if clash:
        raise InvalidAccessRequest(_("Cette plateforme est déjà au catalogue."))
    before = snapshot(platform, "name", "category", "address_pattern")
    platform.name, platform.category, platform.address_pattern = name, category, pattern
    db.session.flush()
    record("platform.updated", platform, before=before,
           after=snapshot(platform, "name", "category", "address_pattern"), actor=user)
    return platform


def retire_platform(user, platform: Platform) -> int:
    if not platform.is_active:
        raise InvalidAccessRequest(_("Cette plateforme est déjà retirée du catalogue."))
    platform.is_active, platform.retired_at = False, utcnow()
    db.session.flush()
    record("platform.retired", platform, before={"is_active": True}, after={"is_active": False},
           actor=user)
    return flag_for_review(
        user, AccessItem.platform_id == platform.id,
        reason=_("Plateforme retirée du catalogue : %(name)s", name=platform.name))


# --- people events ------------------------------------------------------------------------

def on_service_changed(person: Person, actor=None, **_extra) -> None:
    flag_for_review(actor, AccessItem.person_id == person.id,
                    reason=_("Changement de service de la personne"))


def on_departed(person: Person, actor=None, **_extra) -> None:
    """Departure: every current grant revoked, open requests closed."""
    system = Actor(actor, frozenset({"system"}))
    now = utcnow()
    for item in db.session.scalars(select(AccessItem).where(
            AccessItem.person_id == person.id,
            AccessItem.state.in_(CURRENT_GRANT_STATES))).all():
        apply_transition(item, "revoke", system, now=now, reason=_("Départ de la personne"))
    for request in db.session.scalars(select(AccessRequest).where(
            AccessRequest.requester_id == person.id,
            AccessRequest.state.in_(OPEN_REQUEST_STATES))).all():
        apply_transition(request, "withdraw", system, now=now)


# --- delegation ---------------------------------------------------------------------------

def name_delegate(dg_user, delegate: User, *, starts_on: dt.date, ends_on: dt.date
                  ) -> DgDelegation:
    if not dg_user.has_role("dg"):
        raise InvalidAccessRequest(_(
            "Seule la Direction générale peut nommer un ou une délégué·e."))
    if delegate.id == dg_user.id or not delegate.is_active:
        raise InvalidAccessRequest(_("Choisissez une autre personne, active, comme délégué·e."))
    if ends_on < starts_on or ends_on < local_today():
        raise InvalidAccessRequest(_("La période de délégation doit se terminer après son début "
                                     "et dans le futur."))
    delegation = DgDelegation(dg_user_id=dg_user.id, delegate_user_id=delegate.id,
                              starts_on=starts_on, ends_on=ends_on)
    db.session.add(delegation)
    db.session.flush()
    record("dg_delegation.named", delegation, after={
        "delegate": delegate.display_name, "starts_on": starts_on, "ends_on": ends_on},
        actor=dg_user)
    return delegation


def cancel_delegation(dg_user, delegation: DgDelegation) -> DgDelegation:
    if delegation.cancelled_at is not None:
        raise InvalidAccessRequest(_("Cette délégation est déjà annulée."))
    delegation.cancelled_at = utcnow()
    db.session.flush()
    record("dg_delegation.cancelled", delegation, before={"cancelled_at": None},
           after={"cancelled_at": delegation.cancelled_at}, actor=dg_user)
    return delegation


# --- cron ---------------------------------------------------------------------------------

@dataclass
class ExpiryReport:
    expired: int = 0
    expiring_notices: int = 0
    flagged: int = 0
    lapsed: int = 0


def expire(now: dt.datetime | None = None) -> ExpiryReport:
    """Run by `flask access expire`; idempotent (each step only touches what is still due)."""
    now = now or utcnow()
    config = current_app.config
    day = local_today()
    report = ExpiryReport()
    for item in db.session.scalars(select(AccessItem).where(
            AccessItem.state.in_(CURRENT_GRANT_STATES), AccessItem.review_on <= day)).all():
        apply_transition(item, "expire", SYSTEM_ACTOR, now=now)
        report.expired += 1
    notice_until = day + dt.timedelta(days=config["ACCESS_EXPIRY_NOTICE_DAYS"])
    for item in db.session.scalars(select(AccessItem).where(
            AccessItem.state.in_(CURRENT_GRANT_STATES), AccessItem.review_on <= notice_until,
            AccessItem.expiry_notified_on.is_(None))).all():
        item.expiry_notified_on = day
        record("access_grant.expiry_notified", item, after={"expiry_notified_on": day,
                                                              "review_on": item.review_on})
        notifications.grant_expiring(item)
        report.expiring_notices += 1
    flag_before = now - dt.timedelta(days=config["ACCESS_FLAG_AFTER_DAYS"])
    close_before = now - dt.timedelta(days=config["ACCESS_CLOSE_AFTER_DAYS"])
    for request in db.session.scalars(select(AccessRequest).where(
            AccessRequest.state == "submitted", AccessRequest.submitted_at <= close_before)).all():
        apply_transition(request, "lapse", SYSTEM_ACTOR, now=now)
        report.lapsed += 1
    for request in db.session.scalars(select(AccessRequest).where(
            AccessRequest.state == "submitted", AccessRequest.submitted_at <= flag_before,
            AccessRequest.flagged_at.is_(None))).all():
        db.session.execute(update(AccessRequest).where(AccessRequest.id == request.id)
                           .values(flagged_at=now))
        record("access_request.flagged_overdue", request, before={"flagged_at": None},
               after={"flagged_at": now})
        notifications.request_flagged(request)
        report.flagged += 1
    db.session.flush()
    return report


# The DG's decision lives in its own module; it is reached as services.decide_request too.
from hr_social.access_requests.decisions import (  # noqa: E402
    ItemDecision,
    check_decisions,
    decide_request,
    grant_everything,
)

__all__ = ["ItemDecision", "check_decisions", "decide_request", "grant_everything"]
