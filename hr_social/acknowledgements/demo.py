"""Demo: a short summary of a social-media policy, written for the demo (not the real text)."""

from __future__ import annotations

from hr_social.acknowledgements import policy_services
from hr_social.clock import local_today
from hr_social.demo import DemoContext, demo_seeder

DEMO_BODY = """## 1 Objet

Ce résumé de démonstration présente les grandes lignes d'une politique municipale sur les
médias sociaux. Il ne remplace pas le texte adopté.

## 2 Personnes visées

Toute personne qui travaille pour la municipalité, rémunérée ou non.

## 3 Engagements

### 3.1 Ce que je publie

Je reste responsable de mes publications, même sur un compte personnel.

### 3.2 Comptes officiels

Seules les personnes désignées gèrent les comptes de la municipalité.

### 3.3 Renseignements personnels

Je ne diffuse rien de personnel ou de confidentiel sans consentement écrit.

## 4 Manquements

Les mesures sont graduées selon la gravité.
"""

DEMO_KEY_POINTS = """3.1 | Je réponds de ce que je publie.
3.2 | Je ne touche pas aux comptes officiels sans approbation.
3.3 | Je protège les renseignements personnels et confidentiels."""


@demo_seeder(60)
def seed_policy(context: DemoContext) -> None:
    actor = context.users.get("hr")
    version = policy_services.create_version(
        actor, title="Politique sur les médias sociaux (résumé de démonstration)",
        version_label="démo-1", effective_date=local_today(), body=DEMO_BODY,
        key_points=DEMO_KEY_POINTS, source_name="démo")
    policy_services.publish_version(actor, version)


# A 1×1 white PNG: the demo's stand-in for the scan of a paper copy.
DEMO_SCAN = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4830000000049454e44ae426082")


@demo_seeder(61)
def seed_paper_copies(context: DemoContext) -> None:
    """A campaign under way: part of each service signed on paper (each service at its own
    pace, so the home's chart has something to show), one refusal to follow up. The demo
    logins keep their own acknowledgement to sign."""
    import io

    from sqlalchemy import select
    from werkzeug.datastructures import FileStorage

    from hr_social.acknowledgements import services
    from hr_social.acknowledgements.models import Acknowledgement, AckStatus
    from hr_social.db import db
    from hr_social.people.models import Person

    hr = context.users.get("hr")
    if hr is None:
        return
    logins = {user.person_id for user in context.users.values()}
    pending = db.session.scalars(
        select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
        .where(Acknowledgement.status == AckStatus.pending, Person.is_active.is_(True))
        .order_by(Acknowledgement.id)).all()
    pace = {}
    refused = False
    for ack in pending:
        if ack.person_id in logins:
            continue
        share = pace.setdefault(ack.person.service_id, context.rng.choice((.2, .45, .6, .8, .95)))
        if not refused and context.rng.random() < .05:
            services.record_refusal(hr, ack, refused_on=local_today(), witness="Chef d'équipe",
                                    note="Souhaite en discuter avec son syndicat.")
            refused = True
        elif context.rng.random() < share:
            scan = FileStorage(io.BytesIO(DEMO_SCAN), "copie-signee.png", content_type="image/png")
            services.record_paper(hr, ack, signed_on=local_today(), scan_file=scan)
