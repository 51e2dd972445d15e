"""The words of this domain's audit entries, registered with ``audit.sentences``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import register_actions

register_actions("consents", _l("Consentements de la clientèle"), {
    "consent.recorded": _l("Consentement consigné"),
    "consent.form_printed": _l("Formulaire de consentement imprimé"),
    "consent.signed": _l("Consentement signé"),
    "consent.viewed": _l("Consentement consulté"),
    "consent.withdrawn": _l("Retrait du consentement consigné"),
    "consent.purged": _l("Consentement purgé (trace anonyme conservée)"),
    "consent_publication.recorded": _l("Publication consignée"),
    "consent_takedown.listed": _l("Publication à retirer"),
    "consent_takedown.removed": _l("Publication retirée"),
    "consent_takedown.hr_notified": _l("Ressources humaines avisées d'un retrait en retard"),
})
