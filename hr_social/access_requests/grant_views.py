"""Access grants (one platform of a decided request): restrict, revoke, renewals (HR
proposes, the DG decides), review."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.access_requests import services as ops
from hr_social.access_requests.forms import (
    DeclineRenewalForm,
    RenewForm,
    RestrictForm,
    RevokeForm,
)
from hr_social.access_requests.models import ITEM_STATES, AccessItem
from hr_social.access_requests.queries import review_page
from hr_social.access_requests.views import blueprint, list_context
from hr_social.access_requests.workflows import ITEM_WORKFLOW
from hr_social.clock import local_today
from hr_social.delegation import actor_for, acts_as_dg
from hr_social.permissions import get_visible_or_404, login_required_any
from hr_social.web.actions import back_to, perform
from hr_social.web.transitions import transitions_for

MANAGING_TRANSITIONS = {"restrict", "revoke"}
RENEWING = {"renew", "renew_restricted"}
PROPOSING = {"propose_renewal", "propose_renewal_restricted"}
DECLINING = {"decline_renewal", "decline_renewal_restricted"}


@blueprint.get("/grants/<int:item_id>")
@login_required_any
def grant(item_id: int):
    item = get_visible_or_404(AccessItem, item_id)
    return render_template("access_requests/grant.html", item=item,
                           restrict_form=RestrictForm(),
                           revoke_form=RevokeForm(), renew_form=RenewForm(),
                           decline_form=DeclineRenewalForm())


def _role_allows(item) -> set[str]:
    """Transitions the user's roles allow on this grant, whatever their guards say: a DG
    declining a proposal already decided gets the workflow's message, not a 403."""
    actor = actor_for(current_user)
    return {t.name for t in ITEM_WORKFLOW.transitions
            if item.state in t.sources and ITEM_WORKFLOW.may(item, t, actor)}


def _grant_action(item_id: int, form_class, operation, success: str,
                  needed=MANAGING_TRANSITIONS, allowed=transitions_for):
    item = get_visible_or_404(AccessItem, item_id)
    # A current grant the user may not act on so: 403; an ended one: the service explains.
    if item.is_current_grant and not allowed(item) & needed:
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
        current_user, item, review_on=form.review_on.data), _("L'accès a été renouvelé."),
        needed=RENEWING, allowed=_role_allows)


@blueprint.post("/grants/<int:item_id>/propose-renewal")
@login_required_any
def propose_renewal(item_id: int):
    return _grant_action(item_id, RenewForm, lambda item, form: ops.propose_renewal(
        current_user, item, review_on=form.review_on.data),
        _("Le renouvellement est proposé à la Direction générale, qui en décidera."),
        needed=PROPOSING, allowed=_role_allows)


@blueprint.post("/grants/<int:item_id>/decline-renewal")
@login_required_any
def decline_renewal(item_id: int):
    return _grant_action(item_id, DeclineRenewalForm, lambda item, form: ops.decline_renewal(
        current_user, item, reason=form.reason.data),
        _("La proposition de renouvellement est refusée."), needed=DECLINING,
        allowed=_role_allows)


@blueprint.get("/reviews")
@login_required_any
def reviews():
    if not (current_user.has_role("hr") or acts_as_dg(current_user)):
        abort(403)
    page = review_page(request.args, current_app.config["ACCESS_EXPIRY_NOTICE_DAYS"])
    return render_template("access_requests/reviews.html", page=page, today=local_today(),
                           **list_context(states=ITEM_STATES))
