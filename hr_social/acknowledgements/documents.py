"""The acknowledgement letter (``templates/pdf/acknowledgement.html``) and how the public
verification page describes an acknowledgement's documents (``hr_social.documents``)."""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social.acknowledgements.models import Acknowledgement
from hr_social.db import db
from hr_social.documents import services as official
from hr_social.documents.letter import render_letter
from hr_social.documents.models import IssuedDocument
from hr_social.documents.registry import Description, register_subject

SUBJECT_TYPE = "acknowledgement"

# Key obligations in this project's own words, used when a version gives none.
DEFAULT_OBLIGATIONS = [
    ("3.2", "Je réponds personnellement de ce que je publie sur les médias sociaux."),
    ("3.2.1", "Je n'utilise pas le logo de la Municipalité sans autorisation préalable."),
    ("3.3", "Je ne modifie pas un compte officiel de la Municipalité sans approbation."),
    ("3.4", "Je ne diffuse aucun renseignement personnel ou confidentiel sans consentement "
            "écrit, ni contenu faux ou trompeur."),
    ("4", "L'accès aux médias sociaux depuis mon poste suit l'approbation de la "
          "direction et peut être limité en tout temps."),
    ("5", "Un manquement peut mener à des mesures allant de la réprimande au congédiement."),
]


def issue(ack: Acknowledgement, kind: str) -> IssuedDocument:
    return official.issue(SUBJECT_TYPE, ack.id, kind)


def acknowledgement_html(ack: Acknowledgement, document: IssuedDocument, *,
                         organisation: dict | None = None, evidence: dict | None = None) -> str:
    version = ack.campaign.policy_version
    return render_letter(
        "pdf/acknowledgement.html", document, organisation=organisation, ack=ack,
        person=ack.person, version=version,
        obligations=version.obligations or DEFAULT_OBLIGATIONS, evidence=evidence)


def _describe(document: IssuedDocument) -> Description | None:
    ack = db.session.get(Acknowledgement, document.subject_id)
    if ack is None:
        return None
    label = _("Accusé signé électroniquement et scellé.") if document.kind == "signed" \
        else _("Accusé imprimé pour être signé sur papier.")
    return Description(title=str(ack.campaign.policy_version), person=ack.person.full_name,
                       label=label)


register_subject(SUBJECT_TYPE, describe=_describe)
