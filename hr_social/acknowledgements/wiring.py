"""How acknowledgements plug into the rest of the application, all in one place: menu entries,
the subscription to people's signals (a person hired during a campaign gets an
acknowledgement), the dashboard card, the bulk-print job handler and the demo seeder.
Imported once by ``hr_social/blueprints.py``."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.acknowledgements import (
    demo,  # noqa: F401 - registers the demo seeder
    policy_services,
    printing,  # noqa: F401 - registers the job handler
)
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign, PolicyVersion
from hr_social.db import db
from hr_social.people.events import person_created
from hr_social.web.dashboard import Card, dashboard_provider, link
from hr_social.web.navigation import register_nav

register_nav("acknowledgements.mine", _l("Mes accusés de réception"), (), order=20)
register_nav("acknowledgements.policies", _l("Politique et accusés"), ("hr",), order=60)

person_created.connect(policy_services.acknowledgement_for_new_person)


@dashboard_provider
def _pending_card(user):
    current = PolicyVersion.current()
    if user.person_id is None or current is None:
        return []
    pending = db.session.scalars(select(Acknowledgement).join(Campaign).where(
        Acknowledgement.person_id == user.person_id, Campaign.closed_at.is_(None),
        Campaign.policy_version_id == current.id,
        Acknowledgement.status == AckStatus.pending)).all()
    if not pending:
        return []
    return [Card(_("Politique à signer"), _("Lisez la politique et signez votre accusé de "
                                            "réception."), link("acknowledgements.mine"),
                 len(pending))]
