"""How the communications domain plugs into the rest of the application, in one place: menu
entries, subscription to people's departures, dashboard cards (dashboard.py), demo seeder."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.communications import (
    dashboard,  # noqa: F401 - registers the dashboard cards
    demo,  # noqa: F401 - registers the demo seeder
    letter,  # noqa: F401 - registers the letter's subject type
    timeline,  # noqa: F401 - registers the words of its audit entries
)
from hr_social.communications import records as _records  # noqa: F401 - registers the record types
from hr_social.communications import retention as _retention  # noqa: F401 - records schedule
from hr_social.communications.models import AccountChangeRequest, LogoAuthorization, OfficialAccount
from hr_social.communications.register import on_departed
from hr_social.people.events import person_departed
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("communications.accounts", _l("Comptes officiels"), (), order=30)
register_nav("communications.logo_index", _l("Usage du logo"), (), order=31)
register_nav("communications.change_index", _l("Modifications de comptes"), (), order=32)
register_nav("communications.in_force", _l("Autorisations en vigueur"), (), order=33)
person_departed.connect(on_departed)

# The tone of each state, for the badges (hr_social/web/status.py).
_DECISION_TONES = {"submitted": "pending", "changes_requested": "warn", "escalated": "pending",
                   "refused": "danger", "withdrawn": "muted"}
register_status(LogoAuthorization, {**_DECISION_TONES, "authorized": "ok", "expired": "muted"})
register_status(AccountChangeRequest, {**_DECISION_TONES, "approved": "info", "done": "ok"})
register_status(OfficialAccount, {"active": "ok", "dormant": "warn", "closed": "muted"},
                attribute="status", label="status_label")
