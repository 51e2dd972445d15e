"""Who may open what: every endpoint of the application, for every role.

Each domain adds a module here with ``ROUTES`` (a list of ``Route``) and, if its URLs need
objects, a ``build(world)`` function that creates them and stores them on ``world``.
``tests/test_route_permissions.py`` fails when an endpoint of ``app.url_map`` is in no module.

Expected answers: an HTTP status (200, 403, 404, 405…), ``LOGIN`` (redirect to the login
page) or ``REDIRECT`` (any other redirect).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"
REDIRECT = "redirect"
ROLES = ("anonymous", "employee", "manager", "hr", "dg", "communications", "admin")


@dataclass
class Route:
    endpoint: str
    url: str | Callable  # a path, or world -> path
    expected: dict[str, int | str]  # role -> answer; every role of ROLES must be given
    method: str = "GET"
    data: dict | Callable | None = None  # form for POST (a dict, or world -> dict)

    def path(self, world) -> str:
        return self.url(world) if callable(self.url) else self.url

    def form(self, world) -> dict:
        return (self.data(world) if callable(self.data) else self.data) or {}


def everyone(answer, **overrides) -> dict[str, int | str]:
    """The same answer for every logged-in role, LOGIN for the anonymous visitor."""
    expected = {role: answer for role in ROLES}
    expected["anonymous"] = LOGIN
    expected.update(overrides)
    return expected


def only(*roles: str, allowed=200, others=403, anonymous=LOGIN) -> dict[str, int | str]:
    expected = {role: (allowed if role in roles else others) for role in ROLES}
    expected["anonymous"] = anonymous
    return expected


@dataclass
class World:
    """Objects shared by every route check; domains add attributes in build()."""

    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    services: dict = field(default_factory=dict)


def modules():
    package = importlib.import_module(__name__)
    for info in pkgutil.iter_modules(package.__path__):
        yield importlib.import_module(f"{__name__}.{info.name}")


def all_routes() -> list[Route]:
    return [route for module in modules() for route in getattr(module, "ROUTES", [])]
