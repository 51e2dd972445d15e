"""Dashboard cards (communications): take-downs pending and overdue, consents expiring
within 30 days, publications this month. Counted: the dashboard runs them in one statement."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from hr_social.consents.models import Consent, Publication, TakeDown
from hr_social.consents.publications import overdue_cutoff
from hr_social.consents.services import today
from hr_social.web.dashboard import Counted, built_once, dashboard_provider

EXPIRY_NOTICE_DAYS = 30


def _count(*conditions, model=TakeDown):
    return select(func.count(model.id)).where(*conditions)


@built_once
def _takedowns_count(overdue: bool):
    pending = TakeDown.removed_on.is_(None)
    if overdue:
        return _count(pending, TakeDown.listed_at < bindparam("consents_overdue_cutoff"))
    return _count(pending)


@built_once
def _expiring_count():
    day = bindparam("consents_today")
    return _count(Consent.valid_on(day), Consent.valid_until.is_not(None),
                  Consent.valid_until <= bindparam("consents_expiry_limit"), model=Consent)


@built_once
def _published_this_month_count():
    return _count(Publication.published_on >= bindparam("consents_month_start"),
                  model=Publication)


@dashboard_provider
def consent_cards(user) -> list[Counted]:
    if not user.has_role("communications"):
        return []
    day = today()
    return [
        Counted(_("Publications à retirer en retard"),
                _("Consentement retiré il y a plus de deux jours ouvrables : retirez ces "
                  "publications sans attendre. Les RH en sont avisées."),
                url_for("consents.takedowns"),
                _takedowns_count(True),
                params={"consents_overdue_cutoff": overdue_cutoff(day)}),
        Counted(_("Publications à retirer"),
                _("Des personnes ont retiré leur consentement : ces publications doivent "
                  "être retirées."), url_for("consents.takedowns"), _takedowns_count(False)),
        Counted(_("Consentements qui prennent fin dans 30 jours"),
                _("Consentements valides dont la période se termine bientôt."),
                url_for("consents.index", state="signed"),
                _expiring_count(),
                params={"consents_today": day,
                        "consents_expiry_limit": day + dt.timedelta(days=EXPIRY_NOTICE_DAYS)}),
        Counted(_("Publications ce mois-ci"),
                _("Publications inscrites avec les consentements sur lesquels elles reposent."),
                url_for("consents.publications", month="current"),
                _published_this_month_count(),
                params={"consents_month_start": day.replace(day=1)}),
    ]
