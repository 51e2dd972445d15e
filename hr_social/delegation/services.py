"""Who acts as the Direction générale: a DG, or the delegate the DG named for today."""

from __future__ import annotations

import datetime as dt

from flask import g, has_request_context
from sqlalchemy import exists, select

from hr_social.clock import local_today
from hr_social.db import db
from hr_social.delegation.models import DgDelegation
from hr_social.workflow import Actor, user_actor


def active_delegation(user) -> DgDelegation | None:
    """The delegation in force today naming this user, if any (cached per request)."""
    if not getattr(user, "is_authenticated", False) or user.id is None:
        return None
    cache_key = f"_dg_delegation_{user.id}"
    if has_request_context() and hasattr(g, cache_key):
        return getattr(g, cache_key)
    found = db.session.scalars(
        select(DgDelegation).where(
            DgDelegation.delegate_user_id == user.id, DgDelegation.in_force_on(local_today()),
        ).order_by(DgDelegation.id.desc()).limit(1)
    ).first()
    if has_request_context():
        setattr(g, cache_key, found)
    return found


def in_force_for(user_id_column, day=None):
    """SQL condition: a delegation in force on ``day`` (today by default; a bound parameter
    in a statement built once) names this user. The session load asks it in its own
    statement (auth), so that a user without a delegation, nearly everyone, costs no query
    of its own per page (``note_no_delegation``)."""
    return exists().where(DgDelegation.delegate_user_id == user_id_column,
                          DgDelegation.in_force_on(local_today() if day is None else day))


def note_no_delegation(user_id: int) -> None:
    """No delegation in force names this user: ``active_delegation`` answers None for the
    rest of the request without asking the database."""
    if has_request_context():
        setattr(g, f"_dg_delegation_{user_id}", None)


def acts_as_dg(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("dg") or active_delegation(user) is not None


def actor_for(user) -> Actor:
    """The workflow actor: a delegate holds the DG role for the period, in the DG's name."""
    if not user.has_role("dg") and (delegation := active_delegation(user)) is not None:
        return user_actor(user, extra_roles=("dg",), on_behalf_of=delegation.dg_user)
    return user_actor(user)


def delegates_on(day: dt.date | None = None) -> list:
    """The users holding a delegation in force on ``day`` (today by default)."""
    delegations = db.session.scalars(
        select(DgDelegation).where(DgDelegation.in_force_on(day or local_today()))).all()
    return [d.delegate for d in delegations]


def delegate_addresses(day: dt.date | None = None) -> list[str]:
    """E-mail addresses of the delegates in force on ``day`` (today by default)."""
    return sorted({u.person.email for u in delegates_on(day) if u.person and u.person.email})
