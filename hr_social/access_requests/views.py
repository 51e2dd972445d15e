"""Access requests (policy §4): ask, decide, recommend. The blueprint's other pages live next
to this module by sub-resource: grant_views (grants and reviews), registry_views (the
registry for IT), platform_views (the catalogue), delegation_views (DG delegation)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.access_requests import services as ops
from hr_social.access_requests.forms import DecisionForm, RecommendationForm, RequestForm
from hr_social.access_requests.models import REQUEST_STATES, AccessRequest, Platform
from hr_social.access_requests.queries import filter_choices, queue_page, request_page
from hr_social.access_requests.timeline import timeline_for
from hr_social.db import db
from hr_social.delegation import actor_for, acts_as_dg
from hr_social.errors import DomainError
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.actions import REFUSED, back_to, perform, show_refusal
from hr_social.web.args import parse_iso_date
from hr_social.web.forms import ActionForm
from hr_social.web.security import safe_next_path

blueprint = Blueprint("access_requests", __name__, url_prefix="/access-requests")


def require_dg():
    if not acts_as_dg(current_user):
        abort(403)


def list_context(**extra):
    platforms, services = filter_choices()
    return dict(platforms=platforms, services=services, args=request.args, **extra)


# --- requests -----------------------------------------------------------------------------

@blueprint.get("/")
@login_required_any
def index():
    page = request_page(AccessRequest.visible_to(current_user), request.args)
    return render_template("access_requests/index.html", page=page,
                           **list_context(states=REQUEST_STATES))


def _platform_choices(form):
    form.platforms.choices = [(str(p.id), p.name) for p in
                              db.session.scalars(Platform.requestable()).all()]


def _save_request(form, access_request=None):
    fields = dict(platform_ids=_ids(form.platforms.data), purpose=form.purpose.data,
                  on_workstation=form.on_workstation.data,
                  other_devices=form.other_devices.data, wished_until=form.wished_until.data)
    if access_request is None:
        return ops.create_request(current_user, submit=form.submit_request.data, **fields)
    ops.update_draft(current_user, access_request, **fields)
    if form.submit_request.data:
        ops.submit_request(current_user, access_request)
    return access_request


def _ids(values) -> list[int]:
    try:
        return [int(v) for v in values or []]
    except ValueError:
        return [-1]  # reported as an unknown platform


def _request_form(access_request=None):
    form = RequestForm(obj=access_request)
    _platform_choices(form)
    if request.method == "GET" and access_request is not None:
        form.platforms.data = [str(i.platform_id) for i in access_request.items]
    outcome = perform(form, lambda: _save_request(form, access_request), success=lambda saved: (
        _("Votre demande a été soumise à la Direction générale.")
        if saved.state == "submitted" else _("Brouillon enregistré.")))
    if outcome.done:
        return redirect(url_for("access_requests.show", request_id=outcome.value.id))
    return render_template("access_requests/form.html", form=form,
                           access_request=access_request), outcome.status


@blueprint.route("/new", methods=["GET", "POST"])
@login_required_any
def new():
    if current_user.person is None:
        abort(403)
    return _request_form()


@blueprint.route("/<int:request_id>/edit", methods=["GET", "POST"])
@login_required_any
def edit(request_id: int):
    access_request = get_visible_or_404(AccessRequest, request_id)
    if not access_request.can_edit(current_user):
        abort(403)
    return _request_form(access_request)


@blueprint.get("/<int:request_id>")
@login_required_any
def show(request_id: int):
    access_request = get_visible_or_404(AccessRequest, request_id)
    return render_template(
        "access_requests/show.html", r=access_request, action=ActionForm(),
        recommendation_form=RecommendationForm(), timeline=timeline_for(access_request),
        can_edit=access_request.can_edit(current_user))


def _transition_view(request_id: int, operation, success: str):
    access_request = get_visible_or_404(AccessRequest, request_id)
    outcome = perform(ActionForm(), lambda: operation(current_user, access_request),
                      success=success, flash_errors=True)
    return back_to(url_for("access_requests.show", request_id=request_id), outcome)


@blueprint.post("/<int:request_id>/submit")
@login_required_any
def submit(request_id: int):
    return _transition_view(request_id, ops.submit_request,
                            _("Votre demande a été soumise à la Direction générale."))


@blueprint.post("/<int:request_id>/withdraw")
@login_required_any
def withdraw(request_id: int):
    return _transition_view(request_id, ops.withdraw_request, _("La demande a été retirée."))


@blueprint.post("/<int:request_id>/recommend")
@roles_required("manager")
def recommend(request_id: int):
    access_request = get_visible_or_404(AccessRequest, request_id)
    if not AccessRequest.workflow.may(access_request, "recommend", actor_for(current_user)):
        abort(403)
    form = RecommendationForm()
    outcome = perform(form, lambda: ops.recommend(current_user, access_request,
                                                  opinion=form.opinion.data,
                                                  text=form.recommendation.data),
                      success=_("Votre recommandation a été transmise à la Direction "
                                "générale."), flash_errors=True)
    back = safe_next_path(request.form.get("next"))
    return back_to(back or url_for("access_requests.show", request_id=request_id), outcome)


def _read_decisions(access_request) -> dict[int, ops.ItemDecision]:
    decisions, bad_dates = {}, {}
    for item in access_request.items:
        choice = request.form.get(f"decision-{item.id}")
        if choice not in {"grant", "refuse"}:
            continue
        review = request.form.get(f"review-{item.id}") or ""
        review_on = parse_iso_date(review)
        if review.strip() and review_on is None:
            bad_dates[f"review-{item.id}"] = _("%(platform)s : date de révision invalide.",
                                               platform=item.platform.name)
        decisions[item.id] = ops.ItemDecision(
            grant=choice == "grant", review_on=review_on,
            conditions=request.form.get(f"conditions-{item.id}", "").strip()[:1000],
            reason=request.form.get(f"reason-{item.id}", "").strip())
    if bad_dates:
        raise ops.InvalidAccessRequest(None, bad_dates)
    return decisions


@blueprint.route("/<int:request_id>/decide", methods=["GET", "POST"])
@login_required_any
def decide(request_id: int):
    """Two steps from the page: « Vérifier » checks every platform's choice (nothing is
    written, the choices are kept) and only then asks for confirmation; « Confirmer »
    records the decision. A POST without ``step`` records it directly."""
    require_dg()
    access_request = get_visible_or_404(AccessRequest, request_id)
    form = DecisionForm()
    problems: dict[str, str] = {}
    if request.method == "POST" and request.form.get("step") == "check":
        try:
            ops.check_decisions(access_request, _read_decisions(access_request))
        except DomainError as error:
            show_refusal(form, error)
            return _decide_page(access_request, form, error.field_errors), REFUSED
        return _decide_page(access_request, form, {}, confirming=True)
    outcome = perform(form, lambda: ops.decide_request(
        current_user, access_request, decisions=_read_decisions(access_request),
        note=form.note.data),
        success=_("La décision a été enregistrée et la personne en est avisée."),
        on_refused=lambda error: problems.update(error.field_errors))
    if outcome.done:
        return redirect(url_for("access_requests.queue"))
    return _decide_page(access_request, form, problems), outcome.status


def _decide_page(access_request, form, problems, *, confirming=False):
    past = db.session.scalars(
        AccessRequest.visible_to(current_user).where(
            AccessRequest.requester_id == access_request.requester_id,
            AccessRequest.id != access_request.id).order_by(AccessRequest.id.desc()).limit(20)
    ).all()
    return render_template("access_requests/decide.html", r=access_request, form=form,
                           past=past, default_review=ops.default_review_on(),
                           problems=problems, confirming=confirming,
                           sent=request.form if request.method == "POST" else {})


@blueprint.post("/<int:request_id>/grant-all")
@login_required_any
def grant_all(request_id: int):
    """The one-click decision of the home: every platform granted, usual review date."""
    require_dg()
    access_request = get_visible_or_404(AccessRequest, request_id)
    outcome = perform(ActionForm(), lambda: ops.grant_everything(current_user, access_request),
                      success=_("La décision a été enregistrée et la personne en est avisée."),
                      flash_errors=True)
    back = safe_next_path(request.form.get("next"))
    return back_to(back or url_for("access_requests.queue"), outcome)


@blueprint.get("/queue")
@login_required_any
def queue():
    require_dg()
    page = queue_page(request.args)
    return render_template("access_requests/queue.html", page=page, **list_context())


# The other pages of this blueprint register their routes on import.
from hr_social.access_requests import (  # noqa: E402,F401
    delegation_views,
    grant_views,
    platform_views,
    registry_views,
)
