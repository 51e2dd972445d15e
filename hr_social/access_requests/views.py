"""Access requests (policy §4): ask, decide, restrict, review, and the registry for IT."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from hr_social.access_requests import demo  # noqa: F401 - registers the demo seeder
from hr_social.access_requests import services as ops
from hr_social.access_requests.forms import (
    DecisionForm,
    DeclineRenewalForm,
    DelegationForm,
    PlatformForm,
    RecommendationForm,
    RenewForm,
    RequestForm,
    RestrictForm,
    RevokeForm,
)
from hr_social.access_requests.models import (
    ITEM_STATES,
    REQUEST_STATES,
    AccessItem,
    AccessRequest,
    DgDelegation,
    Platform,
)
from hr_social.access_requests.permissions import acts_as_dg, today
from hr_social.access_requests.queries import (
    filter_choices,
    grant_page,
    queue_page,
    registry_export_statement,
    registry_statement,
    request_list,
    review_statement,
)
from hr_social.access_requests.timeline import timeline_for
from hr_social.db import db, french
from hr_social.people.events import person_departed, person_service_changed
from hr_social.people.models import User
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.dashboard import Counted, dashboard_provider
from hr_social.web.forms import ActionForm
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate
from hr_social.workflow import NotPermitted, TransitionError

blueprint = Blueprint("access_requests", __name__, url_prefix="/access-requests")
register_nav("access_requests.index", _l("Demandes d'accès"), (), order=20)
register_nav("access_requests.queue", _l("Décisions d'accès"), ("dg",), order=21)
register_nav("access_requests.reviews", _l("Révisions d'accès"), ("dg", "hr"), order=22)
register_nav("access_requests.registry", _l("Registre des accès"), ("dg", "hr", "admin"),
             order=23)
register_nav("access_requests.platforms", _l("Plateformes"), ("admin",), order=90)

person_service_changed.connect(ops.on_service_changed)
person_departed.connect(ops.on_departed)

REGISTRY_ROLES = ("dg", "hr", "admin")  # admin: the IT service's technical account
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _require_dg():
    if not acts_as_dg(current_user):
        abort(403)


def _refused(error: TransitionError):
    """Nothing of the failed attempt is kept; the French message is shown."""
    db.session.rollback()
    if isinstance(error, NotPermitted):
        abort(403)
    flash(str(error), "error")


def _list_context(**extra):
    platforms, services = filter_choices()
    return dict(platforms=platforms, services=services, args=request.args, **extra)


# --- requests -----------------------------------------------------------------------------

@blueprint.get("/")
@login_required_any
def index():
    statement = request_list(AccessRequest.visible_to(current_user), request.args)
    page = paginate(statement.order_by(AccessRequest.id.desc()))
    return render_template("access_requests/index.html", page=page,
                           **_list_context(states=REQUEST_STATES))


def _platform_choices(form):
    form.platforms.choices = [(str(p.id), p.name) for p in
                              db.session.scalars(Platform.requestable()).all()]


def _save_request(form, access_request=None):
    fields = dict(platform_ids=_ids(form.platforms.data), purpose=form.purpose.data,
                  on_workstation=form.on_workstation.data,
                  other_devices=form.other_devices.data, wished_until=form.wished_until.data)
    if access_request is None:
        return ops.create_request(current_user, submit=form.submit_request.data, **fields)
    ops.update_draft(access_request, current_user, **fields)
    if form.submit_request.data:
        ops.submit_request(access_request, current_user)
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
    if form.validate_on_submit():
        try:
            saved = _save_request(form, access_request)
        except TransitionError as error:
            db.session.rollback()
            if isinstance(error, NotPermitted):
                abort(403)
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Votre demande a été soumise à la Direction générale.")
                  if saved.state == "submitted" else _("Brouillon enregistré."), "success")
            return redirect(url_for("access_requests.show", request_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("access_requests/form.html", form=form,
                           access_request=access_request), status


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
        can_edit=access_request.can_edit(current_user),
        can_withdraw=access_request.is_open
        and access_request.requester_id == current_user.person_id,
        can_recommend=access_request.can_recommend(current_user),
        can_decide=access_request.can_decide(current_user))


def _run_form_action(form, operation, success: str) -> None:
    """Validate, apply one operation, commit once, and tell the user how it went."""
    if not form.validate_on_submit():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        errors += [str(e) for e in form.form_errors]
        flash(" ".join(errors) or _("Formulaire expiré."), "error")
        return
    try:
        operation()
    except TransitionError as error:
        _refused(error)
    else:
        db.session.commit()
        flash(success, "success")


def _transition_view(request_id: int, operation, success: str):
    access_request = get_visible_or_404(AccessRequest, request_id)
    _run_form_action(ActionForm(), lambda: operation(access_request, current_user), success)
    return redirect(url_for("access_requests.show", request_id=request_id))


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
    if not access_request.can_recommend(current_user):
        abort(403)
    form = RecommendationForm()
    if form.validate_on_submit():
        try:
            ops.recommend(access_request, current_user, form.recommendation.data)
        except TransitionError as error:
            _refused(error)
        else:
            db.session.commit()
            flash(_("Votre recommandation a été ajoutée."), "success")
    else:
        flash(" ".join(str(e) for e in form.form_errors + form.recommendation.errors), "error")
    return redirect(url_for("access_requests.show", request_id=request_id))


def _read_decisions(access_request) -> dict[int, ops.ItemDecision]:
    decisions = {}
    for item in access_request.items:
        choice = request.form.get(f"decision-{item.id}")
        if choice not in {"grant", "refuse"}:
            continue
        review = request.form.get(f"review-{item.id}") or ""
        try:
            review_on = dt.date.fromisoformat(review) if review else None
        except ValueError:
            raise ops.InvalidAccessRequest(_("Date de révision invalide.")) from None
        decisions[item.id] = ops.ItemDecision(
            grant=choice == "grant", review_on=review_on,
            conditions=request.form.get(f"conditions-{item.id}", "").strip()[:1000],
            reason=request.form.get(f"reason-{item.id}", "").strip())
    return decisions


@blueprint.route("/<int:request_id>/decide", methods=["GET", "POST"])
@login_required_any
def decide(request_id: int):
    _require_dg()
    access_request = get_visible_or_404(AccessRequest, request_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            ops.decide_request(access_request, current_user, _read_decisions(access_request),
                               note=form.note.data)
        except TransitionError as error:
            db.session.rollback()
            if isinstance(error, NotPermitted):
                abort(403)
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("La décision a été enregistrée et la personne en est avisée."), "success")
            return redirect(url_for("access_requests.queue"))
    status = 400 if request.method == "POST" else 200
    past = db.session.scalars(
        AccessRequest.visible_to(current_user).where(
            AccessRequest.requester_id == access_request.requester_id,
            AccessRequest.id != access_request.id).order_by(AccessRequest.id.desc()).limit(20)
    ).all()
    return render_template("access_requests/decide.html", r=access_request, form=form,
                           past=past, default_review=ops.default_review_on()), status


@blueprint.get("/queue")
@login_required_any
def queue():
    _require_dg()
    page = queue_page(request.args)
    return render_template("access_requests/queue.html", page=page, **_list_context())


# --- grants -------------------------------------------------------------------------------

def _grant_or_404(item_id: int) -> AccessItem:
    return get_visible_or_404(AccessItem, item_id)


@blueprint.get("/grants/<int:item_id>")
@login_required_any
def grant(item_id: int):
    item = _grant_or_404(item_id)
    return render_template("access_requests/grant.html", item=item,
                           can_manage=item.can_manage(current_user), restrict_form=RestrictForm(),
                           revoke_form=RevokeForm(), renew_form=RenewForm(),
                           can_renew=item.can_renew(current_user),
                           can_propose=item.can_propose_renewal(current_user),
                           decline_form=DeclineRenewalForm())


def _grant_action(item_id: int, form_class, operation, success: str, allowed=None):
    item = _grant_or_404(item_id)
    allowed = allowed or (lambda grant: grant.can_manage(current_user))
    if not allowed(item) and item.is_current_grant:
        abort(403)
    form = form_class()
    _run_form_action(form, lambda: operation(item, form), success)
    return redirect(url_for("access_requests.grant", item_id=item_id))


@blueprint.post("/grants/<int:item_id>/restrict")
@login_required_any
def restrict(item_id: int):
    return _grant_action(item_id, RestrictForm, lambda item, form: ops.restrict_grant(
        item, current_user, conditions=form.conditions.data, reason=form.reason.data),
        _("L'accès est maintenant restreint."))


@blueprint.post("/grants/<int:item_id>/revoke")
@login_required_any
def revoke(item_id: int):
    return _grant_action(item_id, RevokeForm, lambda item, form: ops.revoke_grant(
        item, current_user, reason=form.reason.data), _("L'accès a été révoqué."))


@blueprint.post("/grants/<int:item_id>/renew")
@login_required_any
def renew(item_id: int):
    return _grant_action(item_id, RenewForm, lambda item, form: ops.renew_grant(
        item, current_user, form.review_on.data), _("L'accès a été renouvelé."),
        allowed=lambda item: item.can_renew(current_user))


@blueprint.post("/grants/<int:item_id>/propose-renewal")
@login_required_any
def propose_renewal(item_id: int):
    return _grant_action(item_id, RenewForm, lambda item, form: ops.propose_renewal(
        item, current_user, form.review_on.data),
        _("Le renouvellement est proposé à la Direction générale, qui en décidera."),
        allowed=lambda item: item.can_propose_renewal(current_user))


@blueprint.post("/grants/<int:item_id>/decline-renewal")
@login_required_any
def decline_renewal(item_id: int):
    return _grant_action(item_id, DeclineRenewalForm, lambda item, form: ops.decline_renewal(
        item, current_user, reason=form.reason.data),
        _("La proposition de renouvellement est refusée."),
        allowed=lambda item: item.can_renew(current_user))


@blueprint.get("/reviews")
@login_required_any
def reviews():
    if not (current_user.has_role("hr") or acts_as_dg(current_user)):
        abort(403)
    page = grant_page(review_statement, request.args,
                      current_app.config["ACCESS_EXPIRY_NOTICE_DAYS"])
    return render_template("access_requests/reviews.html", page=page, today=today(),
                           **_list_context(states=ITEM_STATES))


@blueprint.get("/registry")
@roles_required(*REGISTRY_ROLES)
def registry():
    page = grant_page(registry_statement, request.args)
    return render_template("access_requests/registry.html", page=page,
                           **_list_context(states=ITEM_STATES))


def _registry_rows():
    for item in db.session.scalars(registry_export_statement(request.args)):
        yield {
            "person": item.person.full_name, "employee_number": item.person.employee_number,
            "email": item.person.email, "service": item.person.service.name,
            "platform": item.platform.name, "address_pattern": item.platform.address_pattern,
            "state": item.state, "since": item.granted_at.date().isoformat(),
            "until": item.review_on.isoformat(), "conditions": item.conditions or "",
            "grant_id": item.id,
        }


@blueprint.get("/registry.csv")
@roles_required(*REGISTRY_ROLES)
def registry_csv():
    buffer = io.StringIO()
    writer = None
    for row in _registry_rows():
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        # Cells a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
        # return before one) are neutralised.
        writer.writerow({k: (f"'{v}" if isinstance(v, str) and v[:1] in FORMULA_STARTS else v)
                         for k, v in row.items()})
    if writer is None:
        buffer.write("person,employee_number,email,service,platform,address_pattern,state,"
                     "since,until,conditions,grant_id\r\n")
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=registre-acces-{today().isoformat()}.csv"})


@blueprint.get("/registry.json")
@roles_required(*REGISTRY_ROLES)
def registry_json():
    return {"generated_on": today().isoformat(), "grants": list(_registry_rows())}


# --- platforms (admin) --------------------------------------------------------------------

@blueprint.get("/platforms")
@roles_required("admin")
def platforms():
    statement = select(Platform).order_by(Platform.is_active.desc(), french(Platform.name))
    if query := request.args.get("q", "").strip():
        statement = statement.where(Platform.name.ilike(f"%{query}%"))
    if (status := request.args.get("status")) in {"active", "retired"}:
        statement = statement.where(Platform.is_active.is_(status == "active"))
    counts = dict(db.session.execute(
        select(AccessItem.platform_id, func.count()).where(
            AccessItem.state.in_(("granted", "restricted"))).group_by(AccessItem.platform_id)
    ).all())
    return render_template("access_requests/platforms.html", page=paginate(statement),
                           counts=counts, action=ActionForm(), args=request.args)


@blueprint.route("/platforms/new", methods=["GET", "POST"])
@roles_required("admin")
def platform_new():
    return _platform_form(None)


@blueprint.route("/platforms/<int:platform_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def platform_edit(platform_id: int):
    return _platform_form(db.get_or_404(Platform, platform_id))


def _platform_form(platform):
    form = PlatformForm(obj=platform)
    if form.validate_on_submit():
        fields = dict(name=form.name.data, category=form.category.data,
                      address_pattern=form.address_pattern.data)
        try:
            if platform is None:
                ops.add_platform(current_user, **fields)
            else:
                ops.update_platform(platform, current_user, **fields)
        except TransitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Le catalogue des plateformes a été mis à jour."), "success")
            return redirect(url_for("access_requests.platforms"))
    status = 400 if request.method == "POST" else 200
    return render_template("access_requests/platform_form.html", form=form,
                           platform=platform), status


@blueprint.post("/platforms/<int:platform_id>/retire")
@roles_required("admin")
def platform_retire(platform_id: int):
    platform = db.get_or_404(Platform, platform_id)
    if ActionForm().validate_on_submit():
        try:
            flagged = ops.retire_platform(platform, current_user)
        except TransitionError as error:
            _refused(error)
        else:
            db.session.commit()
            flash(_("Plateforme retirée; %(n)d accès à réviser.", n=flagged), "success")
    return redirect(url_for("access_requests.platforms"))


# --- delegation (DG) ----------------------------------------------------------------------

@blueprint.route("/delegation", methods=["GET", "POST"])
@roles_required("dg")
def delegation():
    form = DelegationForm()
    candidates = db.session.scalars(
        select(User).where(User.is_enabled.is_(True), User.id != current_user.id)
        .order_by(User.username)).all()
    form.delegate.choices = [(u.id, u.display_name) for u in candidates]
    if form.validate_on_submit():
        try:
            ops.name_delegate(current_user, db.session.get(User, form.delegate.data),
                              form.starts_on.data, form.ends_on.data)
        except TransitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Délégation enregistrée : le délégué décide au nom de la Direction "
                    "générale pendant la période."), "success")
            return redirect(url_for("access_requests.delegation"))
    delegations = db.session.scalars(
        select(DgDelegation).order_by(DgDelegation.id.desc()).limit(50)).all()
    status = 400 if request.method == "POST" else 200
    return render_template("access_requests/delegation.html", form=form,
                           delegations=delegations, action=ActionForm(), today=today()), status


@blueprint.post("/delegation/<int:delegation_id>/cancel")
@roles_required("dg")
def delegation_cancel(delegation_id: int):
    found = db.get_or_404(DgDelegation, delegation_id)
    if ActionForm().validate_on_submit():
        try:
            ops.cancel_delegation(found, current_user)
        except TransitionError as error:
            _refused(error)
        else:
            db.session.commit()
            flash(_("Délégation annulée."), "success")
    return redirect(url_for("access_requests.delegation"))


# --- dashboard ----------------------------------------------------------------------------

@dashboard_provider
def access_cards(user):
    cards = []
    if acts_as_dg(user):
        cards.append(Counted(_("Demandes d'accès à décider"),
                             _("Des demandes d'accès attendent votre décision."),
                             url_for("access_requests.queue"),
                             select(func.count()).where(AccessRequest.state == "submitted")))
    if user.has_role("hr") or acts_as_dg(user):
        limit = today() + dt.timedelta(days=current_app.config["ACCESS_EXPIRY_NOTICE_DAYS"])
        cards.append(Counted(
            _("Accès à réviser"),
            _("Des accès arrivent à leur date de révision ou sont signalés."),
            url_for("access_requests.reviews"),
            select(func.count()).select_from(AccessItem.due_ids(limit).subquery())))
    if user.person_id:
        cards.append(Counted(_("Mes demandes d'accès"),
                             _("Vos demandes d'accès en cours (brouillons ou en attente)."),
                             url_for("access_requests.index"),
                             select(func.count()).where(
                                 AccessRequest.requester_id == user.person_id,
                                 AccessRequest.state.in_(("draft", "submitted")))))
    return cards
