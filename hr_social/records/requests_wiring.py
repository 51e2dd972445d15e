"""How the person's file and the register of access requests plug in: menu entries, HR's
dashboard cards (overdue, due within 5 days), the confidentiality of the file's audit
entries. Imported once by ``hr_social/blueprints.py``."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select

from hr_social.audit.confidentiality import register_target_type
from hr_social.records import requests_services as ops
from hr_social.records import sentences as _words  # noqa: F401 - audit entries' words
from hr_social.records.requests_models import SOON_DAYS, RecordsRequest
from hr_social.web.dashboard import Counted, built_once, dashboard_provider
from hr_social.web.navigation import register_nav

register_nav("records_file.my_file", _l("Mon dossier"), (), order=24)
register_nav("records_file.requests", _l("Renseignements personnels : demandes"), ("hr",),
             order=61)


def _may_read_file(user, target_id) -> bool:
    return user.has_role("hr") or str(user.person_id) == str(target_id)


register_target_type("person_files", readers=_may_read_file, confidential=True,
                     state_fields=("show_hidden",))


@built_once
def _requests_count(urgency: str):
    """Open requests overdue, due soon (bound ``records_today`` and ``records_soon``), or
    all open ones."""
    today = bindparam("records_today")
    if urgency == "overdue":
        condition = ops.overdue(today)
    elif urgency == "soon":
        condition = ops.due_soon(today, bindparam("records_soon"))
    else:
        condition = RecordsRequest.state == "open"
    return select(func.count()).select_from(RecordsRequest).where(condition)


@dashboard_provider
def request_cards(user):
    if not user.has_role("hr"):
        return []
    day = ops.today()
    days = {"records_today": day, "records_soon": day + dt.timedelta(days=SOON_DAYS)}
    return [
        Counted(_("Demandes d'accès aux renseignements en retard"),
                _("Le délai de réponse est dépassé : répondez sans attendre."),
                url_for("records_file.requests", urgency="overdue"),
                _requests_count("overdue"), tone="overdue", params=days),
        Counted(_("Demandes d'accès aux renseignements à échéance"),
                _("La réponse est due dans %(n)d jours ou moins.", n=SOON_DAYS),
                url_for("records_file.requests", urgency="soon"),
                _requests_count("soon"), tone="soon", params=days),
        Counted(_("Demandes d'accès aux renseignements en traitement"),
                _("Demandes reçues auxquelles la réponse reste à envoyer."),
                url_for("records_file.requests"),
                _requests_count("open")),
    ]
