"""The two state machines of the communications division, on the shared workflow mechanism.

Both share one decision loop: communications (or the DG) decides a submitted request, asks
for changes (the requester edits and resubmits: a new round), or escalates it to the DG, who
then alone decides. Nobody decides their own request.
"""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social.communications import notifications
from hr_social.communications.models import (
    CHANGE_STATES,
    DECIDERS,
    LOGO_STATES,
    AccountChangeRequest,
    LogoAuthorization,
)
from hr_social.workflow import CONFLICT_FEMININE, OWNER, Transition, Workflow

SERVICE_MEMBER = "managing_service_member"  # a person of the service that manages the account


def _is_owner(obj, user) -> bool:
    return user is not None and user.person_id is not None and user.person_id == obj.requester_id


def _owner(obj, user) -> set[str]:
    return {OWNER} if _is_owner(obj, user) else set()


def _change_relations(obj, user) -> set[str]:
    """The requester, and the people of the account's managing service (they answer for it)."""
    relations = _owner(obj, user)
    person = getattr(user, "person", None)
    service_id = obj.account.managing_service_id if obj.account else obj.new_service_id
    if person is not None and person.is_active and person.service_id == service_id:
        relations.add(SERVICE_MEMBER)
    return relations


def _not_own(obj, actor, data):
    if actor.user is not None and _is_owner(obj, actor.user):
        return _("Personne ne peut décider de sa propre demande.")
    return None


def _decider(obj, actor, data):
    """Own requests are refused; once escalated, only the Direction générale decides."""
    if message := _not_own(obj, actor, data):
        return message
    if obj.state == "escalated" and "dg" not in actor.roles:
        return _("Cette demande a été transmise à la Direction générale : elle seule peut "
                 "maintenant en décider.")
    return None


def _decision_values(**extra):
    def values(obj, actor, data):
        return {"decided_at": data["now"], "decided_by_id": actor.user.id,
                "decided_for_id": getattr(actor.on_behalf_of, "id", None),
                "decision_note": data.get("note"), **{k: data[v] for k, v in extra.items()}}
    return values


def _closing(obj, actor, data):
    return {"closed_at": data["now"]}


def _resubmit_values(obj, actor, data):
    # The edited content is written by the same conditional UPDATE as the state change.
    return {"submitted_at": data["now"], "round": obj.round + 1, **data["fields"]}


def _after_resubmit(obj, actor, data):
    if (add := data.get("add_files")) is not None:
        add(obj)


def decision_loop(approve: str, approved_state: str, approve_values) -> list[Transition]:
    """The transitions both request types share (``approve`` names the positive outcome)."""
    return [
        Transition("request_changes", ("submitted", "escalated"), "changes_requested",
                   DECIDERS, guard=_decider,
                   values=lambda obj, actor, data: {"changes_note": data["note"]},
                   notify=notifications.decided, audit_fields=("changes_note",),
                   verb="changes_requested"),
        Transition("resubmit", ("changes_requested",), "submitted", (OWNER,),
                   values=_resubmit_values, after=_after_resubmit,
                   notify=notifications.submitted, audit_fields=("round",), verb="resubmitted"),
        Transition("escalate", ("submitted",), "escalated", ("communications",),
                   guard=_not_own,
                   values=lambda obj, actor, data: {"escalated_at": data["now"],
                                                    "escalation_note": data.get("note")},
                   notify=notifications.escalated, audit_fields=("escalation_note",),
                   verb="escalated"),
        Transition(approve, ("submitted", "escalated"), approved_state, DECIDERS,
                   guard=_decider, values=approve_values, notify=notifications.decided,
                   audit_fields=("decision_note",), verb=approved_state),
        Transition("refuse", ("submitted", "escalated"), "refused", DECIDERS, guard=_decider,
                   values=lambda obj, actor, data: {
                       **_decision_values()(obj, actor, data), **_closing(obj, actor, data)},
                   notify=notifications.decided, audit_fields=("decision_note",), verb="refused"),
        # The requester may also give up what was approved (nothing carried out yet).
        Transition("withdraw", ("submitted", "changes_requested", "escalated",
                                approved_state), "withdrawn", (OWNER, "system"),
                   values=_closing, verb="withdrawn"),
    ]


def _authorize_values(obj, actor, data):
    return {**_decision_values()(obj, actor, data), "conditions": data.get("conditions"),
            "valid_until": data["valid_until"]}


LOGO_WORKFLOW = Workflow(
    name="logo_authorization",
    model=LogoAuthorization,
    states=LOGO_STATES,
    relations=_owner,
    label=lambda obj: _("La demande d'usage du logo n° %(id)s", id=obj.id),
    conflict_message=CONFLICT_FEMININE,
    transitions=[
        *decision_loop("authorize", "authorized", _authorize_values),
        Transition("expire", ("authorized",), "expired", ("system",), values=_closing,
                   audit_fields=("valid_until",), verb="expired"),
    ],
)
LogoAuthorization.workflow = LOGO_WORKFLOW


def _carry_out(obj, actor, data):
    data["carry_out"](obj)


CHANGE_WORKFLOW = Workflow(
    name="account_change",
    model=AccountChangeRequest,
    states=CHANGE_STATES,
    relations=_change_relations,
    label=lambda obj: _("La demande de modification n° %(id)s", id=obj.id),
    conflict_message=CONFLICT_FEMININE,
    transitions=[
        *decision_loop("approve", "approved", _decision_values()),
        # The requester, the managing service or communications says it is done; the result
        # enters the account's history.
        Transition("mark_done", ("approved",), "done", (OWNER, SERVICE_MEMBER, "communications"),
                   values=lambda obj, actor, data: {
                       "done_at": data["now"], "closed_at": data["now"],
                       "result": data["result"], "result_url": data.get("result_url")},
                   after=_carry_out, audit_fields=("result", "result_url"), verb="carried_out"),
    ],
)
AccountChangeRequest.workflow = CHANGE_WORKFLOW
