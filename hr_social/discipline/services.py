"""Named operations on disciplinary cases: report, then move through the state table.
They take the acting user, check the input (InvalidCase: French message, nothing written),
go through ``apply_transition`` and only flush."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.db import db, utcnow
from hr_social.delegation import actor_for
from hr_social.discipline import notifications
from hr_social.discipline.access import may_report_on
from hr_social.discipline.amnesty import counting_cases
from hr_social.discipline.catalogue import (
    InvalidCase,
    clauses_for,
    ladder,
    today,
    version_in_force,
)
from hr_social.discipline.entries import CaseEntry, Citation
from hr_social.discipline.models import (
    DELIVERY_METHODS,
    GRAVITIES,
    TEXT_MAX,
    Case,
    CaseClause,
    SanctionLevel,
)
from hr_social.discipline.workflows import CASE_WORKFLOW
from hr_social.people.models import Person
from hr_social.web.input_limits import row_by_id
from hr_social.workflow import apply_transition, user_actor

MAX_SUSPENSION_DAYS = 60


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(current_app.config["ORGANISATION_TIMEZONE"])).date()


class OutOfReach(InvalidCase):
    """The person is not one the user may report on: the view answers 404."""

    http_status = 404


def _text(value, message, limit=TEXT_MAX, required=True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidCase(message)
        return None
    if len(value) > limit:
        raise InvalidCase(_("Un texte dépasse la longueur permise (%(max)d caractères).",
                            max=limit))
    return value


@dataclass
class Witness:
    name: str = ""
    person_id: int | None = None


def report_incident(user, person: Person, *, facts_on: dt.date | None, place, facts,
                    clause_ids, witnesses=(), links=(), notes=(), confidential=False) -> Case:
    """A manager (own team) or HR logs an incident; an employee reports one confidentially."""
    if confidential:
        if user.person_id is None or person.id == user.person_id:
            raise InvalidCase(_("Un signalement confidentiel concerne une autre personne."))
        kind = "employee"
    elif may_report_on(user, person):
        kind = "hr" if user.has_role("hr") else "manager"
    else:
        raise OutOfReach(_("Cette personne ne fait pas partie de votre équipe."))
    if facts_on is None:
        raise InvalidCase(_("Indiquez la date des faits."))
    if facts_on > today():
        raise InvalidCase(_("La date des faits ne peut pas être dans le futur."))
    if person.hired_on is not None and facts_on < person.hired_on:
        raise InvalidCase(_("La date des faits précède l'embauche de la personne (%(d)s).",
                            d=format_date(person.hired_on)))
    place = _text(place, _("Indiquez le lieu des faits (ou la plateforme)."), limit=200)
    facts = _text(facts, _("Décrivez ce qui s'est passé, dans vos mots."))
    version = version_in_force(facts_on)
    if version is None:
        raise InvalidCase(_("Aucune version publiée de la politique n'était en vigueur à la "
                            "date des faits."))
    chosen = _clauses(version, clause_ids)
    case = Case(person_id=person.id, reported_by_id=user.id, reporter_kind=kind,
                policy_version_id=version.id, facts_on=facts_on, place=place, facts=facts,
                state="reported")
    db.session.add(case)
    db.session.flush()
    db.session.add_all(CaseClause(case_id=case.id, clause_id=c.id) for c in chosen)
    for witness in witnesses:
        add_entry(user, case, "witness", text=witness.name or None,
                  witness_person_id=witness.person_id, audit=False)
    for url in links:
        add_entry(user, case, "evidence_link", url=url, audit=False)
    for note in notes:
        add_entry(user, case, "evidence_note", text=note, audit=False)
    record("discipline_case.reported", case, actor=user, after={
        "state": "reported", "reporter_kind": kind, "facts_on": facts_on,
        "clauses": [c.code for c in chosen], "policy_version_id": version.id,
        "witnesses": len(witnesses), "links": len(links), "notes": len(notes)})
    notifications.reported(case)
    return case


def _clauses(version, clause_ids) -> list:
    available = {c.id: c for c in clauses_for(version)}
    try:
        ids = {int(i) for i in clause_ids or ()}
    except (TypeError, ValueError):
        ids = {-1}
    if not ids:
        raise InvalidCase(_("Choisissez au moins un article de la politique qui n'a pas été "
                            "respecté."))
    if not ids <= set(available):
        raise InvalidCase(_("Un des articles choisis ne fait pas partie de la version de la "
                            "politique en vigueur à la date des faits."))
    return [available[i] for i in sorted(ids)]


def add_entry(user, case: Case, kind: str, *, text=None, url=None, field=None, amount=None,
              witness_person_id=None, attachment_id=None, corrects_id=None,
              audit=True) -> CaseEntry:
    """Append to the file (never edits): evidence, witness, correction, note, damages."""
    if kind == "evidence_link":
        url = (url or "").strip()
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise InvalidCase(_("Un lien doit commencer par https:// (500 caractères au plus)."))
    elif kind == "witness" and witness_person_id is None:
        text = _text(text, _("Donnez le nom du témoin."), limit=200)
    elif kind not in ("evidence_file", "witness"):
        text = _text(text, _("Le texte de l'entrée est obligatoire."))
    entry = CaseEntry(case_id=case.id, kind=kind, text=text, url=url or None, field=field,
                      amount=amount, witness_person_id=witness_person_id,
                      attachment_id=attachment_id, corrects_id=corrects_id,
                      created_by_id=getattr(user, "id", None), created_at=utcnow())
    db.session.add(entry)
    db.session.flush()
    if audit:
        # Ids and kinds only: the words stay in the case, readable by those who may.
        record(f"discipline_case.{kind}_added", case, actor=user,
               after={"entry_id": entry.id, "kind": kind, "field": field,
                      "corrects_id": corrects_id, "amount": amount})
    return entry


# --- transitions --------------------------------------------------------------------------

def take(user, case: Case) -> Case:
    return apply_transition(case, "take", user_actor(user), now=utcnow())


def convoke(user, case: Case, *, hearing_at: dt.datetime | None, place) -> Case:
    if hearing_at is None or hearing_at <= utcnow():
        raise InvalidCase(_("La rencontre doit avoir lieu à une date et une heure à venir."))
    place = _text(place, _("Indiquez le lieu de la rencontre."), limit=200)
    return apply_transition(case, "convoke", user_actor(user), hearing_at=hearing_at,
                            place=place, now=utcnow())


def hold_hearing(user, case: Case, *, heard_on: dt.date | None, attendees,
                 representative_present: bool, person_version) -> Case:
    if heard_on is None or heard_on > today() or heard_on < case.facts_on:
        raise InvalidCase(_("La date de la rencontre doit être passée et suivre les faits."))
    attendees = _text(attendees, _("Indiquez qui était présent."), limit=1000)
    person_version = _text(person_version, _("Consignez la version de la personne, dans ses "
                                             "mots (ou son refus de s'exprimer)."))
    return apply_transition(case, "hold_hearing", user_actor(user), heard_on=heard_on,
                            attendees=attendees, person_version=person_version,
                            representative_present=bool(representative_present))


def prior_sanctions(case: Case) -> list[Case]:
    """The person's sanctions that still count today, this case aside."""
    return [c for c in counting_cases([case.person_id], today()) if c.id != case.id]


