"""HR: policy versions, their acknowledgement campaigns and bulk printing (routes of the
acknowledgements blueprint)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from hr_social.acknowledgements import policy_services, printing
from hr_social.acknowledgements.forms import (
    BulkPrintForm,
    CampaignForm,
    PolicyDraftForm,
    PolicyVersionForm,
)
from hr_social.acknowledgements.importing import import_text, parse_body
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign, PolicyVersion
from hr_social.acknowledgements.views import blueprint
from hr_social.db import db, french
from hr_social.errors import DomainError
from hr_social.jobs.runner import create_job, dispatch
from hr_social.people.models import Person, Service
from hr_social.people.search import person_matches
from hr_social.permissions import get_visible_or_404, roles_required
from hr_social.web.actions import REFUSED, back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import paginate

# ---- policy versions ------------------------------------------------------------------------


@blueprint.get("/acknowledgements/policies")
@roles_required("hr")
def policies():
    statement = PolicyVersion.visible_to(current_user).order_by(PolicyVersion.id.desc())
    if query := request.args.get("q", "").strip():
        statement = statement.where(or_(PolicyVersion.title.ilike(f"%{query}%"),
                                        PolicyVersion.version_label.ilike(f"%{query}%")))
    status = request.args.get("status", "")
    if status in {"draft", "published"}:
        statement = statement.where(PolicyVersion.published_at.is_(None) if status == "draft"
                                    else PolicyVersion.published_at.is_not(None))
    return render_template("acknowledgements/policies.html", page=paginate(statement),
                           args=request.args, current=PolicyVersion.current())


def _create_version(form) -> PolicyVersion:
    body, source = _policy_body(form)
    return policy_services.create_version(
        current_user, title=form.title.data, version_label=form.version_label.data,
        effective_date=form.effective_date.data, body=body,
        key_points=form.key_points.data or "", source_name=source)


@blueprint.route("/acknowledgements/policies/new", methods=["GET", "POST"])
@roles_required("hr")
def new_policy():
    form = PolicyVersionForm()
    outcome = perform(form, lambda: _create_version(form),
                      success=_("La version est enregistrée comme brouillon."))
    if outcome.done:
        return redirect(url_for("acknowledgements.policy", version_id=outcome.value.id))
    return render_template("acknowledgements/policy_form.html", form=form), outcome.status


def _policy_body(form) -> tuple[str, str | None]:
    limit = current_app.config["ACK_POLICY_MAX_BYTES"]
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        return import_text(upload.read(limit + 1), upload.filename, limit), upload.filename
    return import_text((form.body.data or "").encode("utf-8"), "texte.txt", limit), None


@blueprint.get("/acknowledgements/policies/<int:version_id>")
@roles_required("hr")
def policy(version_id: int):
    version = get_visible_or_404(PolicyVersion, version_id)
    return render_template("acknowledgements/policy_show.html", version=version,
                           action=ActionForm())


def _draft_body(form) -> str:
    """The text typed in the draft form, normalised as an imported file is."""
    limit = current_app.config["ACK_POLICY_MAX_BYTES"]
    return import_text((form.body.data or "").encode("utf-8"), "texte.md", limit)


def _save_draft(version: PolicyVersion, form) -> bool:
    return policy_services.update_draft(
        current_user, version, title=form.title.data, version_label=form.version_label.data,
        effective_date=form.effective_date.data, body=_draft_body(form),
        key_points=form.key_points.data or "")


@blueprint.route("/acknowledgements/policies/<int:version_id>/edit", methods=["GET", "POST"])
@roles_required("hr")
def edit_policy(version_id: int):
    """HR corrects a draft and previews it as employees will read it, then saves it."""
    version = get_visible_or_404(PolicyVersion, version_id)
    if version.is_published:
        flash(_("Cette version est publiée : elle ne peut plus changer."), "info")
        return redirect(url_for("acknowledgements.policy", version_id=version.id))
    form = PolicyDraftForm(obj=version)
    preview, status = None, 200
    if request.method == "POST" and "preview" in request.form:
        if form.validate():
            try:
                preview = SimpleNamespace(sections=parse_body(_draft_body(form)))
            except DomainError as error:
                form.body.errors = [*form.body.errors, error.message]
        status = 200 if preview is not None else REFUSED
    else:
        outcome = perform(form, lambda: _save_draft(version, form),
                          success=lambda changed: _("Le brouillon est enregistré.")
                          if changed else _("Aucun changement."))
        if outcome.done:
            return redirect(url_for("acknowledgements.policy", version_id=version.id))
        status = outcome.status
    return render_template("acknowledgements/policy_edit.html", form=form, version=version,
                           preview=preview), status


@blueprint.post("/acknowledgements/policies/<int:version_id>/publish")
@roles_required("hr")
def publish(version_id: int):
    version = get_visible_or_404(PolicyVersion, version_id)
    outcome = perform(ActionForm(), lambda: policy_services.publish_version(current_user, version),
                      success=_("Version publiée : la campagne d'accusés de réception est "
                                "ouverte."), flash_errors=True)
    if outcome.done:
        return redirect(url_for("acknowledgements.campaign", campaign_id=outcome.value.id))
    return back_to(url_for("acknowledgements.policy", version_id=version.id), outcome)


# ---- campaigns ------------------------------------------------------------------------------

@blueprint.get("/acknowledgements/campaigns/<int:campaign_id>")
@roles_required("hr")
def campaign(campaign_id: int):
    campaign = get_visible_or_404(Campaign, campaign_id)
    statement = (select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
                 .options(joinedload(Acknowledgement.person).joinedload(Person.service))
                 .where(Acknowledgement.campaign_id == campaign.id,
                        Acknowledgement.still_relevant())
                 .order_by(french(Person.last_name), french(Person.first_name)))
    status = request.args.get("status", "waiting")
    if status == "waiting":
        statement = statement.where(Acknowledgement.status.in_(
            [AckStatus.pending, AckStatus.refused]))
    elif status in AckStatus.__members__:
        statement = statement.where(Acknowledgement.status == status)
    if query := request.args.get("q", "").strip():
        statement = statement.where(person_matches(query))
    if service_id := request.args.get("service", type=int):
        statement = statement.where(Person.service_id == service_id)
    form = CampaignForm(obj=campaign)
    return render_template(
        "acknowledgements/campaign.html", campaign=campaign, form=form, action=ActionForm(),
        stats=policy_services.completion_by_service(campaign), page=paginate(statement),
        args=request.args, status=status, services=_services(),
        remindable=_remindable(campaign))


def _remindable(campaign: Campaign) -> bool:
    current = PolicyVersion.current()
    return campaign.is_open and current is not None and current.id == campaign.policy_version_id


def _services():
    return db.session.scalars(Service.visible_to(current_user).order_by(french(Service.name))).all()


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/settings")
@roles_required("hr")
def campaign_settings(campaign_id: int):
    campaign = get_visible_or_404(Campaign, campaign_id)
    form = CampaignForm()
    outcome = perform(form, lambda: policy_services.update_campaign(
        current_user, campaign, deadline=form.deadline.data,
        reminder_count=form.reminder_count.data,
        reminder_interval_days=form.reminder_interval_days.data),
        success=_("Échéance et rappels enregistrés."), flash_errors=True)
    return back_to(url_for("acknowledgements.campaign", campaign_id=campaign.id), outcome)


@blueprint.route("/acknowledgements/campaigns/<int:campaign_id>/close", methods=["GET", "POST"])
@roles_required("hr")
def close_campaign(campaign_id: int):
    """GET: the confirmation page (who is still pending); POST: close."""
    campaign = get_visible_or_404(Campaign, campaign_id)
    if request.method == "GET":
        if not campaign.is_open:
            return redirect(url_for("acknowledgements.campaign", campaign_id=campaign.id))
        return render_template("acknowledgements/campaign_close.html", campaign=campaign,
                               stats=policy_services.completion_by_service(campaign),
                               action=ActionForm())
    outcome = perform(ActionForm(),
                      lambda: policy_services.close_campaign(current_user, campaign),
                      success=_("La campagne est fermée."), flash_errors=True)
    return back_to(url_for("acknowledgements.campaign", campaign_id=campaign.id), outcome)


# ---- bulk printing --------------------------------------------------------------------------

def _queue_bulk_print(form):
    scope = form.scope.data
    params = {"scope": scope, "service_id": form.service_id.data,
              "campaign_id": form.campaign_id.data}
    count = len(db.session.scalars(printing.selection(scope, **{
        k: v for k, v in params.items() if k != "scope"})).unique().all())
    if count == 0:
        raise DomainError(_("Personne à imprimer pour ce choix."))
    service = db.session.get(Service, form.service_id.data or 0)
    campaign = db.session.get(Campaign, form.campaign_id.data or 0)
    if (scope == "service" and service is None) or (scope == "campaign" and campaign is None):
        abort(400)
    job = create_job(printing.KIND, printing.describe(scope, service, campaign), params,
                     user=current_user)
    job.total = count
    return job


@blueprint.route("/acknowledgements/print", methods=["GET", "POST"])
@roles_required("hr")
def bulk_print():
    form = BulkPrintForm()
    form.service_id.choices = [(s.id, s.name) for s in _services()]
    campaigns = db.session.scalars(Campaign.visible_to(current_user)
                                   .order_by(Campaign.id.desc())).all()
    form.campaign_id.choices = [(c.id, str(c)) for c in campaigns]
    outcome = perform(form, lambda: _queue_bulk_print(form))
    if outcome.done:
        dispatch(outcome.value.id)  # after the commit: the worker must see the job
        return redirect(url_for("jobs.show", job_id=outcome.value.id))
    return render_template("acknowledgements/bulk_print.html", form=form), outcome.status
