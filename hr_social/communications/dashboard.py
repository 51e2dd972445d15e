"""Dashboard cards of the communications domain (registered with web/dashboard.py). Each
card's count is a ``select()`` not yet run (``Counted``): the dashboard runs them all in one
statement."""

from __future__ import annotations

import datetime as dt

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, literal, select, union_all

from hr_social.communications.models import AccountChangeRequest, LogoAuthorization
from hr_social.communications.register import departed_administrators
from hr_social.communications.services import EXPIRY_NOTICE_DAYS, local_today
from hr_social.people.models import Person
from hr_social.web.dashboard import Counted, Listed, Todo, built_once, dashboard_provider, row


def _count(statement):
    return select(func.count()).select_from(statement.subquery())


def _in_state(model, *states, **filters):
    statement = select(model.id).where(model.state.in_(states))
    for name, value in filters.items():
        statement = statement.where(getattr(model, name) == value)
    return statement


@built_once
def _count_in_state(model, *states):
    return _count(_in_state(model, *states))


@built_once
def _own_count_in_state(model, *states):
    """Requests of the signed-in person (``communications_person``) in these states."""
    return _count(_in_state(model, *states, requester_id=bindparam("communications_person")))


@built_once
def _own_waiting_count():
    return _count(union_all(*(
        _in_state(model, "submitted", "escalated",
                  requester_id=bindparam("communications_person"))
        for model in (LogoAuthorization, AccountChangeRequest))))


@built_once
def _ending_count():
    return _count(select(LogoAuthorization.id).where(
        LogoAuthorization.state == "authorized",
        LogoAuthorization.valid_until <= bindparam("communications_soon")))


@built_once
def _departed_administrators_count():
    return _count(departed_administrators())


def _division_cards() -> list[Counted]:
    cards = []
    for model, endpoint, title in (
            (LogoAuthorization, "communications.logo_index", _("Usages du logo à décider")),
            (AccountChangeRequest, "communications.change_index",
             _("Modifications de comptes à décider"))):
        cards.append(Counted(title, _("Des demandes attendent la décision de la Division des "
                                      "communications."),
                             url_for(endpoint, status="submitted"),
                             _count_in_state(model, "submitted")))
    soon = local_today() + dt.timedelta(days=EXPIRY_NOTICE_DAYS)
    cards.append(Counted(_("Autorisations qui prennent fin dans 30 jours"),
                         _("Autorisations d'usage du logo bientôt échues."),
                         url_for("communications.in_force"), _ending_count(),
                         params={"communications_soon": soon}))
    cards.append(Counted(_("Administrateurs partis"),
                         _("Des personnes qui ont quitté la Ville administrent encore des "
                           "comptes officiels : retirez leur accès."),
                         url_for("communications.accounts", departed="1"),
                         _departed_administrators_count()))
    cards.append(Counted(_("Modifications approuvées à réaliser"),
                         _("Approuvées mais pas encore marquées comme réalisées."),
                         url_for("communications.change_index", status="approved"),
                         _count_in_state(AccountChangeRequest, "approved")))
    return cards


def _own_cards(person_id: int) -> list[Counted]:
    mine = {"communications_person": person_id}
    cards = []
    for model, endpoint in ((LogoAuthorization, "communications.logo_index"),
                            (AccountChangeRequest, "communications.change_index")):
        cards.append(Counted(_("Vos demandes à modifier"),
                             _("La Division des communications demande des modifications."),
                             url_for(endpoint, status="changes_requested"),
                             _own_count_in_state(model, "changes_requested"), params=mine))
    cards.append(Counted(_("Vos demandes aux communications"), _("En attente de décision."),
                         url_for("communications.logo_index"), _own_waiting_count(),
                         params=mine))
    cards.append(Counted(_("Vos modifications approuvées"),
                         _("Réalisez-les puis indiquez le résultat."),
                         url_for("communications.change_index", status="approved"),
                         _own_count_in_state(AccountChangeRequest, "approved"), params=mine))
    return cards


@built_once
def _division_todos_statement():
    name = Person.first_name + " " + Person.last_name
    parts = [select(*row(ref=model.id, at=model.submitted_at, label=name,
                         extra=literal(kind), detail=detail))
             .join(Person, Person.id == model.requester_id).where(model.state == "submitted")
             for model, kind, detail in (
                 (LogoAuthorization, "logo", LogoAuthorization.purpose),
                 (AccountChangeRequest, "change", AccountChangeRequest.proposed_text))]
    return union_all(*parts).order_by("at")


def _division_todos() -> Listed:
    """The requests waiting for the division's decision, oldest first, both kinds."""
    def build(rows) -> list:
        items = []
        for r in rows:
            if r.extra == "logo":
                title = _("Décider l'usage du logo demandé par %(name)s", name=r.label)
                url = url_for("communications.logo_decide", request_id=r.ref)
            else:
                title = _("Décider la modification de compte demandée par %(name)s",
                          name=r.label)
                url = url_for("communications.change_decide", request_id=r.ref)
            detail = r.detail or ""
            items.append(Todo(title, url, at=r.at,
                              detail=detail if len(detail) <= 160 else detail[:159] + "…"))
        return items
    return Listed(_division_todos_statement(), build, limit=10)


@dashboard_provider
def communications_cards(user) -> list:
    cards = [*_division_cards(), _division_todos()] if user.has_role("communications") else []
    if user.has_role("dg"):
        for model, endpoint in ((LogoAuthorization, "communications.logo_index"),
                                (AccountChangeRequest, "communications.change_index")):
            cards.append(Counted(_("Demandes transmises à la Direction générale"),
                                 _("La Division des communications vous demande de décider."),
                                 url_for(endpoint, status="escalated"),
                                 _count_in_state(model, "escalated")))
    if user.person_id is not None:
        cards.extend(_own_cards(user.person_id))
    return cards
