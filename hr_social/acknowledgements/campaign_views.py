"""HR on a campaign: the menu entry for the campaign in force, "send a reminder now" and the
paper copies printed from the campaign (routes of the acknowledgements blueprint)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.acknowledgements import printing, reminders
from hr_social.acknowledgements.models import Acknowledgement, Campaign, PolicyVersion
from hr_social.acknowledgements.views import blueprint
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.jobs.runner import create_job, dispatch
from hr_social.people.models import Service
from hr_social.permissions import get_visible_or_404, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.input_limits import row_by_id


def campaign_in_force() -> Campaign | None:
    """The campaign of the version to sign now (the last one published), open or closed."""
    current = PolicyVersion.current()
    return current.campaign if current is not None else None


@blueprint.get("/acknowledgements/campaigns/current")
@roles_required("hr")
def current_campaign():
    campaign = campaign_in_force()
    if campaign is None:
        flash(_("Aucune campagne : publiez une version de la politique pour en ouvrir une."),
              "info")
        return redirect(url_for("acknowledgements.policies"))
    return redirect(url_for("acknowledgements.campaign", campaign_id=campaign.id))


def _reminded_message(report: reminders.ReminderReport) -> str:
    message = _("Rappel envoyé à %(n)d personne(s).", n=report.sent)
    if report.recently_reminded:
        message += " " + _("%(n)d déjà relancée(s) il y a moins d'une heure : rien de plus.",
                           n=report.recently_reminded)
    if report.without_email:
        message += " " + _("%(n)d sans courriel : remettez-leur une copie papier.",
                           n=report.without_email)
    return message


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/remind")
@roles_required("hr")
def remind(campaign_id: int):
    """Scope from the button: ``scope=person&ack=…``, ``scope=service&service=…`` or
    ``scope=everyone``."""
    campaign = get_visible_or_404(Campaign, campaign_id)
    scope = request.form.get("scope", "")[:20]
    ack = row_by_id(Acknowledgement, request.form.get("ack"))
    service = row_by_id(Service, request.form.get("service"))
    outcome = perform(ActionForm(), lambda: reminders.remind_now(
        current_user, campaign, scope, ack=ack, service=service),
        success=_reminded_message, flash_errors=True)
    return back_to(url_for("acknowledgements.campaign", campaign_id=campaign.id), outcome)


def _print_job(campaign: Campaign):
    if not campaign.is_open:
        raise DomainError(_("Cette campagne est fermée : il n'y a plus de copie à faire "
                            "signer."))
    count = len(db.session.scalars(printing.selection(
        "campaign", campaign_id=campaign.id)).unique().all())
    if count == 0:
        raise DomainError(_("Personne n'a besoin d'une copie papier : tout le monde a signé "
                            "ou refusé."))
    job = create_job(printing.KIND, printing.describe("campaign", campaign=campaign),
                     {"scope": "campaign", "campaign_id": campaign.id, "service_id": None},
                     user=current_user)
    job.total = count
    return job


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/print")
@roles_required("hr")
def print_campaign(campaign_id: int):
    """The paper copies still to sign, grouped by service then name (a job)."""
    campaign = get_visible_or_404(Campaign, campaign_id)
    outcome = perform(ActionForm(), lambda: _print_job(campaign), flash_errors=True)
    if not outcome.done:
        return back_to(url_for("acknowledgements.campaign", campaign_id=campaign.id), outcome)
    dispatch(outcome.value.id)  # after the commit: the worker must see the job
    return redirect(url_for("jobs.show", job_id=outcome.value.id))

