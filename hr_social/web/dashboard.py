"""What awaits each user on the dashboard. Domains add providers here as they arrive."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for


@dataclass
class Card:
    title: str
    text: str
    url: str
    count: int | None = None


# Each provider takes the user and returns cards; registered by the domains.
PROVIDERS: list = []


def dashboard_provider(func):
    PROVIDERS.append(func)
    return func


def dashboard_cards(user) -> list[Card]:
    cards: list[Card] = []
    for provider in PROVIDERS:
        cards.extend(provider(user))
    return cards


def link(endpoint: str, **values) -> str:
    return url_for(endpoint, **values)
