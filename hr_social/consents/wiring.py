"""How the consents domain plugs into the rest of the application, in one place: menu
entries, dashboard cards, the demo seeder, the documents' subject type (verification page)
and the confidentiality of its audit entries and e-mails. Imported once by
``hr_social/blueprints.py``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.confidentiality import register_target_type
from hr_social.consents import (
    dashboard,  # noqa: F401 - registers the dashboard cards
    demo,  # noqa: F401 - registers the demo seeder
    documents,  # noqa: F401 - registers the documents' subject
)
from hr_social.consents import sentences as _words  # noqa: F401 - audit entries' words
from hr_social.consents.models import FULL_ACCESS, Consent
from hr_social.db import db
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("consents.coverage_check", _l("Consentements : vérifier"), (), order=34)
register_nav("consents.index", _l("Consentements"), (), order=35)
register_nav("consents.publications", _l("Publications"), (), order=36)
register_nav("consents.takedowns", _l("Publications à retirer"), FULL_ACCESS, order=37)

# Values (besides ids, dates and numbers) this domain's audit entries may hold: codes.
CODE_FIELDS = ("kind", "category", "channels", "channel", "method", "withdrawal_way", "viewed",
               "code", "consents")


def may_read_consent(user, target_id) -> bool:
    """An entry about a consent is readable by whoever may open the consent."""
    try:
        consent_id = int(target_id)
    except (TypeError, ValueError):
        return False
    statement = Consent.visible_to(user).where(Consent.id == consent_id) \
        .with_only_columns(Consent.id)
    return db.session.scalar(statement) is not None


register_target_type(Consent.__tablename__, readers=may_read_consent, confidential=True,
                     state_fields=CODE_FIELDS)
for _name in ("consent_publications", "consent_takedowns"):
    register_target_type(_name, readers=FULL_ACCESS, confidential=True,
                         state_fields=CODE_FIELDS)

register_status(Consent, {"unsigned": "pending", "signed": "ok", "withdrawn": "danger",
                          "purged": "muted"})
