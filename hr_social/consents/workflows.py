"""The consent's states on the shared workflow mechanism.

unsigned → signed (on paper: the scan of the printed form; on screen: the drawn signature,
sealed PDF) → withdrawn (by the person, recorded by the collector or communications); any of
them → purged (the retention command, system only).
"""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social.consents.models import STATES, Consent
from hr_social.workflow import CONFLICT_MASCULINE, Transition, Workflow

COLLECTOR = "collector"  # the employee who collected the consent
RECORDERS = (COLLECTOR, "communications")


def _relations(consent, user) -> set[str]:
    if user is not None and getattr(user, "id", None) == consent.collected_by_id:
        return {COLLECTOR}
    return set()


def _signed_values(consent, actor, data):
    return {key: data[key] for key in ("method", "signed_at", "signed_place", "signature_id",
                                       "signed_pdf_id", "scan_id", "document_sha256")
            if key in data}


def _withdrawal_values(consent, actor, data):
    return {"withdrawn_on": data["withdrawn_on"], "withdrawal_way": data["way"],
            "withdrawal_recorded_by_id": actor.user.id if actor.user else None}


def _after_withdrawal(consent, actor, data):
    data["list_takedowns"](consent)


def _purge_values(consent, actor, data):
    return data["blanked"]


CONSENT_WORKFLOW = Workflow(
    name="consent",
    model=Consent,
    states=STATES,
    relations=_relations,
    label=lambda obj: _("Le consentement n° %(id)s", id=obj.id),
    conflict_message=CONFLICT_MASCULINE,
    transitions=[
        Transition("sign_on_paper", ("unsigned",), "signed", RECORDERS,
                   values=_signed_values, audit_fields=("method",), verb="signed"),
        Transition("sign_on_screen", ("unsigned",), "signed", RECORDERS,
                   values=_signed_values, audit_fields=("method",), verb="signed"),
        Transition("withdraw", ("unsigned", "signed"), "withdrawn", RECORDERS,
                   values=_withdrawal_values, after=_after_withdrawal,
                   audit_fields=("withdrawn_on", "withdrawal_way"), verb="withdrawn"),
        Transition("purge", ("unsigned", "signed", "withdrawn"), "purged", ("system",),
                   values=_purge_values, verb="purged"),
    ],
)
Consent.workflow = CONSENT_WORKFLOW
