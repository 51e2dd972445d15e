"""The words of this domain's audit entries, registered with ``audit.sentences``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import register_actions, register_fields

register_actions("organisation", _l("Organisation"), {
    "organisation.updated": _l("Paramètres de l'organisation modifiés"),
})
register_fields("organisation_settings", {
    "name": _l("Nom"), "address": _l("Adresse"), "email_domain": _l("Domaine de courriel"),
    "logo_id": _l("Logo")})
