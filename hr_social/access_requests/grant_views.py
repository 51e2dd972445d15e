"""Access grants (one platform of a decided request): restrict, revoke, renew, review."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.access_requests import services as ops
from hr_social.access_requests.forms import RenewForm, RestrictForm, RevokeForm
from hr_social.access_requests.models import ITEM_STATES, AccessItem
from hr_social.access_requests.queries import grant_page, review_statement
from hr_social.access_requests.views import blueprint, list_context
from hr_social.clock import local_today
from hr_social.delegation import acts_as_dg
from hr_social.permissions import get_visible_or_404, login_required_any
from hr_social.web.actions import back_to, perform
from hr_social.web.transitions import transitions_for

MANAGING_TRANSITIONS = {"restrict", "revoke", "renew", "renew_restricted"}


@blueprint.get("/grants/<int:item_id>")
@login_required_any
def grant(item_id: int):
    item = get_visible_or_404(AccessItem, item_id)
    return render_template("access_requests/grant.html", item=item,
                           restrict_form=RestrictForm(),
                           revoke_form=RevokeForm(), renew_form=RenewForm())


def _grant_action(item_id: int, form_class, operation, success: str):
    item = get_visible_or_404(AccessItem, item_id)
    # A current grant the user may not manage: 403; an ended one: the service explains.
    if item.is_current_grant and not transitions_for(item) & MANAGING_TRANSITIONS:
        abort(403)
    form = form_class()
    outcome = perform(form, lambda: operation(item, form), success=success, flash_errors=True)
    return back_to(url_for("access_requests.grant", item_id=item_id), outcome)


@blueprint.post("/grants/<int:item_id>/restrict")
@login_required_any
def restrict(item_id: int):
    return _grant_action(item_id, RestrictForm, lambda item, form: ops.restrict_grant(
        current_user, item, conditions=form.conditions.data, reason=form.reason.data),
        _("L'accès est maintenant restreint."))


@blueprint.post("/grants/<int:item_id>/revoke")
@login_required_any
def revoke(item_id: int):
    return _grant_action(item_id, RevokeForm, lambda item, form: ops.revoke_grant(
        current_user, item, reason=form.reason.data), _("L'accès a été révoqué."))


@blueprint.post("/grants/<int:item_id>/renew")
@login_required_any
def renew(item_id: int):
    return _grant_action(item_id, RenewForm, lambda item, form: ops.renew_grant(
        current_user, item, review_on=form.review_on.data), _("L'accès a été renouvelé."))


@blueprint.get("/reviews")
@login_required_any
def reviews():
    if not (current_user.has_role("hr") or acts_as_dg(current_user)):
        abort(403)
    page = grant_page(review_statement, request.args,
                      current_app.config["ACCESS_EXPIRY_NOTICE_DAYS"])
    return render_template("access_requests/reviews.html", page=page, today=local_today(),
                           **list_context(states=ITEM_STATES))