def _standing_level(prior: Case) -> SanctionLevel:
    from hr_social.discipline.amnesty import _grievances, effective_level

    return effective_level(prior, _grievances([prior.id]).get(prior.id))


def proposed_step(case: Case) -> SanctionLevel | None:
    """Progressive discipline: the rung after the highest sanction that still counts."""
    steps = [lv for lv in ladder() if lv.counts]
    if not steps:
        return None
    reached = max((_standing_level(p).rank for p in prior_sanctions(case)), default=None)
    if reached is None:
        return steps[0]
    return next((lv for lv in steps if lv.rank > reached), steps[-1])


def decide(user, case: Case, *, level_id, gravity, suspension_days=None, justification=None,
           no_hearing_reason=None, decision_text=None, cited_ids=()) -> Case:
    """HR decides, or proposes a dismissal to the DG (a level that requires the DG)."""
    if case.state not in CASE_WORKFLOW.transition("decide").sources:
        apply_transition(case, "decide", user_actor(user))  # says who acted first
    level = row_by_id(SanctionLevel, level_id)
    if level is None or not level.is_active:
        raise InvalidCase(_("Choisissez une sanction de l'échelle en vigueur."))
    if gravity not in GRAVITIES:
        raise InvalidCase(_("Indiquez la gravité de la faute."))
    if level.requires_days and not 1 <= int(suspension_days or 0) <= MAX_SUSPENSION_DAYS:
        raise InvalidCase(_("Une suspension sans solde exige un nombre de jours (1 à "
                            "%(max)d).", max=MAX_SUSPENSION_DAYS))
    proposed = proposed_step(case)
    harsher = level.counts and proposed is not None and level.rank > proposed.rank
    justification = _text(justification, "", required=False)
    if harsher and not justification:
        raise InvalidCase(_("La sanction choisie dépasse l'étape proposée (%(step)s) : "
                            "justifiez-la par la gravité de la faute.", step=proposed.label))
    cited = _check_citations(case, cited_ids)
    name = "propose_dismissal" if level.requires_dg else "decide"
    apply_transition(case, name, user_actor(user), level=level, gravity=gravity,
                     suspension_days=int(suspension_days) if suspension_days else None,
                     proposed=proposed, justification=justification if harsher else None,
                     no_hearing_reason=_text(no_hearing_reason, "", required=False),
                     decision_text=_text(decision_text, "", required=False), now=utcnow())
    db.session.add_all(Citation(case_id=case.id, cited_case_id=c) for c in cited)
    db.session.flush()
    return case


