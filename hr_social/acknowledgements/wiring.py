"""How acknowledgements plug into the rest of the application, all in one place: menu entries,
the subscription to people's signals (a person hired during a campaign gets an
acknowledgement), the dashboard card, the bulk-print job handler and the demo seeder.
Imported once by ``hr_social/blueprints.py``."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hr_social.acknowledgements import (
    demo,  # noqa: F401 - registers the demo seeder
    policy_services,
    printing,  # noqa: F401 - registers the job handler
)
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign, PolicyVersion
from hr_social.people.events import person_created
from hr_social.web.dashboard import Counted, dashboard_provider, link
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("acknowledgements.mine", _l("Mes accusés de réception"), (), order=20)
register_nav("acknowledgements.policies", _l("Politique et accusés"), ("hr",), order=60)


register_status(Acknowledgement, {"pending": "pending", "signed_electronic": "ok",
                                  "signed_paper": "ok", "refused": "danger"}, attribute="status")

person_created.connect(policy_services.acknowledgement_for_new_person)


@dashboard_provider
def _pending_card(user):
    if user.person_id is None:
        return []
    current = select(PolicyVersion.id).where(PolicyVersion.published_at.is_not(None)).order_by(
        PolicyVersion.published_at.desc(), PolicyVersion.id.desc()).limit(1)
    pending = select(func.count()).select_from(Acknowledgement).join(Campaign).where(
        Acknowledgement.person_id == user.person_id, Campaign.closed_at.is_(None),
        Campaign.policy_version_id == current.scalar_subquery(),
        Acknowledgement.status == AckStatus.pending)
    return [Counted(_("Politique à signer"), _("Lisez la politique et signez votre accusé de "
                                               "réception."), link("acknowledgements.mine"),
                    pending)]
