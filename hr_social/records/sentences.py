"""The words of the records registers' audit entries, registered with ``audit.sentences``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import register_actions

register_actions("records", _l("Dossiers et renseignements personnels"), {
    "person_file.opened": _l("Dossier de la personne consulté"),
    "records.disposed": _l("Document détruit ou anonymisé selon le calendrier de conservation"),
    "records_rule.changed": _l("Règle de conservation modifiée"),
    "records_hold.placed": _l("Mise sous garde légale"),
    "records_hold.lifted": _l("Garde légale levée"),
    "records_incident.recorded": _l("Incident de confidentialité consigné"),
    "records_request.recorded": _l("Demande d'accès ou de rectification consignée"),
    "records_request.extended": _l("Délai de réponse prolongé de 10 jours"),
    "records_request.exported": _l("Réponse exportée en PDF"),
    "records_request.answered": _l("Réponse envoyée"),
    "records_request.correction_recorded": _l("Rectification consignée"),
    "records_request.reminded": _l("Rappel d'échéance envoyé aux Ressources humaines"),
})
