"""People who cannot sign online: pending, with no login and no invitation still running.

The campaign page counts them per service and offers, in one click each, to invite them
(people/invitations) or to print their paper copies (a bulk print job)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, func, select

from hr_social.acknowledgements import printing
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign
from hr_social.db import db, utcnow
from hr_social.errors import DomainError
from hr_social.jobs.runner import create_job, dispatch
from hr_social.people import invitations
from hr_social.people.models import Invitation, Person, Service, User
from hr_social.permissions import get_visible_or_404, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm

blueprint = Blueprint("acknowledgements_offline", __name__)


def cannot_sign_online(now=None):
    """Condition on ``Person``: no login, and no invitation waiting unexpired at ``now``
    (the present by default; a bound parameter in a statement built once)."""
    live_invitation = exists().where(
        Invitation.person_id == Person.id, Invitation.accepted_at.is_(None),
        Invitation.cancelled_at.is_(None),
        Invitation.expires_at > (utcnow() if now is None else now))
    return ~exists().where(User.person_id == Person.id) & ~live_invitation


def offline_pending(campaign_id: int, service_id: int | None = None):
    """Pending acknowledgements of active people who cannot sign online."""
    statement = (select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
                 .where(Acknowledgement.campaign_id == campaign_id,
                        Acknowledgement.status == AckStatus.pending,
                        Person.is_active.is_(True), cannot_sign_online()))
    if service_id is not None:
        statement = statement.where(Person.service_id == service_id)
    return statement


def offline_by_service(campaign: Campaign) -> dict[int, int]:
    """{service id: how many pending people of the campaign cannot sign online}."""
    rows = db.session.execute(
        select(Person.service_id, func.count(Acknowledgement.id))
        .join(Person, Person.id == Acknowledgement.person_id)
        .where(Acknowledgement.campaign_id == campaign.id,
               Acknowledgement.status == AckStatus.pending,
               Person.is_active.is_(True), cannot_sign_online())
        .group_by(Person.service_id)).all()
    return {service_id: count for service_id, count in rows}


def _campaign_and_service(campaign_id: int):
    campaign = get_visible_or_404(Campaign, campaign_id)
    service = db.session.get(Service, request.args.get("service", type=int) or 0)
    if service is None:
        abort(404)
    return campaign, service


def _back_url(campaign) -> str:
    return url_for("acknowledgements.campaign", campaign_id=campaign.id)


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/offline/invite")
@roles_required("hr")
def invite(campaign_id: int):
    campaign, service = _campaign_and_service(campaign_id)
    outcome = perform(ActionForm(), lambda: _invite(campaign, service), flash_errors=True)
    if outcome.done:
        report = outcome.value
        flash(_("%(s)s : %(n)d invitation(s) envoyée(s).", s=service.name,
                n=report.sent + report.resent), "success")
        if report.skipped:
            flash(_("%(n)d personne(s) sans courriel : imprimez leur copie papier.",
                    n=len(report.skipped)), "warning")
    return back_to(_back_url(campaign), outcome)


def _invite(campaign: Campaign, service: Service):
    people = db.session.scalars(select(Person).where(Person.id.in_(
        offline_pending(campaign.id, service.id).with_only_columns(Person.id)))).all()
    return invitations.invite(current_user, people)


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/offline/print")
@roles_required("hr")
def print_copies(campaign_id: int):
    campaign, service = _campaign_and_service(campaign_id)
    outcome = perform(ActionForm(), lambda: _print_job(campaign, service), flash_errors=True)
    if not outcome.done:
        return back_to(_back_url(campaign), outcome)
    dispatch(outcome.value.id)  # after the commit that created the job
    return redirect(url_for("jobs.show", job_id=outcome.value.id))


def _print_job(campaign: Campaign, service: Service):
    count = len(db.session.scalars(offline_pending(campaign.id, service.id)).all())
    if count == 0:
        raise DomainError(_("Personne à imprimer pour ce service."))
    params = {"scope": "offline", "service_id": service.id, "campaign_id": campaign.id}
    job = create_job(printing.KIND, printing.describe("offline", service, campaign), params,
                     user=current_user)
    job.total = count
    return job
