"""List queries shared by the pages, the CSV/JSON registry and the benchmark: each page is a
fixed number of SQL statements whatever its size (related rows loaded per page, not per row)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import bindparam, func, literal, select, union_all
from sqlalchemy.orm import aliased, joinedload

from hr_social.access_requests.models import (
    CURRENT_GRANT_STATES,
    AccessItem,
    AccessRequest,
    Platform,
)
from hr_social.clock import local_today
from hr_social.db import db, french
from hr_social.people.models import Person, Service, User, UserRole, full_name, sort_name
from hr_social.people.search import rows_of_people_found
from hr_social.web.args import date_arg
from hr_social.web.dashboard import fact_columns, fact_notes
from hr_social.web.pagination import (
    Page,
    count_limit,
    page_of_ids,
    requested_page,
    rows_in_order,
)
from hr_social.web.status import status_badge


def request_page(base, args) -> Page:
    """The list of requests, newest first: a page of ids (a search matching thousands of
    requests sorts their ids, not whole rows joined to their requesters), then the light
    rows of that page (``request_rows``)."""
    ordered = request_filters(base, args).order_by(AccessRequest.id.desc())
    page = page_of_ids(ids_of(ordered, AccessRequest),
                       ids_of(request_filters(base, args, counting=True), AccessRequest))
    page.items = request_rows(page.items)
    return page


def request_filters(statement, args, *, counting: bool = False):
    """The query-string filters of the request lists (search, service, status, platform,
    dates), without loading options: the DG queue pages through ids."""
    query, service_id = (args.get("q") or "").strip(), args.get("service", type=int)
    if service_id:  # join people only to filter: the bare list stays on its index
        statement = statement.join(Person, AccessRequest.requester_id == Person.id)
    if query:
        statement = statement.where(rows_of_people_found(query, AccessRequest.requester_id,
                                                         counting=counting))
    if service_id:
        statement = statement.where(Person.service_id == service_id)
    if (status := args.get("status")) and status != "all":
        statement = statement.where(AccessRequest.state == status)
    if platform_id := args.get("platform", type=int):
        statement = statement.where(AccessRequest.id.in_(
            select(AccessItem.request_id).where(AccessItem.platform_id == platform_id)))
    if start := date_arg(args, "from"):
        statement = statement.where(AccessRequest.created_at >= _start_of(start))
    if end := date_arg(args, "to"):
        statement = statement.where(AccessRequest.created_at < _start_of(end + dt.timedelta(1)))
    return statement


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def queue_statement(args, *, counting: bool = False):
    base = select(AccessRequest).where(AccessRequest.state == "submitted")
    args = args.copy()
    args.pop("status", None)
    return request_filters(base, args, counting=counting).order_by(AccessRequest.submitted_at,
                                                                   AccessRequest.id)


def grant_list(args, *, sort_by_person=False, counting=False):
    """Current grants filtered by the query-string ``args``.

    ``state || ''`` keeps SQLite off the state index for the pages: most items are current
    grants, so walking the primary key newest first and stopping at the page size is cheaper
    than sorting every grant (bench/access_pages.py: 22 ms → 9 ms). Counting them
    (``counting=True``) is the opposite: the covering state index is four times faster than
    reading every item."""
    query, service_id = (args.get("q") or "").strip(), args.get("service", type=int)
    # Counted through an index: the state index, or with a search the (person, state) one.
    state = AccessItem.state if counting else AccessItem.state + ""
    statement = select(AccessItem).where(state.in_(CURRENT_GRANT_STATES))
    if service_id or sort_by_person:  # a search goes through the people found alone
        statement = statement.join(Person, AccessItem.person_id == Person.id)
    if query:
        statement = statement.where(rows_of_people_found(query, AccessItem.person_id,
                                                         counting=counting))
    if (status := args.get("status")) in CURRENT_GRANT_STATES:
        statement = statement.where(AccessItem.state == status)
    if platform_id := args.get("platform", type=int):
        statement = statement.where(AccessItem.platform_id == platform_id)
    if service_id:
        statement = statement.where(Person.service_id == service_id)
    if start := date_arg(args, "from"):
        statement = statement.where(AccessItem.granted_at >= _start_of(start))
    if end := date_arg(args, "to"):
        statement = statement.where(AccessItem.granted_at < _start_of(end + dt.timedelta(1)))
    return statement


def registry_statement(args, *, counting=False):
    """Page order: latest grants first (walks the primary key, stops at the page size)."""
    return grant_list(args, counting=counting).order_by(AccessItem.id.desc())


def registry_export_statement(args):
    """Export order: by person, as IT reads it; people, services and platforms loaded with
    the grants (the export reads them for every row)."""
    return grant_list(args, sort_by_person=True).options(
        joinedload(AccessItem.person).joinedload(Person.service),
        joinedload(AccessItem.platform),
    ).order_by(french(Person.last_name), french(Person.first_name), AccessItem.id)


def review_statement(args, window_days: int, *, counting=False):
    limit = local_today() + dt.timedelta(days=window_days)
    return grant_list(args, counting=counting).where(AccessItem.due_for_review(limit)
                                                     ).order_by(AccessItem.review_on, AccessItem.id)


REVIEW_FILTERS = ("q", "service", "status", "platform", "from", "to")


def review_page(args, window_days: int) -> Page:
    """Grants due for review. Unfiltered (the usual view), the page and its count read the
    union of the three index searches alone: joining it back to every grant made PostgreSQL
    scan the whole table twice (bench/list_pages.py, révisions)."""
    if any(args.get(name) for name in REVIEW_FILTERS):
        return grant_page(review_statement, args, window_days)
    limit = local_today() + dt.timedelta(days=window_days)
    first = requested_page() * current_app.config["PAGE_SIZE"]
    due = AccessItem.due_rows(limit, first).subquery()
    page = page_of_ids(select(due.c.id).order_by(due.c.review_on, due.c.id),
                       total=AccessItem.due_count(limit, count_limit()), total_capped=True)
    page.items = grant_rows(page.items)
    return page


def queue_page(args) -> Page:
    page = page_of_ids(ids_of(queue_statement(args), AccessRequest),
                       ids_of(queue_statement(args, counting=True), AccessRequest))
    page.items = queue_rows(page.items)
    return page


def grant_page(statement_of, args, *extra) -> Page:
    """One page of grant rows: ids paged in the cheap order, counted with the index."""
    page = page_of_ids(ids_of(statement_of(args, *extra), AccessItem),
                       ids_of(statement_of(args, *extra, counting=True), AccessItem))
    page.items = grant_rows(page.items)
    return page


# Filter menus need two columns of two small tables: one statement, plain rows (no ORM
# objects to build and track for each page view).
# (PostgreSQL orders a UNION by plain column names only: the French order wraps it.)
_UNION = union_all(
    select(literal("platform").label("kind"), Platform.id, Platform.name),
    select(literal("service").label("kind"), Service.id, Service.name),
).subquery()
_CHOICES = select(_UNION).order_by(_UNION.c.kind, french(_UNION.c.name))


def filter_choices():
    """(platforms, services) for the filter menus: rows with ``id`` and ``name``."""
    choices = {"platform": [], "service": []}
    for row in db.session.execute(_CHOICES):
        choices[row.kind].append(row)
    return choices["platform"], choices["service"]


# --- light rows for the long lists ---------------------------------------------------------
# The DG queue and the registry page through ids, then read plain columns for that page
# (no ORM objects per row): a fixed number of statements and little Python work per row.

def ids_of(statement, entity):
    """The same filtered, ordered select, reduced to the primary key (for paging)."""
    return statement.with_only_columns(entity.id)


def _queue_rows_statement():
    """Platforms, roles and the count of past requests come from correlated subqueries
    (aggregate_strings is group_concat on SQLite, string_agg on PostgreSQL)."""
    platforms = (select(func.aggregate_strings(Platform.name, ", "))
                 .join(AccessItem, AccessItem.platform_id == Platform.id)
                 .where(AccessItem.request_id == AccessRequest.id).scalar_subquery())
    roles = (select(func.aggregate_strings(UserRole.role, ", "))
             .where(UserRole.user_id == User.id).scalar_subquery())
    other = aliased(AccessRequest)
    past = (select(func.count()).select_from(other)
            .where(other.requester_id == AccessRequest.requester_id, other.state != "draft",
                   other.id != AccessRequest.id).scalar_subquery())
    return (
        select(AccessRequest.id, AccessRequest.submitted_at, AccessRequest.flagged_at,
               AccessRequest.recommendation_opinion, AccessRequest.recommendation,
               Person.first_name, Person.last_name, Person.job_title,
               Service.name.label("service_name"), platforms.label("platforms"),
               roles.label("roles"), past.label("past"))
        .join(Person, AccessRequest.requester_id == Person.id)
        .join(Service, Person.service_id == Service.id)
        .outerjoin(User, User.person_id == Person.id)
        .where(AccessRequest.id.in_(bindparam("ids", expanding=True)))
        # What other domains know of the person (the policy acknowledgement): the DG
        # reads it in the queue.
        .add_columns(*fact_columns(AccessRequest.requester_id)))


# Built once (on first use, when every domain has declared its facts): the per-request cost
# is binding the page's ids, not rebuilding the statement.
_QUEUE_ROWS = []


def queue_rows(request_ids: list[int]) -> list:
    """One statement for the page's requests, in the page's order."""
    if not request_ids:
        return []
    if not _QUEUE_ROWS:
        _QUEUE_ROWS.append(_queue_rows_statement())
    opinion = AccessRequest.recommendation_label.of

    def fields(r) -> dict:
        return {"id": r.id, "submitted_at": r.submitted_at, "flagged_at": r.flagged_at,
                "requester_name": full_name(r.first_name, r.last_name),
                "job_title": r.job_title,
                "service_name": r.service_name, "roles": r.roles or "",
                "platforms": r.platforms or "", "past": r.past,
                "opinion": opinion(r.recommendation_opinion),
                "favourable": r.recommendation_opinion == "favourable",
                "recommendation": r.recommendation or "", "notes": fact_notes(r)}
    rows = db.session.execute(_QUEUE_ROWS[0], {"ids": request_ids})
    return rows_in_order(request_ids, rows, fields)


_GRANT_ROWS = (
    select(AccessItem.id, AccessItem.state, AccessItem.granted_at, AccessItem.review_on,
           AccessItem.conditions, AccessItem.review_reason, Person.first_name,
           Person.last_name, Service.name.label("service_name"),
           Platform.name.label("platform_name"))
    .join(Person, AccessItem.person_id == Person.id)
    .join(Service, Person.service_id == Service.id)
    .join(Platform, AccessItem.platform_id == Platform.id)
    .where(AccessItem.id.in_(bindparam("ids", expanding=True))))


def grant_rows(item_ids: list[int]) -> list:
    if not item_ids:
        return []
    rows = db.session.execute(_GRANT_ROWS, {"ids": item_ids}).all()
    # Each state's label translated once, not once per row.
    labels = {state: AccessItem.state_label.of(state) for state in {r.state for r in rows}}
    return rows_in_order(item_ids, rows, lambda r: {
        **r._mapping, "person_name": sort_name(r.first_name, r.last_name),
        "state_label": labels[r.state]})


_REQUEST_ROWS = (
    select(AccessRequest.id, AccessRequest.state, AccessRequest.outcome,
           AccessRequest.created_at, Person.first_name, Person.last_name,
           Service.name.label("service_name"))
    .join(Person, AccessRequest.requester_id == Person.id)
    .join(Service, Person.service_id == Service.id)
    .where(AccessRequest.id.in_(bindparam("ids", expanding=True))))
_REQUEST_ITEMS = (
    select(AccessItem.request_id, AccessItem.state, Platform.name)
    .join(Platform, AccessItem.platform_id == Platform.id)
    .where(AccessItem.request_id.in_(bindparam("ids", expanding=True)))
    .order_by(AccessItem.request_id, AccessItem.id))


def request_rows(request_ids: list[int]) -> list:
    """The request list's rows in the page's order, from two statements of plain columns:
    requester, service, state and outcome as badges, and each platform with its state."""
    if not request_ids:
        return []
    items: dict[int, list] = {request_id: [] for request_id in request_ids}
    for item in db.session.execute(_REQUEST_ITEMS, {"ids": request_ids}):
        items[item.request_id].append(SimpleNamespace(platform=item.name, badge=status_badge(
            AccessItem, item.state, AccessItem.state_label.of(item.state))))

    def fields(r) -> dict:
        outcome = status_badge("access_outcome", r.outcome,
                               AccessRequest.outcome_label.of(r.outcome)) if r.outcome else None
        return {"id": r.id, "requester_name": full_name(r.first_name, r.last_name),
                "service_name": r.service_name, "created_at": r.created_at,
                "platforms": items[r.id], "outcome": outcome, "badge": status_badge(
                    AccessRequest, r.state, AccessRequest.state_label.of(r.state))}
    rows = db.session.execute(_REQUEST_ROWS, {"ids": request_ids})
    return rows_in_order(request_ids, rows, fields)
