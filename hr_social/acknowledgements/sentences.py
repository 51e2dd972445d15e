"""The words of this domain's audit entries, registered with ``audit.sentences``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import labelled, register_actions, register_fields

STATUS_WORDS = {
    "pending": _l("En attente"),
    "signed_electronic": _l("Signé électroniquement"),
    "signed_paper": _l("Signé sur papier"),
    "refused": _l("Refusé"),
}

register_actions("acknowledgements", _l("Politique et accusés de réception"), {
    "policy.created": _l("Version de la politique importée"),
    "policy.published": _l("Version de la politique publiée"),
    "campaign.updated": _l("Campagne de signature modifiée"),
    "campaign.closed": _l("Campagne de signature fermée"),
    "campaign.reminded_now": _l("Rappel envoyé sur demande aux personnes en attente"),
    "policy.draft_updated": _l("Brouillon de la politique modifié"),
    "acknowledgement.created": _l("Accusé de réception à signer créé"),
    "acknowledgement.policy_opened": _l("Politique ouverte pour lecture"),
    "acknowledgement.signed": _l("Politique signée électroniquement"),
    "acknowledgement.signed_on_paper": _l("Signature sur papier enregistrée"),
    "acknowledgement.refused": _l("Refus de signer enregistré"),
    "acknowledgement.followed_up": _l("Suivi du refus noté"),
    "acknowledgement.printed": _l("Accusé de réception imprimé"),
    "acknowledgement.bulk_printed": _l("Accusés de réception imprimés en lot"),
    "acknowledgement.reminded": _l("Rappel envoyé"),
})
register_fields("policy_versions", {
    "title": _l("Titre"), "version_label": _l("Version"),
    "effective_date": _l("En vigueur le"), "source_name": _l("Fichier importé"),
    "content_sha256": _l("Empreinte du texte (SHA-256)"),
    "acknowledgements": _l("Accusés de réception créés")})
register_fields("acknowledgement_campaigns", {
    "deadline": _l("Échéance"), "reminder_count": _l("Nombre de rappels"),
    "reminder_interval_days": _l("Jours entre les rappels"), "closed_at": _l("Fermée le")})
register_fields("acknowledgements", {
    "policy_opened_at": _l("Ouverte le"), "document_sha256": _l("Empreinte du document"),
    "code": _l("Code de vérification"), "address": _l("Adresse de signature"),
    "paper_signed_on": _l("Signé sur papier le"), "scan_sha256": _l("Empreinte du scan"),
    "refused_on": _l("Refus le"), "witness": _l("Témoin"),
    "follow_up_note": _l("Suivi"), "reminders_sent": _l("Rappels envoyés")},
    values={"status": labelled(STATUS_WORDS)})
