"""The Direction générale names a delegate who decides in its name for a period."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hr_social.access_requests import services as ops
from hr_social.access_requests.forms import DelegationForm
from hr_social.access_requests.views import blueprint
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.delegation.models import DgDelegation
from hr_social.people.models import User
from hr_social.permissions import roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm


@blueprint.route("/delegation", methods=["GET", "POST"])
@roles_required("dg")
def delegation():
    form = DelegationForm()
    candidates = db.session.scalars(
        select(User).where(User.is_enabled.is_(True), User.id != current_user.id)
        .order_by(User.username)).all()
    form.delegate.choices = [(u.id, u.display_name) for u in candidates]
    outcome = perform(form, lambda: ops.name_delegate(
        current_user, db.session.get(User, form.delegate.data),
        starts_on=form.starts_on.data, ends_on=form.ends_on.data),
        success=_("Délégation enregistrée : le ou la délégué·e décide au nom de la Direction "
                  "générale pendant la période."))
    if outcome.done:
        return redirect(url_for("access_requests.delegation"))
    delegations = db.session.scalars(
        select(DgDelegation).order_by(DgDelegation.id.desc()).limit(50)).all()
    return render_template("access_requests/delegation.html", form=form,
                           delegations=delegations, action=ActionForm(),
                           today=local_today()), outcome.status


@blueprint.post("/delegation/<int:delegation_id>/cancel")
@roles_required("dg")
def delegation_cancel(delegation_id: int):
    found = db.get_or_404(DgDelegation, delegation_id)
    outcome = perform(ActionForm(), lambda: ops.cancel_delegation(current_user, found),
                      success=_("Délégation annulée."), flash_errors=True)
    return back_to(url_for("access_requests.delegation"), outcome)
