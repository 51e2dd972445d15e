"""The words of this domain's audit entries (registered with ``audit.sentences``, which
renders every entry) and a request's timeline: what happened, to which platform, who did it
(in whose name), and what changed — no internal action codes or column names."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.access_requests.models import (
    CATEGORIES,
    ITEM_STATES,
    OUTCOMES,
    RECOMMENDATIONS,
    REQUEST_STATES,
)
from hr_social.audit.models import AuditEvent
from hr_social.audit.sentences import labelled, register_actions, register_fields, sentence
from hr_social.db import db

ACTION_LABELS = {
    "access_request.created": _l("Demande créée"),
    "access_request.edited": _l("Brouillon modifié"),
    "access_request.submitted": _l("Demande soumise à la Direction générale"),
    "access_request.withdrawn": _l("Demande retirée"),
    "access_request.recommended": _l("Recommandation du gestionnaire ajoutée"),
    "access_request.decided": _l("Décision rendue"),
    "access_request.lapsed": _l("Demande fermée sans décision"),
    "access_request.flagged_overdue": _l("Demande signalée en retard à la Direction générale"),
    "access_grant.granted": _l("Accès accordé"),
    "access_grant.refused": _l("Accès refusé"),
    "access_grant.restricted": _l("Accès restreint"),
    "access_grant.revoked": _l("Accès révoqué"),
    "access_grant.renewed": _l("Accès renouvelé"),
    "access_grant.renewal_proposed": _l("Renouvellement proposé à la Direction générale"),
    "access_grant.renewal_declined": _l("Renouvellement proposé non retenu"),
    "access_grant.expired": _l("Accès échu"),
    "access_grant.flagged_for_review": _l("Accès signalé pour révision"),
    "access_grant.expiry_notified": _l("Avis d'échéance envoyé"),
}
# Entries written before the names became <entity>.<past participle> keep their old action
# (the audit trail is never rewritten): they read with the same words.
OLD_ACTIONS = {
    "access_request.submit": "access_request.submitted",
    "access_request.withdraw": "access_request.withdrawn",
    "access_request.decide": "access_request.decided",
    "access_request.lapse": "access_request.lapsed",
    "access_grant.restrict": "access_grant.restricted",
    "access_grant.revoke": "access_grant.revoked",
    "access_grant.renew": "access_grant.renewed",
    "access_grant.renew_restricted": "access_grant.renewed",
    "access_grant.expire": "access_grant.expired",
    "access_item.expiry_notice_sent": "access_grant.expiry_notified",
}


FIELD_LABELS = {
    "state": _l("Statut"),
    "outcome": _l("Décision"),
    "decision_note": _l("Note de décision"),
    "purpose": _l("Usage prévu"),
    "platforms": _l("Plateformes"),
    "wished_until": _l("Fin souhaitée"),
    "other_devices": _l("Autres appareils"),
    "recommendation": _l("Recommandation"),
    "recommendation_opinion": _l("Avis du gestionnaire"),
    "flagged_at": _l("Signalée le"),
    "review_on": _l("Date de révision"),
    "conditions": _l("Conditions"),
    "refusal_reason": _l("Motif du refus"),
    "end_reason": _l("Raison"),
    "review_reason": _l("Motif de révision"),
}


ACTION_LABELS.update({
    "platform.added": _l("Plateforme ajoutée"),
    "platform.updated": _l("Plateforme modifiée"),
    "platform.retired": _l("Plateforme retirée"),
    "dg_delegation.named": _l("Délégué·e de la Direction générale nommé·e"),
    "dg_delegation.cancelled": _l("Délégation de la Direction générale annulée"),
})
register_actions("access_requests", _l("Demandes d'accès"), ACTION_LABELS, aliases=OLD_ACTIONS)
register_fields("access_requests", FIELD_LABELS, values={
    "state": labelled(REQUEST_STATES), "outcome": labelled(OUTCOMES),
    "recommendation_opinion": labelled(RECOMMENDATIONS)})
register_fields("access_items", {
    **FIELD_LABELS,
    "expiry_notified_on": _l("Avis d'échéance envoyé le"),
    "renewal_proposed_on": _l("Renouvellement proposé jusqu'au"),
    "renewal_decision_note": _l("Note sur le renouvellement"),
}, values={"state": labelled(ITEM_STATES)})
register_fields("platforms", {"name": _l("Nom"), "category": _l("Catégorie"),
                              "address_pattern": _l("Adresse"), "is_active": _l("Active")},
                values={"category": labelled(CATEGORIES)})
register_fields("dg_delegations", {"delegate": _l("Délégué·e"), "starts_on": _l("Du"),
                                   "ends_on": _l("Au"), "cancelled_at": _l("Annulée le")})


@dataclass
class Entry:
    event: AuditEvent
    label: str
    subject: str | None  # the platform access an item event is about
    changes: list[tuple[str, object, object]]


def _entry(event: AuditEvent, platform_of: dict[str, str]) -> Entry:
    on_item = event.target_type == "access_items"
    words = sentence(event, check=False)  # the request's page is shown to its readers only
    return Entry(event, words.label, platform_of.get(event.target_id) if on_item else None,
                 words.changes)


def timeline_for(access_request) -> list[Entry]:
    platform_of = {str(i.id): i.platform.name for i in access_request.items}
    item_ids = list(platform_of)
    events = db.session.scalars(select(AuditEvent).where(
        ((AuditEvent.target_type == "access_requests")
         & (AuditEvent.target_id == str(access_request.id)))
        | ((AuditEvent.target_type == "access_items") & AuditEvent.target_id.in_(item_ids))
    ).order_by(AuditEvent.id)).all()
    return [_entry(e, platform_of) for e in events]
