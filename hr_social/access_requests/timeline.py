"""A request's timeline, from the audit trail, in words: what happened, to which platform,
who did it (in whose name), and what changed — no internal action codes or column names."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.access_requests.models import (
    ITEM_STATES,
    OUTCOMES,
    RECOMMENDATIONS,
    REQUEST_STATES,
)
from hr_social.audit.models import AuditEvent
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


def action_label(action: str) -> str:
    action = OLD_ACTIONS.get(action, action)
    return str(ACTION_LABELS.get(action, action))


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


@dataclass
class Entry:
    event: AuditEvent
    label: str
    subject: str | None  # the platform access an item event is about
    changes: list[tuple[str, object, object]]


def _value(field: str, value, states: dict):
    if value is None or value == "":
        return None
    if field == "state":
        return str(states.get(value, value))
    if field == "outcome":
        return str(OUTCOMES.get(value, value))
    if field == "recommendation_opinion":
        return str(RECOMMENDATIONS.get(value, value))
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _entry(event: AuditEvent, platform_of: dict[str, str]) -> Entry:
    on_item = event.target_type == "access_items"
    states = ITEM_STATES if on_item else REQUEST_STATES
    changes = [(str(FIELD_LABELS.get(field, field)), _value(field, before, states),
                _value(field, after, states)) for field, before, after in event.changes()]
    return Entry(event, action_label(event.action),
                 platform_of.get(event.target_id) if on_item else None,
                 [c for c in changes if c[1] != c[2]])


def timeline_for(access_request) -> list[Entry]:
    platform_of = {str(i.id): i.platform.name for i in access_request.items}
    item_ids = list(platform_of)
    events = db.session.scalars(select(AuditEvent).where(
        ((AuditEvent.target_type == "access_requests")
         & (AuditEvent.target_id == str(access_request.id)))
        | ((AuditEvent.target_type == "access_items") & AuditEvent.target_id.in_(item_ids))
    ).order_by(AuditEvent.id)).all()
    return [_entry(e, platform_of) for e in events]
