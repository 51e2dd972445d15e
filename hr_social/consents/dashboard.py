"""Dashboard cards (communications): take-downs pending and overdue, consents expiring
within 30 days, publications this month. Counted: the dashboard runs them in one statement."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from hr_social.consents.models import Consent, Publication, TakeDown
from hr_social.consents.publications import overdue_cutoff
from hr_social.consents.services import today
from hr_social.web.dashboard import Counted, dashboard_provider

EXPIRY_NOTICE_DAYS = 30


def _count(*conditions, model=TakeDown):
    return select(func.count(model.id)).where(*conditions)


@dashboard_provider
def consent_cards(user) -> list[Counted]:
    if not user.has_role("communications"):
        return []
    day = today()
    pending = TakeDown.removed_on.is_(None)
    return [
        Counted(_("Publications à retirer en retard"),
                _("Consentement retiré il y a plus de deux jours ouvrables : retirez ces "
                  "publications sans attendre. Les RH en sont avisées."),
                url_for("consents.takedowns"),
                _count(pending, TakeDown.listed_at < overdue_cutoff(day))),
        Counted(_("Publications à retirer"),
                _("Des personnes ont retiré leur consentement : ces publications doivent "
                  "être retirées."), url_for("consents.takedowns"), _count(pending)),
        Counted(_("Consentements qui prennent fin dans 30 jours"),
                _("Consentements valides dont la période se termine bientôt."),
                url_for("consents.index", state="signed"),
                _count(Consent.valid_on(day), Consent.valid_until.is_not(None),
                       Consent.valid_until <= day + dt.timedelta(days=EXPIRY_NOTICE_DAYS),
                       model=Consent)),
        Counted(_("Publications ce mois-ci"),
                _("Publications inscrites avec les consentements sur lesquels elles reposent."),
                url_for("consents.publications", month="current"),
                _count(Publication.published_on >= day.replace(day=1), model=Publication)),
    ]
