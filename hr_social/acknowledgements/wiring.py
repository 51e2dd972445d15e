"""How acknowledgements plug into the rest of the application, all in one place: menu entries,
the subscription to people's signals (a person hired during a campaign gets an
acknowledgement), the home's lists (dashboard.py), the bulk-print job handler and the demo
seeder.
Imported once by ``hr_social/blueprints.py``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.acknowledgements import (
    dashboard,  # noqa: F401 - registers the home's lists and the person fact
    demo,  # noqa: F401 - registers the demo seeder
    policy_services,
    printing,  # noqa: F401 - registers the job handler
    sentences,  # noqa: F401 - registers the words of its audit entries
)
from hr_social.acknowledgements import records as _records  # noqa: F401 - registers the record types
from hr_social.acknowledgements import retention as _retention  # noqa: F401 - records schedule
from hr_social.acknowledgements.models import Acknowledgement
from hr_social.people.events import person_created
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("acknowledgements.mine", _l("Mes accusés de réception"), (), order=20)
register_nav("acknowledgements.policies", _l("Politique et accusés"), ("hr",), order=60)
register_nav("acknowledgements.current_campaign", _l("Campagne en cours"), ("hr",), order=61)


register_status(Acknowledgement, {"pending": "pending", "signed_electronic": "ok",
                                  "signed_paper": "ok", "refused": "danger"}, attribute="status")

person_created.connect(policy_services.acknowledgement_for_new_person)
# A policy version on the policy and campaign screens (computed: see policies.html).
register_status("policy_version", {"draft": "neutral", "upcoming": "info", "in_force": "ok"})
