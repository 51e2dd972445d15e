"""The DG's (or delegate's) decision on a submitted request, platform by platform.

``check_decisions`` says what is wrong without changing anything, each message naming the
platform and tied to its field (``decision-<id>``, ``review-<id>``, ``reason-<id>``), so the
decision page can validate before it asks for confirmation; ``decide_request`` checks again
and applies the transition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _

from hr_social.access_requests.models import AccessRequest
from hr_social.access_requests.services import (
    REASON_MAX,
    InvalidAccessRequest,
    default_review_on,
)
from hr_social.clock import local_today
from hr_social.db import utcnow
from hr_social.delegation import actor_for
from hr_social.workflow import apply_transition


@dataclass
class ItemDecision:
    grant: bool
    review_on: dt.date | None = None
    conditions: str | None = None
    reason: str | None = None


def check_decisions(request: AccessRequest, decisions: dict[int, ItemDecision]) -> None:
    """Refuse (InvalidAccessRequest) unless every platform is decided as the rules want."""
    day, problems, general = local_today(), {}, []
    for item in request.items:
        name = item.platform.name
        decision = decisions.get(item.id)
        if decision is None:
            problems[f"decision-{item.id}"] = _(
                "%(platform)s : choisissez « Accorder » ou « Refuser ».", platform=name)
            general.append(_("Décidez chacune des plateformes demandées."))
        elif decision.grant:
            decision.review_on = decision.review_on or default_review_on()
            if decision.review_on <= day:
                problems[f"review-{item.id}"] = _(
                    "%(platform)s : la date de révision doit être dans le futur.", platform=name)
        elif not (decision.reason or "").strip():
            problems[f"reason-{item.id}"] = _(
                "%(platform)s : indiquez le motif du refus.", platform=name)
            general.append(_("Un refus doit être motivé : indiquez la raison."))
        elif len(decision.reason) > REASON_MAX:
            problems[f"reason-{item.id}"] = _(
                "%(platform)s : le motif est trop long (%(max)d caractères au plus).",
                platform=name, max=REASON_MAX)
    if set(decisions) - {item.id for item in request.items}:
        general.append(_("Décidez chacune des plateformes demandées."))
    if problems or general:
        raise InvalidAccessRequest(" ".join(dict.fromkeys(general)) or None, problems)


def decide_request(user, request: AccessRequest, *, decisions: dict[int, ItemDecision],
                   note: str | None = None) -> AccessRequest:
    """The DG (or delegate) decides every platform of a submitted request at once."""
    check_decisions(request, decisions)
    granted = sum(1 for d in decisions.values() if d.grant)
    outcome = "granted" if granted == len(decisions) else "refused" if not granted else "partial"
    return apply_transition(request, "decide", actor_for(user), now=utcnow(),
                            decisions=decisions, outcome=outcome,
                            note=(note or "").strip()[:REASON_MAX] or None)


def grant_everything(user, request: AccessRequest) -> AccessRequest:
    """Every platform of the request granted, with the usual review date (one click)."""
    return decide_request(user, request,
                          decisions={item.id: ItemDecision(grant=True) for item in request.items})
