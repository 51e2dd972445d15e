"""One permission mechanism: each view declares who may use it; deny by default.

- ``@roles_required("hr", "dg")``: logged-in users holding one of the roles; others get 403.
- ``@login_required_any``: every logged-in user (object checks then narrow it down).
- ``@public``: no login (login page, verification page, static files).

``check_access_rules(app)`` runs at start-up and refuses to serve an endpoint that declares
nothing, so a forgotten decorator is a crash in development and a failed test, never an
open page. Object-level checks live on the models (``visible_to`` queries, ``can_*``
predicates); ``get_visible_or_404`` answers 404 for what lies outside the user's reach.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

ROLES = ("employee", "manager", "hr", "dg", "communications", "privacy", "admin")
ROLE_LABELS = {
    "employee": _l("Employé·e"),
    "manager": _l("Gestionnaire"),
    "hr": _l("Ressources humaines"),
    "dg": _l("Direction générale"),
    "communications": _l("Division des communications"),
    # art. 8: the person responsible for the protection of personal information.
    "privacy": _l("Responsable de la protection des renseignements personnels"),
    "admin": _l("Administration du système"),
}
ANY_USER = "any-user"
PUBLIC = "public"

# Endpoints served by Flask itself.
BUILTIN_PUBLIC_ENDPOINTS = {"static"}


@dataclass(frozen=True)
class AccessRule:
    kind: str  # PUBLIC, ANY_USER or "roles"
    roles: frozenset[str] = frozenset()

    def allows(self, user) -> bool:
        if self.kind == PUBLIC:
            return True
        if not user.is_authenticated:
            return False
        return self.kind == ANY_USER or bool(self.roles & user.role_names)


def _declare(rule: AccessRule):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if rule.kind != PUBLIC and not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not rule.allows(current_user):
                abort(403)
            return view(*args, **kwargs)

        wrapper.access_rule = rule
        return wrapper

    return decorator


def roles_required(*roles: str):
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles: {unknown or 'none given'}")
    return _declare(AccessRule("roles", frozenset(roles)))


login_required_any = _declare(AccessRule(ANY_USER))
public = _declare(AccessRule(PUBLIC))


def access_rule_of(app, endpoint: str) -> AccessRule | None:
    if endpoint in BUILTIN_PUBLIC_ENDPOINTS:
        return AccessRule(PUBLIC)
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def check_access_rules(app) -> None:
    missing = sorted(ep for ep in app.view_functions if access_rule_of(app, ep) is None)
    if missing:
        raise RuntimeError(f"endpoints without an access rule: {', '.join(missing)}")


def enforce_declared_rule() -> None:
    """before_request guard: a view registered later without a rule is still refused."""
    if request.endpoint and access_rule_of(current_app, request.endpoint) is None:
        abort(403)


def role_labels(roles) -> str:
    """'employee, hr' (or an iterable of role names) as the labels users read."""
    names = roles.split(",") if isinstance(roles, str) else roles
    return ", ".join(str(ROLE_LABELS.get(n.strip(), n.strip())) for n in names if n.strip())


def has_role(user, *roles: str) -> bool:
    return user.is_authenticated and bool(set(roles) & user.role_names)


def get_visible_or_404(model, object_id, user=None):
    """Load one object through the model's ``visible_to`` query, or 404."""
    from hr_social.db import db

    user = user or current_user
    statement = model.visible_to(user).where(model.id == object_id)
    found = db.session.scalars(statement).first()
    if found is None:
        abort(404)
    return found
