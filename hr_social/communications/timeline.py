"""A request's timeline, from the audit trail, in words (no internal action codes)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from hr_social.audit.services import events_for

ACTION_LABELS = {
    "created": _l("Demande présentée"),
    "request_changes": _l("Modifications demandées"),
    "resubmit": _l("Demande modifiée et soumise de nouveau"),
    "escalate": _l("Transmise à la Direction générale"),
    "authorize": _l("Usage du logo autorisé"),
    "approve": _l("Modification approuvée"),
    "refuse": _l("Demande refusée"),
    "withdraw": _l("Demande retirée"),
    "expire": _l("Autorisation échue"),
    "expiry_notice_sent": _l("Avis d'échéance envoyé"),
    "mark_done": _l("Modification réalisée"),
}


@dataclass
class Entry:
    event: object
    label: str
    note: str | None


def timeline_for(obj) -> list[Entry]:
    entries = []
    for event in events_for(obj.__tablename__, obj.id):
        verb = event.action.split(".", 1)[-1]
        after = event.after or {}
        note = after.get("changes_note") or after.get("decision_note") or after.get(
            "escalation_note") or after.get("result")
        entries.append(Entry(event, str(ACTION_LABELS.get(verb, event.action)),
                             note if verb != "created" else None))
    return entries
