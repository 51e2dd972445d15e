"""The two state machines of access requests: the request, and each platform item (grant)."""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social.access_requests import notifications
from hr_social.access_requests.models import (
    ITEM_STATES,
    REQUEST_STATES,
    AccessItem,
    AccessRequest,
)
from hr_social.audit.services import record
from hr_social.workflow import CONFLICT_FEMININE, CONFLICT_MASCULINE, OWNER, Transition, Workflow

MANAGER = "requester_manager"


def _request_relations(request, user) -> set[str]:
    """The requester owns the request (submits, withdraws it); their manager (direct or
    above) recommends it."""
    if user.person_id is None:
        return set()
    if user.person_id == request.requester_id:
        return {OWNER}
    if user.has_role("manager") and user.person is not None \
            and request.requester.is_in_team_of(user.person):
        return {MANAGER}
    return set()


def _not_own(obj, actor, data):
    person_id = getattr(obj, "requester_id", None) or getattr(obj, "person_id", None)
    if actor.user is not None and actor.user.person_id == person_id:
        return _("Personne ne peut décider de sa propre demande d'accès.")
    return None


def _apply_item_decisions(request, actor, data) -> None:
    """Inside the decide transition: the request's conditional update already made this
    decider the only one, so the items follow without a race of their own."""
    for item in request.items:
        decision = data["decisions"][item.id]
        before = {"state": item.state}
        item.is_open = False
        item.version += 1
        if decision.grant:
            item.state, item.granted_at = "granted", data["now"]
            item.review_on, item.conditions = decision.review_on, decision.conditions or None
        else:
            item.state, item.refusal_reason = "refused", decision.reason
        record(f"access_grant.{item.state}", item, before=before,
               after={"state": item.state, "review_on": item.review_on,
                      "conditions": item.conditions, "refusal_reason": item.refusal_reason},
               actor=actor.user, on_behalf_of=actor.on_behalf_of)


def _close_items(state):
    def close(request, actor, data) -> None:
        for item in request.items:
            item.state, item.is_open = state, False
            item.version += 1
    return close


def _no_pending_proposal(item, actor, data):
    if item.renewal_proposed_on is not None:
        return _("Un renouvellement est déjà proposé à la Direction générale pour cet accès.")
    return _not_own(item, actor, data)


def _pending_proposal(item, actor, data):
    if item.renewal_proposed_on is None:
        return _("Aucun renouvellement n'est proposé pour cet accès.")
    return _not_own(item, actor, data)


_CLEARED_PROPOSAL = {"renewal_proposed_on": None, "renewal_proposed_by_id": None,
                     "renewal_proposed_at": None}


def _renewal_transitions(state: str, suffix: str) -> list[Transition]:
    """Propose (HR), renew (DG or delegate: the decision), decline a proposal (DG)."""
    return [
        Transition(f"propose_renewal{suffix}", (state,), state, ("hr",),
                   guard=_no_pending_proposal, verb="renewal_proposed",
                   values=lambda obj, actor, data: {
                       "renewal_proposed_on": data["review_on"],
                       "renewal_proposed_by_id": actor.user.id,
                       "renewal_proposed_at": data["now"], "renewal_decision_note": None},
                   notify=notifications.renewal_proposed,
                   audit_fields=("renewal_proposed_on",)),
        Transition(f"renew{suffix}", (state,), state, ("dg",), guard=_not_own, verb="renewed",
                   values=lambda obj, actor, data: {
                       "review_on": data["review_on"], "review_reason": None,
                       "review_flagged_at": None, "renewal_decision_note": None,
                       **_CLEARED_PROPOSAL},
                   notify=notifications.renewal_decided,
                   audit_fields=("review_on", "review_reason", "renewal_proposed_on")),
        Transition(f"decline_renewal{suffix}", (state,), state, ("dg",),
                   guard=_pending_proposal, verb="renewal_declined",
                   values=lambda obj, actor, data: {
                       "renewal_decision_note": data["reason"], **_CLEARED_PROPOSAL},
                   notify=notifications.renewal_decided,
                   audit_fields=("renewal_proposed_on", "renewal_decision_note")),
    ]


REQUEST_WORKFLOW = Workflow(
    name="access_request",
    model=AccessRequest,
    states=REQUEST_STATES,
    relations=_request_relations,
    label=lambda obj: _("La demande n° %(id)s", id=obj.id),
    conflict_message=CONFLICT_FEMININE,
    transitions=[
        Transition("submit", ("draft",), "submitted", ("owner",), verb="submitted",
                   values=lambda obj, actor, data: {"submitted_at": data["now"]},
                   notify=notifications.request_submitted),
        Transition("withdraw", ("draft", "submitted"), "withdrawn", ("owner", "system"),
                   verb="withdrawn", values=lambda obj, actor, data: {"closed_at": data["now"]},
                   after=_close_items("withdrawn")),
        Transition("decide", ("submitted",), "decided", ("dg",), guard=_not_own, verb="decided",
                   values=lambda obj, actor, data: {
                       "decided_at": data["now"], "decided_by_id": actor.user.id,
                       "decided_for_id": getattr(actor.on_behalf_of, "id", None),
                       "outcome": data["outcome"], "decision_note": data.get("note"),
                       "closed_at": data["now"]},
                   after=_apply_item_decisions, notify=notifications.request_decided,
                   audit_fields=("outcome", "decision_note")),
        # The manager's opinion, before the decision; it keeps the state (asked again, the
        # manager replaces it: the audit entry keeps the former one).
        Transition("recommend", ("submitted",), "submitted", (MANAGER,), verb="recommended",
                   values=lambda obj, actor, data: {
                       "recommendation_opinion": data["opinion"],
                       "recommendation": data["text"], "recommended_by_id": actor.user.id,
                       "recommended_at": data["now"]},
                   audit_fields=("recommendation_opinion", "recommendation")),
        Transition("lapse", ("submitted",), "lapsed", ("system",), verb="lapsed",
                   values=lambda obj, actor, data: {"closed_at": data["now"]},
                   after=_close_items("lapsed"), notify=notifications.request_lapsed),
    ],
)
AccessRequest.workflow = REQUEST_WORKFLOW

ITEM_WORKFLOW = Workflow(
    name="access_grant",
    model=AccessItem,
    states=ITEM_STATES,
    label=lambda obj: _("L'accès n° %(id)s", id=obj.id),
    conflict_message=CONFLICT_MASCULINE,
    transitions=[
        Transition("restrict", ("granted", "restricted"), "restricted", ("dg", "hr"),
                   verb="restricted", guard=_not_own,
                   values=lambda obj, actor, data: {"conditions": data["conditions"],
                                                    "end_reason": data["reason"]},
                   notify=notifications.grant_changed,
                   audit_fields=("conditions", "end_reason")),
        Transition("revoke", ("granted", "restricted"), "revoked", ("dg", "hr", "system"),
                   verb="revoked", guard=_not_own,
                   values=lambda obj, actor, data: {"ended_at": data["now"],
                                                    "end_reason": data["reason"]},
                   notify=notifications.grant_changed, audit_fields=("end_reason",)),
        # Renewals keep the state (granted stays granted); HR proposes, the DG decides.
        *_renewal_transitions("granted", ""),
        *_renewal_transitions("restricted", "_restricted"),
        Transition("expire", ("granted", "restricted"), "expired", ("system",), verb="expired",
                   values=lambda obj, actor, data: {
                       "ended_at": data["now"],
                       "end_reason": _("Non renouvelé à la date de révision.")},
                   notify=notifications.grant_changed, audit_fields=("review_on",)),
    ],
)
AccessItem.workflow = ITEM_WORKFLOW
