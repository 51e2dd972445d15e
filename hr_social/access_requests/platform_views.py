"""The catalogue of platforms one may ask access to (the administration keeps it)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from hr_social.access_requests import services as ops
from hr_social.access_requests.forms import PlatformForm
from hr_social.access_requests.models import AccessItem, Platform
from hr_social.access_requests.views import blueprint
from hr_social.db import db, french
from hr_social.permissions import roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import paginate


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


def _save_platform(form, platform):
    fields = dict(name=form.name.data, category=form.category.data,
                  address_pattern=form.address_pattern.data)
    if platform is None:
        return ops.add_platform(current_user, **fields)
    return ops.update_platform(current_user, platform, **fields)


def _platform_form(platform):
    form = PlatformForm(obj=platform)
    outcome = perform(form, lambda: _save_platform(form, platform),
                      success=_("Le catalogue des plateformes a été mis à jour."))
    if outcome.done:
        return redirect(url_for("access_requests.platforms"))
    return render_template("access_requests/platform_form.html", form=form,
                           platform=platform), outcome.status


@blueprint.post("/platforms/<int:platform_id>/retire")
@roles_required("admin")
def platform_retire(platform_id: int):
    platform = db.get_or_404(Platform, platform_id)
    outcome = perform(
        ActionForm(), lambda: ops.retire_platform(current_user, platform),
        success=lambda flagged: _("Plateforme retirée ; %(n)d accès à réviser.", n=flagged),
        flash_errors=True)
    return back_to(url_for("access_requests.platforms"), outcome)
