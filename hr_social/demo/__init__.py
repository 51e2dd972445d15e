"""Demo data: each domain registers a seeder; `flask demo seed` runs them in order.

A seeder takes a ``DemoContext`` (the random generator, the people and users created so far)
and adds its rows with audit entries like any other change. Demo text is written for the
demo: no sentence of the customer's policy is copied here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class DemoContext:
    rng: random.Random
    services: dict = field(default_factory=dict)  # code -> Service
    people: list = field(default_factory=list)
    users: dict = field(default_factory=dict)  # role -> User (one demo login per role)
    logins: list = field(default_factory=list)  # (username, password, description)


SEEDERS: list[tuple[int, Callable[[DemoContext], None]]] = []


def demo_seeder(order: int):
    """Register a seeder; lower orders run first (people: 10, other domains: 50+)."""

    def decorator(func):
        SEEDERS.append((order, func))
        return func

    return decorator


# Accounts a seeder creates, listed by `flask demo logins`: (username, password, role label).
LOGINS: list[tuple[str, str, str]] = []


def demo_login(username: str, password: str, description: str) -> tuple[str, str, str]:
    """Declare a demo account at import time, so `flask demo logins` can list it later."""
    entry = (username, password, description)
    if entry not in LOGINS:
        LOGINS.append(entry)
    return entry
