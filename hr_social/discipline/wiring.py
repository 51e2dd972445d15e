"""How disciplinary cases plug into the rest of the application, all in one place: menu
entries, dashboard cards, the demo seeder, the letters' subject type for official documents
and the confidentiality of this domain's audit entries and e-mails. Imported once by
``hr_social/blueprints.py``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.confidentiality import register_target_type
from hr_social.db import db
from hr_social.discipline import (
    dashboard,  # noqa: F401 - registers the dashboard cards
    demo,  # noqa: F401 - registers the demo seeder
    letters,  # noqa: F401 - registers the documents' subject
    retention,  # noqa: F401 - registers the record type (records schedule)
    sentences,  # noqa: F401 - registers the words of its audit entries
)
from hr_social.discipline import records as _records  # noqa: F401 - registers the record types
from hr_social.discipline.access import FULL_ACCESS
from hr_social.discipline.models import Case
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("discipline.index", _l("Dossiers disciplinaires"), ("hr", "dg", "manager"),
             order=40)
register_nav("discipline.confidential_report", _l("Signalement confidentiel"), (), order=41)

# The tone of each state, for the badges (hr_social/web/status.py).
register_status(Case, {"reported": "pending", "investigating": "info", "convoked": "info",
                       "heard": "info", "dismissal_proposed": "warn", "decided": "warn",
                       "notified": "ok", "closed": "muted", "closed_no_sanction": "muted"})

# Values (besides ids, dates and numbers) this domain's audit entries may hold: codes.
CODE_FIELDS = ("kind", "reporter_kind", "clauses", "field", "outcome", "receipt",
               "subject_type", "notified_method", "gravity", "code")


def may_read_case(user, target_id) -> bool:
    """An entry about a case is readable by whoever may open the case."""
    if target_id is None:
        return False
    try:
        case_id = int(target_id)
    except ValueError:
        return False
    statement = Case.visible_to(user).where(Case.id == case_id).with_only_columns(Case.id)
    return db.session.scalar(statement) is not None


def may_read_own_file(user, target_id) -> bool:
    return user.has_role("hr") or str(user.person_id) == str(target_id)


register_target_type(Case.__tablename__, readers=may_read_case, confidential=True,
                     state_fields=CODE_FIELDS)
register_target_type("discipline_grievances", readers=FULL_ACCESS, confidential=True,
                     state_fields=CODE_FIELDS)
register_target_type("discipline_files", readers=may_read_own_file, confidential=True,
                     state_fields=CODE_FIELDS)
