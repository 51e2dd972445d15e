"""The shared state-machine mechanism (access requests, logo authorizations, official-account
changes, disciplinary cases).

A request type declares a ``Workflow``: its states and a table of ``Transition``s (name,
from-states, to-state, roles that may, guard). A transition's roles name user roles or
relations that ``Workflow.relations(obj, user)`` computes ("owner", "case_handler"...);
``Workflow.available(obj, actor)`` lists what the actor may do now (templates ask it through
the ``transitions_for(obj)`` Jinja global, see hr_social/web/transitions.py).
``apply_transition(obj, name, actor, **data)`` is the one way to move an object: it checks
the actor's right and the guard, changes the state with a conditional UPDATE on the
expected state *and* version, checks that exactly one row changed, writes the audit entry
and queues the notifications, all in the caller's transaction (flush only; the view
commits once). See docs/workflow.md.
"""

from hr_social.workflow.core import (
    CONFLICT_FEMININE,
    CONFLICT_MASCULINE,
    CONFLICT_NEUTRAL,
    OWNER,
    SYSTEM,
    SYSTEM_ACTOR,
    Actor,
    AlreadyProcessed,
    GuardFailed,
    NotPermitted,
    Transition,
    TransitionError,
    Workflow,
    WorkflowMixin,
    apply_transition,
    claim,
    user_actor,
)

__all__ = [
    "CONFLICT_FEMININE", "CONFLICT_MASCULINE", "CONFLICT_NEUTRAL",
    "Actor", "AlreadyProcessed", "GuardFailed", "NotPermitted", "Transition",
    "TransitionError", "Workflow", "WorkflowMixin", "apply_transition", "claim",
    "OWNER", "SYSTEM", "SYSTEM_ACTOR", "user_actor",
]
