"""Login throttling: a delay per account that grows, reserved atomically before hashing.

Each counter is one row of ``login_throttles``, keyed by what it limits:

- ``account:<scope>:<username>``: password checks of one account. The scope is ``trusted``
  for requests from ``LOGIN_TRUSTED_NETWORKS`` (the town hall's network) and ``elsewhere``
  otherwise, so failures from outside never slow the owner down inside.
- ``address:<ip>``: failures from one address outside the trusted networks (one address
  trying many accounts). Trusted networks have no per-address counter: a NAT or a terminal
  server puts hundreds of people behind one address.

The first ``free`` failures cost nothing; each one after waits twice as long as the one
before (``LOGIN_DELAY_BASE_SECONDS``, 30 s, then 60 s…) up to
``LOGIN_THROTTLE_WINDOW_MINUTES`` (15 min). Failures are forgotten after
``LOGIN_FAILURE_MEMORY_HOURS`` without one, or at the next success.

``reserve`` counts the attempt as a failure *before* the password is checked, in one
conditional UPDATE (the row lock serialises concurrent requests on PostgreSQL, BEGIN
IMMEDIATE on SQLite): however many requests arrive at once, no more than the allowed number
of passwords are checked. A success then clears the counter.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, literal, null, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hr_social.auth.models import LoginThrottle
from hr_social.db import UTCDateTime, db, utcnow

TRUSTED, ELSEWHERE = "trusted", "elsewhere"


@dataclass
class Throttle:
    retry_after_seconds: int


def is_trusted(address: str | None) -> bool:
    networks = current_app.config.get("LOGIN_TRUSTED_NETWORKS") or ""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    for network in networks.replace(";", ",").split(","):
        if network.strip():
            try:
                if ip in ipaddress.ip_network(network.strip(), strict=False):
                    return True
            except ValueError:
                continue  # a typing error in the setting must not open the door
    return False


def account_key(username: str, address: str | None) -> str:
    scope = TRUSTED if is_trusted(address) else ELSEWHERE
    return f"account:{scope}:{username.strip().lower()[:80]}"


def account_keys(username: str) -> list[str]:
    name = username.strip().lower()[:80]
    return [f"account:{TRUSTED}:{name}", f"account:{ELSEWHERE}:{name}"]


def address_key(address: str | None) -> str | None:
    """None inside the trusted networks: they are limited per account only."""
    return None if is_trusted(address) else f"address:{(address or 'unknown')[:64]}"


def delay_seconds(failures: int, free: int) -> int:
    """Wait imposed after ``failures`` consecutive failures (0 while they are free)."""
    if failures < free:
        return 0
    config = current_app.config
    cap = config["LOGIN_THROTTLE_WINDOW_MINUTES"] * 60
    return min(cap, config["LOGIN_DELAY_BASE_SECONDS"] * 2 ** min(failures - free, 30))


def _ensure_row(key: str) -> None:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(LoginThrottle).values(key=key, failures=0)
                       .on_conflict_do_nothing(index_elements=["key"]))


def _count_one_more(key: str, free: int, *, only_if_allowed: bool) -> bool:
    """One more failure for ``key``, with its next allowed time, in a single UPDATE. With
    ``only_if_allowed`` nothing changes while the key waits. True when a row changed."""
    now = utcnow()
    memory = dt.timedelta(hours=current_app.config["LOGIN_FAILURE_MEMORY_HOURS"])
    row = LoginThrottle
    stale = or_(row.last_failure_at.is_(None), row.last_failure_at < now - memory)

    def at(failures: int):
        wait = delay_seconds(failures, free)
        return literal(now + dt.timedelta(seconds=wait), UTCDateTime) if wait else null()

    # The delay of each count up to the cap, as literals: the database picks the branch.
    branches, failures = [], free
    while delay_seconds(failures, free) < delay_seconds(failures + 1, free):
        branches.append((row.failures + 1 == failures, at(failures)))
        failures += 1
    next_check = case((stale, at(1)), (row.failures + 1 < free, null()), *branches,
                      else_=at(failures))
    statement = (update(row).where(row.key == key)
                 .values(failures=case((stale, 1), else_=row.failures + 1),
                         last_failure_at=now, next_check_at=next_check)
                 .execution_options(synchronize_session=False))
    if only_if_allowed:
        statement = statement.where(or_(stale, row.next_check_at.is_(None),
                                        row.next_check_at <= now))
    return db.session.execute(statement).rowcount == 1


def waiting(key: str | None) -> Throttle | None:
    """The wait still imposed on ``key``, if any (reads only)."""
    if key is None:
        return None
    next_check = db.session.scalar(select(LoginThrottle.next_check_at)
                                   .where(LoginThrottle.key == key))
    if next_check is None:
        return None
    wait = (next_check - utcnow()).total_seconds()
    return Throttle(max(1, math.ceil(wait))) if wait > 0 else None


def reserve(key: str, free: int) -> Throttle | None:
    """Count this attempt before checking the password; None when it may go ahead, else
    the wait. The caller commits at once, so that concurrent requests see it."""
    _ensure_row(key)
    if _count_one_more(key, free, only_if_allowed=True):
        return None
    return waiting(key) or Throttle(1)


def count_failure(key: str | None, free: int) -> None:
    """A failure found after the fact (a wrong address, a wrong re-entered password)."""
    if key is not None:
        _ensure_row(key)
        _count_one_more(key, free, only_if_allowed=False)


def clear(*keys: str) -> None:
    db.session.execute(update(LoginThrottle).where(LoginThrottle.key.in_(keys))
                       .values(failures=0, last_failure_at=None, next_check_at=None)
                       .execution_options(synchronize_session=False))


def is_delayed(username: str) -> bool:
    """Whether the account has reached its free failures in some scope (it may ask for a
    sign-in link)."""
    free = current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    since = utcnow() - dt.timedelta(hours=current_app.config["LOGIN_FAILURE_MEMORY_HOURS"])
    return db.session.scalar(select(LoginThrottle.key).where(
        LoginThrottle.key.in_(account_keys(username)), LoginThrottle.failures >= free,
        LoginThrottle.last_failure_at >= since).limit(1)) is not None
