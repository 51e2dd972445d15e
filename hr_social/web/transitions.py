"""Buttons ask the workflow, not a model predicate that restates its transition table.

``transitions_for(obj)`` (a Jinja global) is the set of transition names the signed-in user
may apply to ``obj`` now: state, role or relation, and guard, exactly as ``apply_transition``
will check them. ``{% if 'decide' in transitions_for(r) %}`` shows the decision button.
"""

from __future__ import annotations

from flask_login import current_user

from hr_social.delegation import actor_for


def transitions_for(obj, user=None) -> set[str]:
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return set()
    return {t.name for t in type(obj).workflow.available(obj, actor_for(user))}


def init_app(app) -> None:
    app.jinja_env.globals["transitions_for"] = transitions_for
