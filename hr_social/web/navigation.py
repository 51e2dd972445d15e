"""Main menu entries, declared by each domain next to its views."""

from __future__ import annotations

from dataclasses import dataclass

from hr_social.permissions import has_role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated at render time
    roles: tuple[str, ...]  # empty: every logged-in user
    order: int = 100


NAV_ITEMS: list[NavItem] = []


def register_nav(endpoint: str, label, roles: tuple[str, ...] = (), order: int = 100) -> None:
    if all(item.endpoint != endpoint for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(endpoint, label, roles, order))


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [i for i in NAV_ITEMS if not i.roles or has_role(user, *i.roles)]
    return sorted(items, key=lambda i: i.order)
