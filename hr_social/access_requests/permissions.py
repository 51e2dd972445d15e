"""Who acts as the Direction générale: a DG, or the delegate the DG named for today."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import select

from hr_social.auth.totp import required_roles, two_factor_rule
from hr_social.db import db
from hr_social.workflow import Actor, user_actor


def today() -> dt.date:
    zone = current_app.config["ORGANISATION_TIMEZONE"] if has_app_context() else "UTC"
    return dt.datetime.now(ZoneInfo(zone)).date()


def active_delegation(user):
    """The delegation in force today naming this user, if any (cached per request)."""
    from hr_social.access_requests.models import DgDelegation

    if not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    cache_key = f"_dg_delegation_{user.id}"
    if has_request_context() and hasattr(g, cache_key):
        return getattr(g, cache_key)
    day = today()
    found = db.session.scalars(
        select(DgDelegation).where(
            DgDelegation.delegate_user_id == user.id, DgDelegation.cancelled_at.is_(None),
            DgDelegation.starts_on <= day, DgDelegation.ends_on >= day,
        ).order_by(DgDelegation.id.desc()).limit(1)
    ).first()
    if has_request_context():
        setattr(g, cache_key, found)
    return found


def acts_as_dg(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("dg") or active_delegation(user) is not None


def actor_for(user) -> Actor:
    """The workflow actor: a delegate holds the DG role for the period, in the DG's name."""
    if not user.has_role("dg") and (delegation := active_delegation(user)) is not None:
        return user_actor(user, extra_roles=("dg",), on_behalf_of=delegation.dg_user)
    return user_actor(user)


@two_factor_rule
def _delegate_acting_as_dg(user) -> bool:
    """While a delegation names them, a delegate holds the DG's powers: two-factor too."""
    return "dg" in required_roles() and active_delegation(user) is not None