def _check_citations(case: Case, cited_ids) -> list[int]:
    try:
        wanted = sorted({int(i) for i in cited_ids or ()})
    except (TypeError, ValueError):
        wanted = [-1]
    counting = {c.id for c in prior_sanctions(case)}
    for case_id in wanted:
        if case_id not in counting:
            raise InvalidCase(_("Le dossier n° %(id)s ne peut pas être cité : sa sanction est "
                                "amnistiée, annulée ou d'une autre personne.", id=case_id))
    return wanted


def decide_dismissal(user, case: Case) -> Case:
    return apply_transition(case, "decide_dismissal", actor_for(user), now=utcnow())


def refuse_dismissal(user, case: Case, reason) -> Case:
    reason = _text(reason, _("Expliquez aux Ressources humaines pourquoi le congédiement "
                             "n'est pas retenu."))
    apply_transition(case, "refuse_dismissal", actor_for(user))
    add_entry(user, case, "note", text=reason)
    return case


def notify(user, case: Case, *, notified_on: dt.date | None, method) -> Case:
    if method not in DELIVERY_METHODS:
        raise InvalidCase(_("Indiquez comment la décision a été remise."))
    decided_on = local_date(case.decided_at) if case.decided_at else case.facts_on
    if notified_on is None or notified_on > today() or notified_on < decided_on:
        raise InvalidCase(_("La date de remise doit être passée et suivre la décision."))
    return apply_transition(case, "notify", user_actor(user), notified_on=notified_on,
                            method=method)


def close(user, case: Case) -> Case:
    return apply_transition(case, "close", user_actor(user), now=utcnow())


def close_without_sanction(user, case: Case, reason) -> Case:
    reason = _text(reason, _("Indiquez pourquoi le dossier est fermé sans sanction."))
    return apply_transition(case, "close_without_sanction", user_actor(user), reason=reason,
                            now=utcnow())


def person_choices_for(user):
    """People a user may log an incident about (the form's list)."""
    statement = select(Person).where(Person.is_active.is_(True))
    if not user.has_role("hr"):
        statement = statement.where(Person.id.in_(Person.team_ids_query(user.person_id or -1)))
    return db.session.scalars(statement.order_by(Person.last_name, Person.first_name)).all()
