"""The state table of a disciplinary case (docs/workflow.md). Audit entries of this domain
carry ids, states, dates and codes only: never the words of the facts or of the parties."""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social.discipline import notifications
from hr_social.discipline.models import BEFORE_DECISION, CASE_STATES, Case
from hr_social.workflow import CONFLICT_MASCULINE, OWNER, Transition, Workflow


def _not_own(obj, actor, data):
    if actor.user is not None and actor.user.person_id == obj.person_id:
        return _("Personne ne peut traiter son propre dossier disciplinaire.")
    return None


def _decision_guard(obj, actor, data):
    """Shared by HR's decision and HR's dismissal proposal (the DG decides those)."""
    if message := _not_own(obj, actor, data):
        return message
    level = data.get("level")
    if level is None:
        return None  # available(): the buttons are shown before a level is chosen
    if obj.heard_on is None and not (data.get("no_hearing_reason") or "").strip():
        return _("Aucune rencontre n'a été tenue : indiquez pourquoi la décision est rendue "
                 "sans rencontre (la personne a refusé, n'a pu être jointe…).")
    if level.requires_days and not data.get("suspension_days"):
        return _("Une suspension sans solde exige un nombre de jours.")
    return None


def _hr_decides(obj, actor, data):
    if message := _decision_guard(obj, actor, data):
        return message
    if data.get("level") is not None and data["level"].requires_dg:
        return _("Cette sanction est décidée par la Direction générale : proposez-la plutôt.")
    return None


def _dg_only_level(obj, actor, data):
    if message := _decision_guard(obj, actor, data):
        return message
    if data.get("level") is not None and not data["level"].requires_dg:
        return _("Seul un congédiement est proposé à la Direction générale.")
    return None


def _decision_values(obj, actor, data):
    level = data["level"]
    return {"sanction_level_id": level.id, "gravity": data["gravity"],
            "suspension_days": data.get("suspension_days") if level.requires_days else None,
            "proposed_level_id": getattr(data.get("proposed"), "id", None),
            "harsher_justification": data.get("justification") or None,
            "no_hearing_reason": (data.get("no_hearing_reason") or "").strip() or None,
            "decision_text": data.get("decision_text") or None}


def _hr_decision_values(obj, actor, data):
    return {**_decision_values(obj, actor, data), "decided_at": data["now"],
            "decided_by_id": actor.user.id}


def _proposal_values(obj, actor, data):
    return {**_decision_values(obj, actor, data), "proposed_at": data["now"],
            "proposed_by_id": actor.user.id}


def _relations(obj, user) -> set[str]:
    """The person concerned, the HR officer handling the case, its reporter."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    found = set()
    if user.person_id is not None and user.person_id == obj.person_id:
        found |= {OWNER, "concerned_person"}
    if obj.handler_id is not None and obj.handler_id == user.id:
        found.add("case_handler")
    if obj.reported_by_id == user.id:
        found.add("reporter")
    return found


DECISION_FIELDS = ("sanction_level_id", "gravity", "suspension_days", "proposed_level_id")

CASE_WORKFLOW = Workflow(
    name="discipline_case",
    model=Case,
    states=CASE_STATES,
    relations=lambda obj, user: _relations(obj, user),
    label=lambda obj: _("Le dossier disciplinaire n° %(id)s", id=obj.id),
    conflict_message=CONFLICT_MASCULINE,
    transitions=[
        Transition("take", ("reported",), "investigating", ("hr",), guard=_not_own, verb="taken",
                   values=lambda obj, actor, data: {"handler_id": actor.user.id,
                                                    "taken_at": data["now"]},
                   audit_fields=("handler_id",)),
        Transition("convoke", ("investigating", "convoked"), "convoked", ("hr",),
                   guard=_not_own,
                   values=lambda obj, actor, data: {"hearing_at": data["hearing_at"],
                                                    "hearing_place": data["place"],
                                                    "convoked_at": data["now"]},
                   audit_fields=("hearing_at",),
                   verb="convoked"),
        Transition("hold_hearing", ("convoked",), "heard", ("hr",), guard=_not_own,
                   values=lambda obj, actor, data: {
                       "heard_on": data["heard_on"], "attendees": data["attendees"],
                       "representative_present": data["representative_present"],
                       "person_version": data["person_version"]},
                   audit_fields=("heard_on", "representative_present"), verb="heard"),
        Transition("decide", ("investigating", "convoked", "heard"), "decided", ("hr",),
                   guard=_hr_decides, values=_hr_decision_values,
                   audit_fields=DECISION_FIELDS, verb="decided"),
        Transition("propose_dismissal", ("investigating", "convoked", "heard"),
                   "dismissal_proposed", ("hr",), guard=_dg_only_level,
                   values=_proposal_values, notify=notifications.dismissal_proposed,
                   audit_fields=DECISION_FIELDS, verb="dismissal_proposed"),
        Transition("decide_dismissal", ("dismissal_proposed",), "decided", ("dg",),
                   guard=_not_own,
                   values=lambda obj, actor, data: {
                       "decided_at": data["now"], "decided_by_id": actor.user.id,
                       "decided_for_id": getattr(actor.on_behalf_of, "id", None)},
                   audit_fields=("decided_by_id",), verb="dismissal_decided"),
        Transition("refuse_dismissal", ("dismissal_proposed",), "investigating", ("dg",),
                   guard=_not_own, audit_fields=("sanction_level_id",),
                   verb="dismissal_refused"),
        Transition("notify", ("decided",), "notified", ("hr",),
                   values=lambda obj, actor, data: {"notified_on": data["notified_on"],
                                                    "notified_method": data["method"]},
                   audit_fields=("notified_on", "notified_method"), verb="notified"),
        Transition("close", ("notified",), "closed", ("hr",),
                   values=lambda obj, actor, data: {"closed_at": data["now"]}, verb="closed"),
        Transition("close_without_sanction", (*BEFORE_DECISION, "dismissal_proposed"),
                   "closed_no_sanction", ("hr",), guard=_not_own,
                   values=lambda obj, actor, data: {"closed_at": data["now"],
                                                    "close_reason": data["reason"]},
                   verb="closed_without_sanction"),
    ],
)
Case.workflow = CASE_WORKFLOW
