"""How access requests plug into the rest of the application, all in one place: menu entries,
subscriptions to people's signals, dashboard cards, the demo seeder. Imported once by
``hr_social/blueprints.py``."""

from __future__ import annotations

import datetime as dt

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from hr_social.access_requests import (
    dashboard,  # noqa: F401 - registers the home's lists
    demo,  # noqa: F401 - registers the demo seeder
    timeline,  # noqa: F401 - the words of its audit entries
)
from hr_social.access_requests import records as _records  # noqa: F401 - registers the record types
from hr_social.access_requests import retention as _retention  # noqa: F401 - records schedule
from hr_social.access_requests import services as ops
from hr_social.access_requests.models import AccessItem, AccessRequest
from hr_social.auth.totp import required_roles, two_factor_rule
from hr_social.clock import local_today
from hr_social.delegation import active_delegation, acts_as_dg
from hr_social.people.events import person_departed, person_service_changed
from hr_social.web.dashboard import (
    CARD_COUNT_CAP,
    Counted,
    built_once,
    count_up_to,
    dashboard_provider,
)
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("access_requests.index", _l("Demandes d'accès"), (), order=20)
register_nav("access_requests.queue", _l("Décisions d'accès"), ("dg",), order=21)
register_nav("access_requests.reviews", _l("Révisions d'accès"), ("dg", "hr"), order=22)
register_nav("access_requests.registry", _l("Registre des accès"), ("dg", "hr", "admin"),
             order=23)
register_nav("access_requests.platforms", _l("Plateformes"), ("admin",), order=90)


# The tone of each state, for the badges (hr_social/web/status.py).
register_status(AccessRequest, {"draft": "neutral", "submitted": "pending", "decided": "ok",
                                "withdrawn": "muted", "lapsed": "muted"})
register_status(AccessItem, {"pending": "pending", "granted": "ok", "restricted": "warn",
                             "refused": "danger", "revoked": "danger", "expired": "muted",
                             "withdrawn": "muted", "lapsed": "muted"})
register_status("platform", {"offered": "ok", "retired": "muted"})
register_status("access_outcome", {"granted": "ok", "refused": "danger", "partial": "warn"})

person_service_changed.connect(ops.on_service_changed)
person_departed.connect(ops.on_departed)


# --- dashboard ----------------------------------------------------------------------------

@built_once
def _to_decide_count():
    return count_up_to(select(AccessRequest.id).where(AccessRequest.state == "submitted"))


@built_once
def _to_review_count():
    return AccessItem.due_count(bindparam("access_review_limit"), CARD_COUNT_CAP + 1)


@built_once
def _my_requests_count():
    return select(func.count()).where(AccessRequest.requester_id == bindparam("access_person"),
                                      AccessRequest.state.in_(("draft", "submitted")))


@dashboard_provider
def access_cards(user):
    cards = []
    if acts_as_dg(user):
        cards.append(Counted(_("Demandes d'accès à décider"),
                             _("Des demandes d'accès attendent votre décision."),
                             url_for("access_requests.queue"), _to_decide_count()))
    if user.has_role("hr") or acts_as_dg(user):
        limit = local_today() + dt.timedelta(days=current_app.config["ACCESS_EXPIRY_NOTICE_DAYS"])
        cards.append(Counted(
            _("Accès à réviser"),
            _("Des accès arrivent à leur date de révision ou sont signalés."),
            url_for("access_requests.reviews"), _to_review_count(),
            params={"access_review_limit": limit}))
    if user.person_id:
        cards.append(Counted(_("Mes demandes d'accès"),
                             _("Vos demandes d'accès en cours (brouillons ou en attente)."),
                             url_for("access_requests.index"), _my_requests_count(),
                             params={"access_person": user.person_id}))
    return cards


@two_factor_rule
def _delegate_acting_as_dg(user) -> bool:
    """While a delegation names them, a delegate holds the DG's powers: two-factor too."""
    return "dg" in required_roles() and active_delegation(user) is not None
