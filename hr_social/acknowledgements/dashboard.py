"""What acknowledgements put on each person's home (registered with web/dashboard.py):
- everyone bound: their acknowledgement of the policy in force to sign;
- the manager: who in their team has not signed yet;
- HR: the campaign in force (organisation-wide percentage, a chart per service), refusals
  to follow up, people with no way to sign online;
- and, for any to-do item naming a person, whether that person signed the policy in force
  (a person fact: the DG reads it next to each access request to decide).
Every list is a ``Listed`` statement: the home reads them all in one statement."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, case, func, literal, select, union_all

from hr_social.acknowledgements.models import (
    SIGNED,
    Acknowledgement,
    AckStatus,
    Campaign,
    PolicyVersion,
)
from hr_social.acknowledgements.offline import cannot_sign_online
from hr_social.db import french_key, utcnow
from hr_social.people.models import Person, Service
from hr_social.web.charts import Bar, bar_chart, percent_text
from hr_social.web.dashboard import (
    Counted,
    Listed,
    Panel,
    Todo,
    built_once,
    dashboard_provider,
    person_fact,
    row,
)

SERVICES_SHOWN = 60
NAMES_SHOWN = 15


def _version_in_force():
    return (select(PolicyVersion.id).where(PolicyVersion.published_at.is_not(None))
            .order_by(PolicyVersion.published_at.desc(), PolicyVersion.id.desc()).limit(1)
            .scalar_subquery())


def _open_campaign_in_force():
    """Condition on ``Campaign``: the open campaign of the version in force."""
    return (Campaign.policy_version_id == _version_in_force()) & Campaign.closed_at.is_(None)


def _name():
    return Person.first_name + " " + Person.last_name


# --- a fact about any person a to-do item names ------------------------------------------

def _status_in_force(person_id):
    return (select(Acknowledgement.status).join(Campaign)
            .where(Acknowledgement.person_id == person_id,
                   Campaign.policy_version_id == _version_in_force())
            .limit(1).scalar_subquery())


def _describe(status) -> str | None:
    if status is None:
        return None
    if status in SIGNED:
        return _("Politique en vigueur : accusé de réception signé.")
    if status == AckStatus.refused:
        return _("Politique en vigueur : signature refusée.")
    return _("Politique en vigueur : accusé de réception pas encore signé.")


person_fact("policy_acknowledgement", _status_in_force, _describe)


# --- the person bound ---------------------------------------------------------------------

@built_once
def _to_sign_statement():
    return (
        select(*row(ref=Acknowledgement.id, at=Campaign.created_at,
                    detail=Campaign.deadline, label=PolicyVersion.title))
        .join(Campaign, Campaign.id == Acknowledgement.campaign_id)
        .join(PolicyVersion, PolicyVersion.id == Campaign.policy_version_id)
        .where(Acknowledgement.person_id == bindparam("acknowledgements_person"),
               _open_campaign_in_force(), Acknowledgement.status == AckStatus.pending))


def _to_sign(person_id: int) -> Listed:

    def build(rows) -> list:
        return [Todo(_("Politique à signer"), url_for("acknowledgements.read_policy", ack_id=r.ref),
                     at=r.at, detail=(_("%(title)s — à signer au plus tard le %(day)s",
                                        title=r.label, day=r.detail[:10]) if r.detail
                                      else r.label or "")) for r in rows]
    return Listed(_to_sign_statement(), build, limit=1,
                  params={"acknowledgements_person": person_id})


# --- the manager --------------------------------------------------------------------------

@built_once
def _team_status_statement():
    team = Person.team_ids_query(bindparam("acknowledgements_manager"),
                                 name="team_acknowledgements")
    in_team = ((Acknowledgement.person_id.in_(team)) & _open_campaign_in_force()
               & (Person.is_active.is_(True)))
    signed = func.sum(case((Acknowledgement.status.in_(SIGNED), 1), else_=0))
    total = (select(*row(ref=literal(0, Integer), extra=literal("0total"), number=signed,
                         total=func.count(Acknowledgement.id)))
             .join(Campaign, Campaign.id == Acknowledgement.campaign_id)
             .join(Person, Person.id == Acknowledgement.person_id).where(in_team))
    waiting = (select(*row(ref=Person.id, extra=literal("1person"), label=_name(),
                           detail=Acknowledgement.status))
               .join(Campaign, Campaign.id == Acknowledgement.campaign_id)
               .join(Person, Person.id == Acknowledgement.person_id)
               .where(in_team, Acknowledgement.status.in_((AckStatus.pending,
                                                           AckStatus.refused))))
    return union_all(total, waiting).order_by("extra")


def _team_status(manager_person_id: int) -> Listed:
    def build(rows) -> list:
        totals = [r for r in rows if r.extra == "0total"]
        if not totals or not totals[0].total:
            return []
        summary = totals[0]
        people = sorted(({"name": r.label, "refused": r.detail == AckStatus.refused.value}
                         for r in rows if r.extra == "1person"),
                        key=lambda p: french_key(p["name"]))
        return [Panel(_("Accusés de réception de votre équipe"),
                      "acknowledgements/_home_team.html",
                      {"signed": summary.number or 0, "total": summary.total,
                       "percent": percent_text(summary.number or 0, summary.total),
                       "waiting": people, "more": len(people) >= NAMES_SHOWN},
                      order=30)]
    return Listed(_team_status_statement(), build, limit=NAMES_SHOWN + 1,
                  params={"acknowledgements_manager": manager_person_id})


# --- HR -----------------------------------------------------------------------------------

@built_once
def _campaign_in_force_statement():
    relevant = Acknowledgement.still_relevant()
    signed = func.sum(case((Acknowledgement.status.in_(SIGNED), 1), else_=0))
    refused = func.sum(case((Acknowledgement.status == AckStatus.refused, 1), else_=0))
    base = (select().select_from(Acknowledgement)
            .join(Campaign, Campaign.id == Acknowledgement.campaign_id)
            .join(Person, Person.id == Acknowledgement.person_id)
            .where(_open_campaign_in_force(), relevant))
    whole = base.add_columns(*row(
        ref=func.max(Campaign.id), extra=literal("0campaign"), number=signed,
        total=func.count(Acknowledgement.id), number2=refused))
    by_service = (base.join(Service, Service.id == Person.service_id)
                  .add_columns(*row(ref=Service.id, label=Service.name,
                                    extra=literal("1service"), number=signed,
                                    total=func.count(Acknowledgement.id)))
                  .group_by(Service.id, Service.name))
    return union_all(whole, by_service).order_by("extra")


def _campaign_in_force() -> Listed:
    def build(rows) -> list:
        totals = [r for r in rows if r.extra == "0campaign"]
        if not totals or not totals[0].total:
            return []
        summary = totals[0]
        bars = sorted((Bar(r.label, r.number or 0, r.total) for r in rows
                       if r.extra == "1service"), key=lambda b: french_key(b.label))
        title = _("Signatures par service")
        chart = bar_chart(bars, title=title, ident="campaign-chart", description=_(
            "Part des personnes de chaque service qui ont signé l'accusé de réception."))
        return [Panel(_("Campagne en vigueur"), "acknowledgements/_home_campaign.html",
                      {"signed": summary.number or 0, "total": summary.total,
                       "refused": summary.number2 or 0, "campaign_id": summary.ref,
                       "pending": summary.total - (summary.number or 0)
                       - (summary.number2 or 0),
                       "percent": percent_text(summary.number or 0, summary.total),
                       "chart": chart, "bars": bars, "chart_title": title},
                      order=10, url=url_for("acknowledgements.campaign",
                                            campaign_id=summary.ref),
                      link_text=_("Ouvrir la campagne"))]
    return Listed(_campaign_in_force_statement(), build, limit=SERVICES_SHOWN + 1)


@built_once
def _refusals_statement():
    return (
        select(*row(ref=Acknowledgement.id, at=Acknowledgement.updated_at, label=_name(),
                    detail=Acknowledgement.refusal_note, person_id=Acknowledgement.person_id))
        .join(Campaign, Campaign.id == Acknowledgement.campaign_id)
        .join(Person, Person.id == Acknowledgement.person_id)
        .where(Acknowledgement.status == AckStatus.refused,
               Acknowledgement.follow_up_note.is_(None), Person.is_active.is_(True),
               Campaign.policy_version_id == _version_in_force())
        .order_by(Acknowledgement.updated_at, Acknowledgement.id))


def _refusals_to_follow_up() -> Listed:
    def build(rows) -> list:
        return [Todo(_("Donner suite au refus de signer de %(name)s", name=r.label),
                     url_for("acknowledgements.manage", ack_id=r.ref), at=r.at,
                     detail=r.detail or "") for r in rows]
    return Listed(_refusals_statement(), build, limit=10)


@built_once
def _without_a_way_to_sign_count():
    return (select(func.count(Acknowledgement.id))
             .join(Campaign, Campaign.id == Acknowledgement.campaign_id)
             .join(Person, Person.id == Acknowledgement.person_id)
             .where(_open_campaign_in_force(), Acknowledgement.status == AckStatus.pending,
                    Person.is_active.is_(True),
                    cannot_sign_online(bindparam("acknowledgements_now"))))


def _without_a_way_to_sign() -> Counted:
    # The campaign page lists them per service, with "invite" and "print" for each service.
    return Counted(_("Personnes sans moyen de signer en ligne"),
                   _("Sans compte ni invitation en cours : invitez-les ou imprimez leur "
                     "copie papier."),
                   url_for("acknowledgements.policies"), _without_a_way_to_sign_count(),
                   params={"acknowledgements_now": utcnow()})


@dashboard_provider
def acknowledgements_home(user) -> list:
    found: list = []
    if user.person_id:
        found.append(_to_sign(user.person_id))
        if user.has_role("manager"):
            found.append(_team_status(user.person_id))
    if user.has_role("hr"):
        found += [_campaign_in_force(), _refusals_to_follow_up(), _without_a_way_to_sign()]
    return found
