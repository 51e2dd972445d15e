import datetime as dt

import pytest

from hr_social.acknowledgements import policy_services
from hr_social.db import db

BODY = """## 1 Objet

Texte d'essai écrit pour les tests, avec des accents : « é à ç ».

## 2 Engagements

### 2.1 Publications

Je réponds de mes publications.
"""


@pytest.fixture
def published(app, make_user):
    """A published version; returns a function giving (campaign, version)."""

    def factory(label="v1", body=BODY, actor=None):
        actor = actor or make_user("hr")
        version = policy_services.create_version(
            actor, title="Politique d'essai", version_label=label,
            effective_date=dt.date(2026, 1, 5), body=body,
            key_points="2.1 | Je réponds de ce que je publie.")
        campaign = policy_services.publish_version(actor, version)
        db.session.commit()
        return campaign

    return factory
