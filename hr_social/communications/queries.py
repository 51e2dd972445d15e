"""List statements: search, filters and the eager loading that keeps each page at a constant
number of SQL statements whatever its length (bench/communications_pages.py measures it)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from hr_social.communications.models import (
    ACCOUNT_STATUSES,
    CHANGE_KINDS,
    MEDIA,
    AccountAdministrator,
    AccountChangeRequest,
    LogoAuthorization,
    OfficialAccount,
)
from hr_social.communications.register import departed_administrators
from hr_social.people.models import Person
from hr_social.people.search import matching_ids

ID_MAX = 2**31 - 1  # larger ids exist in no table (and overflow SQLite's integers)


def _int(args, name) -> int | None:
    try:
        value = int(args.get(name, ""))
    except ValueError:
        return None
    return value if 0 < value <= ID_MAX else None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def account_list(statement, args):
    """Register: by name or address, platform, managing service, status."""
    q = (args.get("q") or "").strip()[:200]
    if q:
        statement = statement.where(or_(OfficialAccount.display_name.ilike(_like(q), "\\"),
                                        OfficialAccount.url.ilike(_like(q), "\\")))
    if (platform := _int(args, "platform")) is not None:
        statement = statement.where(OfficialAccount.platform_id == platform)
    if (service := _int(args, "service")) is not None:
        statement = statement.where(OfficialAccount.managing_service_id == service)
    if args.get("status") in ACCOUNT_STATUSES:
        statement = statement.where(OfficialAccount.status == args["status"])
    if args.get("departed"):
        held = departed_administrators().with_only_columns(AccountAdministrator.account_id)
        statement = statement.where(OfficialAccount.id.in_(held))
    return statement.options(
        joinedload(OfficialAccount.platform), joinedload(OfficialAccount.managing_service),
        selectinload(OfficialAccount.administrators).joinedload(AccountAdministrator.person),
    ).order_by(OfficialAccount.display_name, OfficialAccount.id)


def public_list(args):
    """The public page: every account ever registered, so a closed one says it is closed."""
    return account_list(select(OfficialAccount), {"q": args.get("q", "")})


def _requester_search(model, q: str, *columns):
    """The requester (the one person-search filter) or the request's own text columns."""
    people = matching_ids(q)
    return or_(model.requester_id.in_(people), *[c.icontains(q, autoescape=True)
                                                 for c in columns])


def _request_filters(model, statement, args, states, *columns):
    q = (args.get("q") or "").strip()[:200]
    if q:
        statement = statement.where(_requester_search(model, q, *columns))
    if args.get("status") in states:
        statement = statement.where(model.state == args["status"])
    return statement


def logo_list(statement, args, states):
    statement = _request_filters(LogoAuthorization, statement, args, states,
                                 LogoAuthorization.purpose, LogoAuthorization.medium_detail)
    if args.get("medium") in MEDIA:
        statement = statement.where(LogoAuthorization.medium == args["medium"])
    return statement.options(
        joinedload(LogoAuthorization.requester).joinedload(Person.service),
        joinedload(LogoAuthorization.account).joinedload(OfficialAccount.platform),
    ).order_by(LogoAuthorization.id.desc())


def in_force_list(day, args):
    """Authorizations in force, searchable by every employee ("is this use authorized?")."""
    statement = LogoAuthorization.in_force(day)
    q = (args.get("q") or "").strip()[:200]
    if q:
        accounts = select(OfficialAccount.id).where(
            OfficialAccount.display_name.ilike(_like(q), "\\"))
        statement = statement.where(or_(
            _requester_search(LogoAuthorization, q, LogoAuthorization.purpose,
                              LogoAuthorization.medium_detail, LogoAuthorization.audience),
            LogoAuthorization.account_id.in_(accounts)))
    statement = statement.options(
        joinedload(LogoAuthorization.requester).joinedload(Person.service),
        joinedload(LogoAuthorization.account).joinedload(OfficialAccount.platform))
    return statement.order_by(LogoAuthorization.valid_until, LogoAuthorization.id)


def change_list(statement, args, states):
    statement = _request_filters(AccountChangeRequest, statement, args, states,
                                 AccountChangeRequest.proposed_text,
                                 AccountChangeRequest.new_display_name)
    if args.get("kind") in CHANGE_KINDS:
        statement = statement.where(AccountChangeRequest.kind == args["kind"])
    if (account := _int(args, "account")) is not None:
        statement = statement.where(AccountChangeRequest.account_id == account)
    return statement.options(
        joinedload(AccountChangeRequest.requester).joinedload(Person.service),
        joinedload(AccountChangeRequest.account).joinedload(OfficialAccount.platform),
    ).order_by(AccountChangeRequest.id.desc())
