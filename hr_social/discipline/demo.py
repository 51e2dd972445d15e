"""Demo data: about thirty cases in every state, amnestied ones and a grievance.
The words are written for the demo (no sentence of the customer's policy)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from hr_social.db import db, utcnow
from hr_social.demo import DemoContext, demo_seeder
from hr_social.discipline import services as ops
from hr_social.discipline.amnesty import sweep
from hr_social.discipline.catalogue import (
    clauses_for,
    ladder,
    policy_version_model,
    today,
    version_in_force,
)
from hr_social.discipline.followups import record_grievance
from hr_social.discipline.letters import issue_letter
from hr_social.people.models import Person

OLD_BODY = (
    "## 3 Conduite en ligne\n\nTexte de démonstration d'une version antérieure.\n\n"
    "## 3.1 Respect\n\nRester courtois envers les collègues et les citoyens.\n\n"
    "## 3.2 Image de la Ville\n\nDemander l'autorisation avant d'utiliser le logo.\n\n"
    "## 3.3 Comptes officiels\n\nFaire approuver les changements aux comptes.\n\n"
    "## 3.4 Renseignements\n\nNe jamais publier de renseignements confidentiels.\n\n"
    "## 4 Accès\n\nObtenir l'approbation avant d'ouvrir un accès.\n"
)

INCIDENTS = (
    ("Page Facebook du service", "Commentaire moqueur au sujet d'un collègue sous une "
     "publication de la Ville."),
    ("Compte X personnel", "Message accusant un élu de malhonnêteté, sans fondement."),
    ("Groupe Facebook du quartier", "Photo d'un dossier de citoyen visible à l'écran."),
    ("Instagram de la bibliothèque", "Logo de la Ville repris sur une affiche personnelle."),
    ("LinkedIn", "Présentation comme porte-parole de la Ville sans mandat."),
    ("Compte YouTube officiel", "Description de la chaîne modifiée sans approbation."),
    ("TikTok personnel", "Vidéo tournée au comptoir montrant des citoyens reconnaissables."),
    ("Blogue personnel", "Annonce d'un projet municipal non encore adopté, présentée comme "
     "décidée."),
)

# (state to reach, how many)
PLAN = (("reported", 4), ("investigating", 4), ("convoked", 3), ("heard", 3),
        ("dismissal_proposed", 2), ("decided", 4), ("notified", 5), ("amnestied", 3),
        ("closed_no_sanction", 2))


def _old_version(today: dt.date):
    start = today.replace(year=today.year - 4, month=1, day=1)
    found = version_in_force(start)
    if found is not None:
        return found
    model = policy_version_model()
    published = utcnow().replace(year=start.year)
    version = model(title="Politique d'utilisation des médias sociaux",
                    version_label="démo-0 (antérieure)", effective_date=start, body=OLD_BODY,
                    published_at=published, created_at=published,
                    content_sha256=hashlib.sha256(OLD_BODY.encode()).hexdigest())
    db.session.add(version)
    db.session.flush()
    return version


@demo_seeder(70)
def seed_discipline(ctx: DemoContext) -> None:
    hr, dg, manager = ctx.users.get("hr"), ctx.users.get("dg"), ctx.users.get("manager")
    if hr is None or dg is None or manager is None:
        return
    day = today()
    clauses = clauses_for(_old_version(day))
    ladder()
    team_ids = set(db.session.scalars(Person.team_ids_query(manager.person_id)).all())
    busy = {u.person_id for u in ctx.users.values()}
    people = [p for p in db.session.scalars(select(Person).where(Person.is_active.is_(True))
                                            .order_by(Person.id)) if p.id not in busy]
    ctx.rng.shuffle(people)
    team = [p for p in people if p.id in team_ids]
    others = [p for p in people if p.id not in team_ids]
    number = 0
    for state, count in PLAN:
        for _ in range(count):
            from_team = bool(team) and number % 3 == 0
            person = (team if from_team else others).pop()
            reporter = manager if from_team else hr
            if state == "notified" and number == 20 and "employee" in ctx.users:
                # The demo employee has a decision of their own to read (and their file).
                person, reporter = ctx.users["employee"].person, hr
            _seed_case(ctx, number, state, person, reporter, hr, dg, clauses, day)
            number += 1
    sweep(day)


def _seed_case(ctx, number, state, person, reporter, hr, dg, clauses, day):
    place, facts = INCIDENTS[number % len(INCIDENTS)]
    back = 800 + 20 * number if state == "amnestied" else 10 + 4 * number
    confidential = state == "reported" and number == 3 and "employee" in ctx.users
    case = ops.report_incident(
        ctx.users["employee"] if confidential else reporter, person,
        facts_on=day - dt.timedelta(days=back), place=place, facts=facts,
        clause_ids=[clauses[number % len(clauses)].id], confidential=confidential,
        witnesses=[ops.Witness(name="Témoin de démonstration")] if number % 4 == 0 else ())
    if state == "reported":
        return
    ops.take(hr, case)
    if state == "closed_no_sanction":
        ops.close_without_sanction(hr, case, "Les faits n'ont pas pu être établis.")
        return
    if state in ("convoked", "heard") or number % 2 == 0 and state != "investigating":
        ops.convoke(hr, case, hearing_at=utcnow() + dt.timedelta(days=1 + number % 6),
                    place="Salle des ressources humaines, hôtel de ville")
    if state == "heard" or (case.state == "convoked" and state not in ("convoked",)):
        ops.hold_hearing(hr, case, heard_on=day, attendees="RH, la personne, son délégué",
                         representative_present=True,
                         person_version="La personne reconnaît les faits et s'excuse.")
    if state in ("investigating", "convoked", "heard"):
        return
    if state == "dismissal_proposed":
        dismissal = next(lv for lv in ladder() if lv.requires_dg)
        ops.decide(hr, case, level_id=dismissal.id, gravity="very_serious",
                   justification="Divulgation délibérée de renseignements de citoyens.",
                   no_hearing_reason="La personne a refusé de se présenter.")
        return
    step = ops.proposed_step(case)
    ops.decide(hr, case, level_id=step.id, gravity="moderate", suspension_days=
               2 if step.requires_days else None,
               no_hearing_reason="La personne n'a pu être jointe malgré trois tentatives.")
    if state == "decided":
        return
    notified_on = case.facts_on + dt.timedelta(days=10) if state == "amnestied" else day
    ops.notify(hr, case, notified_on=max(notified_on, day), method="hand")
    if state == "notified":
        issue_letter(hr, case, "decision")
    if state == "notified" and number == 24:
        record_grievance(hr, case, filed_on=day, number="SCFP-2026-014")
    if state == "amnestied":
        ops.close(hr, case)
