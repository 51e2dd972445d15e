"""Dashboard cards of the disciplinary domain and HR's yearly chart."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from hr_social.db import db, utcnow
from hr_social.delegation import acts_as_dg
from hr_social.discipline.amnesty import add_months
from hr_social.discipline.catalogue import today
from hr_social.discipline.entries import Grievance
from hr_social.discipline.models import NOTIFIED_STATES, OPEN_STATES, SANCTIONED_STATES, Case
from hr_social.discipline.views import blueprint
from hr_social.permissions import roles_required
from hr_social.web.dashboard import Card, Counted, Shortcut, built_once, dashboard_provider


def _count(*conditions):
    """A count not yet run: the dashboard runs every card's count in one statement."""
    return select(func.count()).select_from(Case).where(*conditions)


@built_once
def _count_in_states(*states):
    return _count(Case.state.in_(states))


@built_once
def _reported_by_me_count():
    return _count(Case.reported_by_id == bindparam("discipline_user"),
                  Case.state.in_(OPEN_STATES))


@built_once
def _about_me_count():
    return _count(Case.person_id == bindparam("discipline_person"),
                  Case.state.in_(NOTIFIED_STATES))


@built_once
def _hearings_count():
    return _count(Case.state == "convoked", Case.hearing_at >= bindparam("discipline_from"),
                  Case.hearing_at < bindparam("discipline_until"))


@built_once
def _open_grievances_count():
    return select(func.count()).select_from(Grievance).where(Grievance.outcome.is_(None))


def _list(state: str) -> str:
    return url_for("discipline.index", state=state)


@dashboard_provider
def discipline_cards(user):
    cards = []
    if user.has_role("manager"):
        cards.append(Shortcut(_("Consigner un incident"), url_for("discipline.new"),
                              order=30))
        cards.append(Counted(_("Mes signalements ouverts"),
                             _("Incidents que vous avez consignés, en cours de traitement."),
                             _list("open"), _reported_by_me_count(),
                             params={"discipline_user": user.id}))
    if user.has_role("hr"):
        cards.extend(_hr_cards())
    if user.person_id:
        cards.append(Counted(_("Mes décisions disciplinaires"),
                             _("Les décisions qui vous ont été remises et votre dossier."),
                             url_for("discipline.index"), _about_me_count(),
                             params={"discipline_person": user.person_id}))
    if acts_as_dg(user):  # the DG, or a delegate during the delegation
        cards.append(Counted(_("Congédiements à décider"),
                             _("Un congédiement est proposé : votre décision est attendue."),
                             _list("dismissal_proposed"),
                             _count_in_states("dismissal_proposed")))
    return cards


def _hr_cards() -> list:
    now = utcnow()
    return [
        Counted(_("Nouveaux signalements"),
                _("Incidents signalés en attente de prise en charge."), _list("reported"),
                _count_in_states("reported")),
        Counted(_("Rencontres cette semaine"),
                _("Rencontres disciplinaires des sept prochains jours."), _list("convoked"),
                _hearings_count(),
                params={"discipline_from": now, "discipline_until": now + dt.timedelta(days=7)}),
        Counted(_("Décisions à remettre"),
                _("Décisions rendues qui n'ont pas encore été remises."), _list("decided"),
                _count_in_states("decided")),
        Counted(_("Griefs en cours"), _("Griefs déposés dont l'issue est attendue."),
                _list("notified"), _open_grievances_count()),
        Card(_("Sanctions de l'année"), _("Sanctions par mois et par article."),
             url_for("discipline.chart")),
    ]


def sanctions_by_month_and_clause(day: dt.date):
    """The last twelve months: sanctions per month and per clause section."""
    start = add_months(day.replace(day=1), -11)
    cases = db.session.scalars(select(Case).where(Case.state.in_(SANCTIONED_STATES),
                                                  Case.facts_on >= start)).all()
    months = [add_months(start, i).strftime("%Y-%m") for i in range(12)]
    by_month = Counter(c.facts_on.strftime("%Y-%m") for c in cases)
    by_clause = Counter(f"§{cl.section} {cl.label}" for c in cases for cl in c.clauses)
    return [(m, by_month.get(m, 0)) for m in months], sorted(by_clause.items())


@blueprint.get("/chart")
@roles_required("hr")
def chart():
    months, clauses = sanctions_by_month_and_clause(today())
    top = max([n for _m, n in months] + [n for _c, n in clauses] + [1])
    return render_template("discipline/chart.html", months=months, clauses=clauses, top=top)
