"""The words of this domain's audit entries (registered with ``audit.sentences``) and a
request's timeline, from the audit trail, in words (no internal action codes)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import labelled, register_actions, register_fields, sentence
from hr_social.audit.services import events_for
from hr_social.communications.models import (
    ACCOUNT_STATUSES,
    CHANGE_KINDS,
    CHANGE_STATES,
    LOGO_STATES,
    MEDIA,
)

_SHARED = {
    "created": _l("Demande présentée"),
    "changes_requested": _l("Modifications demandées"),
    "resubmitted": _l("Demande modifiée et soumise de nouveau"),
    "escalated": _l("Transmise à la Direction générale"),
    "refused": _l("Demande refusée"),
    "withdrawn": _l("Demande retirée"),
}
# Entries written before the verbs became past participles keep their old action.
_OLD_VERBS = {"request_changes": "changes_requested", "resubmit": "resubmitted",
              "escalate": "escalated", "refuse": "refused", "withdraw": "withdrawn"}

LOGO_LABELS = {
    **{f"logo_authorization.{verb}": label for verb, label in _SHARED.items()},
    "logo_authorization.authorized": _l("Usage du logo autorisé"),
    "logo_authorization.expired": _l("Autorisation d'usage du logo échue"),
    "logo_authorization.expiry_notice_sent": _l("Avis d'échéance envoyé"),
}
CHANGE_LABELS = {
    **{f"account_change.{verb}": label for verb, label in _SHARED.items()},
    "account_change.approved": _l("Modification approuvée"),
    "account_change.carried_out": _l("Modification réalisée"),
}
ACCOUNT_LABELS = {
    "official_account.added": _l("Compte officiel inscrit au registre"),
    "official_account.updated": _l("Compte officiel modifié"),
    "official_account.status_changed": _l("Statut du compte officiel changé"),
    "official_account.administrator_added": _l("Administrateur·rice ajouté·e au compte"),
    "official_account.administrator_removed": _l("Administrateur·rice retiré·e du compte"),
    "official_account.administrator_departed": _l(
        "Administrateur·rice retiré·e du compte à son départ"),
}
OLD_ACTIONS = {
    **{f"{prefix}.{old}": f"{prefix}.{new}" for prefix in ("logo_authorization", "account_change")
       for old, new in _OLD_VERBS.items()},
    "logo_authorization.authorize": "logo_authorization.authorized",
    "logo_authorization.expire": "logo_authorization.expired",
    "account_change.approve": "account_change.approved",
    "account_change.mark_done": "account_change.carried_out",
}
register_actions("communications", _l("Communications"),
                 {**LOGO_LABELS, **CHANGE_LABELS, **ACCOUNT_LABELS}, aliases=OLD_ACTIONS)

_REQUEST_FIELDS = {
    "decision_note": _l("Note de décision"),
    "changes_note": _l("Modifications demandées"),
    "escalation_note": _l("Note de transmission"),
    "round": _l("Version"),
    "valid_until": _l("Valide jusqu'au"),
    "expiry_notified_on": _l("Avis d'échéance envoyé le"),
}
register_fields("logo_authorizations", {
    **_REQUEST_FIELDS, "purpose": _l("Objet"), "medium": _l("Support"),
    "account_id": _l("Compte officiel"), "medium_detail": _l("Précisions sur le support"),
    "audience": _l("Public visé"), "starts_on": _l("Début"), "ends_on": _l("Fin")},
    values={"state": labelled(LOGO_STATES), "medium": labelled(MEDIA)})
register_fields("account_change_requests", {
    **_REQUEST_FIELDS, "kind": _l("Genre de modification"),
    "proposed_text": _l("Contenu proposé"), "wanted_on": _l("Date souhaitée"),
    "account_id": _l("Compte officiel"), "administrator_id": _l("Administrateur·rice"),
    "new_platform_id": _l("Plateforme"), "new_display_name": _l("Nom du compte"),
    "new_url": _l("Adresse"), "new_service_id": _l("Service gestionnaire"),
    "result": _l("Résultat"), "result_url": _l("Adresse du résultat")},
    values={"state": labelled(CHANGE_STATES), "kind": labelled(CHANGE_KINDS)})
register_fields("official_accounts", {
    "platform_id": _l("Plateforme"), "display_name": _l("Nom du compte"), "url": _l("Adresse"),
    "managing_service_id": _l("Service gestionnaire"), "description": _l("Description"),
    "administrator": _l("Administrateur·rice")},
    values={"status": labelled(ACCOUNT_STATUSES)})


@dataclass
class Entry:
    event: object
    label: str
    note: str | None


def timeline_for(obj) -> list[Entry]:
    entries = []
    for event in events_for(obj.__tablename__, obj.id):
        words = sentence(event, check=False)  # the request's page is shown to its readers
        after = event.after or {}
        note = after.get("changes_note") or after.get("decision_note") or after.get(
            "escalation_note") or after.get("result")
        created = event.action.endswith(".created")
        entries.append(Entry(event, words.label, None if created else note))
    return entries
