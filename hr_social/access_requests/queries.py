"""List queries shared by the pages, the CSV/JSON registry and the benchmark: each page is a
fixed number of SQL statements whatever its size (related rows loaded per page, not per row)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from hr_social.access_requests.models import (
    CURRENT_GRANT_STATES,
    AccessItem,
    AccessRequest,
    Platform,
)
from hr_social.access_requests.permissions import today
from hr_social.db import db
from hr_social.people.models import Person, Service, User


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _name_filter(query: str):
    like = f"%{query}%"
    return or_(Person.first_name.ilike(like), Person.last_name.ilike(like),
               (Person.first_name + " " + Person.last_name).ilike(like),
               Person.employee_number.ilike(like))


def request_list(base, args):
    """Requests from ``base`` (a visible_to select) filtered by the query-string ``args``."""
    statement = base.join(Person, AccessRequest.requester_id == Person.id).options(
        joinedload(AccessRequest.requester).joinedload(Person.service),
        joinedload(AccessRequest.requester).joinedload(Person.user).selectinload(User.roles),
        selectinload(AccessRequest.items).joinedload(AccessItem.platform),
    )
    if query := (args.get("q") or "").strip():
        statement = statement.where(_name_filter(query))
    if (status := args.get("status")) and status != "all":
        statement = statement.where(AccessRequest.state == status)
    if platform_id := args.get("platform", type=int):
        statement = statement.where(AccessRequest.id.in_(
            select(AccessItem.request_id).where(AccessItem.platform_id == platform_id)))
    if service_id := args.get("service", type=int):
        statement = statement.where(Person.service_id == service_id)
    if start := _date(args.get("from")):
        statement = statement.where(AccessRequest.created_at >= _start_of(start))
    if end := _date(args.get("to")):
        statement = statement.where(AccessRequest.created_at < _start_of(end + dt.timedelta(1)))
    return statement


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def queue_statement(args):
    base = select(AccessRequest).where(AccessRequest.state == "submitted")
    args = args.copy()
    args.pop("status", None)
    return request_list(base, args).order_by(AccessRequest.submitted_at, AccessRequest.id)


def past_request_counts(requests) -> dict[int, int]:
    """Number of other requests of each requester on the page, in one query."""
    ids = {r.requester_id for r in requests}
    if not ids:
        return {}
    rows = db.session.execute(
        select(AccessRequest.requester_id, func.count()).where(
            AccessRequest.requester_id.in_(ids), AccessRequest.state != "draft")
        .group_by(AccessRequest.requester_id)).all()
    return {person_id: count - 1 for person_id, count in rows}


def grant_list(args, *, current_only=True):
    statement = (
        select(AccessItem).join(Person, AccessItem.person_id == Person.id)
        .options(joinedload(AccessItem.person).joinedload(Person.service),
                 joinedload(AccessItem.platform))
    )
    if current_only:
        statement = statement.where(AccessItem.state.in_(CURRENT_GRANT_STATES))
    if query := (args.get("q") or "").strip():
        statement = statement.where(_name_filter(query))
    if (status := args.get("status")) in CURRENT_GRANT_STATES:
        statement = statement.where(AccessItem.state == status)
    if platform_id := args.get("platform", type=int):
        statement = statement.where(AccessItem.platform_id == platform_id)
    if service_id := args.get("service", type=int):
        statement = statement.where(Person.service_id == service_id)
    if start := _date(args.get("from")):
        statement = statement.where(AccessItem.granted_at >= _start_of(start))
    if end := _date(args.get("to")):
        statement = statement.where(AccessItem.granted_at < _start_of(end + dt.timedelta(1)))
    return statement


def registry_statement(args):
    return grant_list(args).order_by(Person.last_name, Person.first_name, AccessItem.id)


def review_statement(args, window_days: int):
    limit = today() + dt.timedelta(days=window_days)
    return grant_list(args).where(or_(
        AccessItem.review_on <= limit, AccessItem.review_reason.is_not(None))
    ).order_by(AccessItem.review_on, AccessItem.id)


def filter_choices():
    platforms = db.session.scalars(select(Platform).order_by(Platform.name)).all()
    services = db.session.scalars(select(Service).order_by(Service.name)).all()
    return platforms, services
