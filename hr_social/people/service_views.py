"""Services (departments): HR manages them, the administration may look."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from hr_social.db import db, french
from hr_social.people import services
from hr_social.people.forms import ServiceForm
from hr_social.people.models import Person, Service
from hr_social.permissions import get_visible_or_404, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import paginate

blueprint = Blueprint("services", __name__, url_prefix="/services")


@blueprint.get("/")
@roles_required("hr", "admin")
def index():
    args = request.args
    statement = select(Service).order_by(french(Service.name))
    if query := args.get("q", "").strip():
        like = f"%{query}%"
        statement = statement.where(or_(Service.name.ilike(like), Service.code.ilike(like)))
    status = args.get("status", "active")
    if status in {"active", "inactive"}:
        statement = statement.where(Service.is_active.is_(status == "active"))
    page = paginate(statement)
    # Active members of the services on this page, in one grouped query.
    counts = dict(db.session.execute(
        select(Person.service_id, func.count()).where(
            Person.service_id.in_([s.id for s in page.items]), Person.is_active.is_(True))
        .group_by(Person.service_id)).all())
    return render_template("services/index.html", page=page, args=args, status=status,
                           counts=counts, action_form=ActionForm())


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("hr")
def create():
    form = ServiceForm()
    outcome = perform(form, lambda: services.create_service(
        current_user, code=form.code.data, name=form.name.data),
        success=lambda service: _("Le service %(name)s a été créé.", name=service.name))
    if outcome.done:
        return redirect(url_for("services.index"))
    return render_template("services/form.html", form=form, service=None), outcome.status


@blueprint.route("/<int:service_id>/edit", methods=["GET", "POST"])
@roles_required("hr")
def edit(service_id: int):
    service = get_visible_or_404(Service, service_id)
    form = ServiceForm(obj=service)
    outcome = perform(form, lambda: services.update_service(
        current_user, service, code=form.code.data, name=form.name.data),
        success=_("Le service a été enregistré."))
    if outcome.done:
        return redirect(url_for("services.index"))
    return render_template("services/form.html", form=form, service=service,
                           action_form=ActionForm()), outcome.status


def _toggle(service_id: int, operation, done_message: str):
    service = get_visible_or_404(Service, service_id)
    outcome = perform(ActionForm(), lambda: operation(current_user, service),
                      success=done_message % {"name": service.name}, flash_errors=True)
    return back_to(url_for("services.edit", service_id=service.id), outcome)


@blueprint.post("/<int:service_id>/deactivate")
@roles_required("hr")
def deactivate(service_id: int):
    return _toggle(service_id, services.deactivate_service, _("Le service %(name)s est désactivé."))


@blueprint.post("/<int:service_id>/reactivate")
@roles_required("hr")
def reactivate(service_id: int):
    return _toggle(service_id, services.reactivate_service,
                   _("Le service %(name)s est de nouveau actif."))
