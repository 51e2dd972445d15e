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
