"""The words of this domain's audit entries (sign-in, two-factor, login links), registered
with ``audit.sentences``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import register_actions, register_fields

register_actions("auth", _l("Connexions et sécurité"), {
    "user.logged_in": _l("Connexion"),
    "user.logged_out": _l("Déconnexion"),
    "user.login_failed": _l("Connexion refusée : mot de passe ou nom d'utilisateur incorrect"),
    "user.directory_sign_in_refused": _l("Connexion par l'annuaire refusée"),
    "user.reauth_failed": _l("Confirmation du mot de passe refusée"),
    "user.password_changed": _l("Mot de passe changé"),
    "user.login_link_sent": _l("Lien de connexion envoyé"),
    "user.login_link_used": _l("Connexion par lien"),
    "user.two_factor_enrolled": _l("Validation en deux étapes activée"),
    "user.two_factor_enrolment_failed": _l("Activation de la validation en deux étapes refusée"),
    "user.two_factor_reset": _l("Validation en deux étapes réinitialisée"),
    "user.two_factor_failed": _l("Code de validation refusé"),
    "user.two_factor_code_replayed": _l("Code de validation déjà utilisé, refusé"),
    "user.recovery_code_used": _l("Code de secours utilisé"),
    "user.recovery_code_refused": _l("Code de secours refusé"),
})
register_fields("users", {
    "address": _l("Adresse"), "remaining": _l("Codes de secours restants"),
    "recovery_codes": _l("Codes de secours émis"),
    "other_sessions_ended": _l("Autres sessions fermées"), "error": _l("Erreur")})
