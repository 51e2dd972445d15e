"""What awaits each user on the dashboard. Domains add providers here as they arrive.

A provider returns cards whose count is a scalar ``select()`` (``Counted``): the dashboard
runs every count in ONE statement and shows the cards whose count is not zero, so the page
costs the same number of statements whatever the number of cards.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from hr_social.db import db


@dataclass
class Card:
    title: str
    text: str
    url: str
    count: int | None = None
    tone: str = ""  # "soon" or "overdue": the card is coloured as a deadline approaches


@dataclass
class Counted:
    """A card shown only when its count, a scalar SELECT not yet run, is not zero."""

    title: str
    text: str
    url: str
    count_statement: object
    tone: str = ""


# Each provider takes the user and returns cards (Card or Counted); registered by domains.
PROVIDERS: list = []


def dashboard_provider(func):
    PROVIDERS.append(func)
    return func


def dashboard_cards(user) -> list[Card]:
    proposed = [card for provider in PROVIDERS for card in provider(user)]
    counted = [card for card in proposed if isinstance(card, Counted)]
    counts = {}
    if counted:
        row = db.session.execute(select(*[
            card.count_statement.scalar_subquery().label(f"c{n}")
            for n, card in enumerate(counted)])).one()
        counts = {id(card): value for card, value in zip(counted, row, strict=True)}
    cards = []
    for card in proposed:
        if isinstance(card, Counted):
            if counts[id(card)]:
                cards.append(Card(card.title, card.text, card.url, counts[id(card)], card.tone))
        else:
            cards.append(card)
    return cards


def link(endpoint: str, **values) -> str:
    return url_for(endpoint, **values)
