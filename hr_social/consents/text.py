"""The text a person consents to: built from the consent's details when it is recorded, then
frozen on the consent with its SHA-256 (a later change of this wording changes no consent
already given). Printed on the form and shown on the tablet, word for word.

French written for this application (not the policy's sentences).
"""

from __future__ import annotations

import hashlib

from hr_social.consents.models import AUTHORIZERS, CATEGORIES, KINDS

WORDING_VERSION = "2026-1"


def _date(day) -> str:
    return day.isoformat() if day else ""


def build_text(*, organisation: str, person_name: str, category: str, is_minor: bool,
               guardian_name: str | None, guardian_relationship: str | None, kind: str,
               description: str, purpose: str, channel_labels: list[str], valid_from,
               valid_until, authorized_by: str | None = None, authorizer_name: str | None = None,
               disclosed_what: str | None = None, disclosed_to: str | None = None,
               disclosure_until=None) -> str:
    who = person_name
    if is_minor:
        who = (f"{guardian_name}, {guardian_relationship or 'parent ou tuteur'} de "
               f"{person_name} (personne mineure)")
    lines = [
        f"Consentement écrit à la diffusion — version du texte {WORDING_VERSION}",
        "",
        f"Je soussigné·e, {who}, ({str(CATEGORIES.get(category, category)).lower()}), "
        f"autorise {organisation} à diffuser le contenu décrit ci-dessous, uniquement pour "
        "l'usage, sur les canaux et pendant la période indiqués.",
        "",
        f"Genre de contenu : {KINDS.get(kind, kind)}",
        f"Description : {description}",
        f"Usage prévu : {purpose}",
        "Canaux permis : " + "; ".join(channel_labels),
        f"Valide à compter du {_date(valid_from)}, "
        + (f"jusqu'au {_date(valid_until)}." if valid_until
           else "jusqu'à ce que je le retire."),
    ]
    if kind == "confidential":
        lines += [
            "",
            "Renseignement confidentiel : la divulgation est autorisée par "
            f"{str(AUTHORIZERS.get(authorized_by, '')).lower()}"
            + (f" ({authorizer_name})" if authorizer_name else "") + ".",
            f"Ce qui peut être divulgué : {disclosed_what}",
            f"À qui : {disclosed_to}",
            f"Jusqu'au : {_date(disclosure_until)}",
        ]
    lines += [
        "",
        "Je comprends que je peux retirer ce consentement en tout temps en avisant la "
        "Municipalité ; les publications qui en dépendent seront alors retirées. Mes "
        "renseignements sont conservés pour la durée de validité, puis effacés après le délai "
        "de conservation ; seule une trace anonyme est gardée.",
    ]
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
