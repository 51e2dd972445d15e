"""The words of this domain's audit entries, registered with ``audit.sentences``. The
entries hold ids, states and codes only (see wiring's CODE_FIELDS); these words name them.
Whether a reader may see an entry at all stays decided by ``audit.confidentiality``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hr_social.audit.sentences import labelled, register_actions, register_fields
from hr_social.discipline.entries import (
    ENTRY_KINDS,
    GRIEVANCE_OUTCOMES,
    LETTER_KINDS,
    RECEIPTS,
)
from hr_social.discipline.models import (
    CASE_STATES,
    DELIVERY_METHODS,
    GRAVITIES,
    LEVEL_KINDS,
    REPORTER_KINDS,
    RETENTION,
)

# One entry per added element, its code built from the kind (services.add_entry).
ENTRY_ADDED = {
    "evidence_file": _l("Pièce jointe ajoutée au dossier"),
    "evidence_link": _l("Lien ajouté au dossier"),
    "evidence_note": _l("Description d'une capture d'écran ajoutée au dossier"),
    "witness": _l("Témoin ajouté au dossier"),
    "correction": _l("Correction ajoutée au dossier"),
    "note": _l("Note ajoutée au dossier"),
    "damages": _l("Dommages à recouvrer ajoutés au dossier"),
    "damages_followup": _l("Suivi du recouvrement ajouté au dossier"),
}
# What the nightly amnesty does to a case (amnesty.AmnestyChange.kind).
AMNESTY_CHANGES = {
    "amnestied": _l("Sanction amnistiée (masquée du dossier)"),
    "revived": _l("Sanction amnistiée de nouveau visible (récidive)"),
    "destroyed": _l("Texte du dossier effacé à l'amnistie"),
}

register_actions("discipline", _l("Discipline"), {
    "discipline_case.reported": _l("Manquement signalé"),
    "discipline_case.taken": _l("Dossier pris en charge"),
    "discipline_case.convoked": _l("Personne convoquée à une rencontre"),
    "discipline_case.heard": _l("Rencontre tenue"),
    "discipline_case.decided": _l("Sanction décidée"),
    "discipline_case.dismissal_proposed": _l("Congédiement proposé à la Direction générale"),
    "discipline_case.dismissal_decided": _l("Congédiement décidé par la Direction générale"),
    "discipline_case.dismissal_refused": _l("Congédiement refusé par la Direction générale"),
    "discipline_case.notified": _l("Décision remise à la personne"),
    "discipline_case.closed": _l("Dossier fermé"),
    "discipline_case.closed_without_sanction": _l("Dossier fermé sans sanction"),
    "discipline_case.opened": _l("Dossier consulté"),
    "discipline_case.amnestied_shown": _l("Sanctions amnistiées affichées"),
    "discipline_case.evidence_read": _l("Pièce jointe consultée"),
    "discipline_case.letter_read": _l("Lettre consultée"),
    "discipline_case.file_printed": _l("Dossier imprimé"),
    "discipline_case.letter_issued": _l("Lettre émise"),
    "discipline_case.receipt_recorded": _l("Réception de la lettre enregistrée"),
    "discipline_case.linked": _l("Dossier relié à un autre document"),
    **{f"discipline_case.{kind}_added": label for kind, label in ENTRY_ADDED.items()},
    **{f"discipline_case.{kind}": label for kind, label in AMNESTY_CHANGES.items()},
    "discipline_file.own_printed": _l("Dossier disciplinaire personnel imprimé par la personne"),
    "discipline_grievance.filed": _l("Grief déposé"),
    "discipline_grievance.settled": _l("Grief réglé"),
    "discipline_settings.changed": _l("Paramètres disciplinaires modifiés"),
    "discipline_ladder.created": _l("Échelle des sanctions créée"),
    "discipline_ladder.changed": _l("Échelon de l'échelle des sanctions modifié"),
    "discipline_clauses.created": _l("Articles de la politique créés pour la discipline"),
})

_CASE_FIELDS = {
    "reporter_kind": _l("Signalé par"), "facts_on": _l("Date des faits"),
    "clauses": _l("Articles"), "policy_version_id": _l("Version de la politique"),
    "witnesses": _l("Témoins"), "links": _l("Liens"), "notes": _l("Notes"),
    "handler_id": _l("Responsable du dossier"), "hearing_at": _l("Rencontre prévue le"),
    "heard_on": _l("Rencontre tenue le"),
    "representative_present": _l("Représentant·e syndical·e présent·e"),
    "sanction_level_id": _l("Sanction"), "gravity": _l("Gravité"),
    "suspension_days": _l("Jours de suspension"), "proposed_level_id": _l("Sanction proposée"),
    "decided_by_id": _l("Décidé par"), "notified_on": _l("Remise le"),
    "notified_method": _l("Mode de remise"), "entry_id": _l("Élément"),
    "kind": _l("Genre"), "field": _l("Élément corrigé"), "corrects_id": _l("Corrige"),
    "amount": _l("Montant"), "letter_id": _l("Lettre"),
    "issued_document_id": _l("Document officiel"), "code": _l("Code de vérification"),
    "receipt": _l("Réception"), "receipt_on": _l("Reçue le"),
    "subject_type": _l("Genre de document"), "subject_id": _l("Document"),
    "day": _l("Jour"), "amnesty_months": _l("Amnistie après (mois)"),
    "files_removed": _l("Fichiers retirés"),
}
_KINDS = {**ENTRY_KINDS, **LETTER_KINDS}
register_fields("discipline_cases", _CASE_FIELDS, values={
    "state": labelled(CASE_STATES), "reporter_kind": labelled(REPORTER_KINDS),
    "gravity": labelled(GRAVITIES), "notified_method": labelled(DELIVERY_METHODS),
    "kind": labelled(_KINDS), "receipt": labelled(RECEIPTS)},
    type_label=_l("dossier disciplinaire"))
register_fields("discipline_grievances", {
    "case_id": _l("Dossier"), "filed_on": _l("Déposé le"), "outcome": _l("Issue"),
    "outcome_on": _l("Réglé le"), "modified_level_id": _l("Sanction modifiée")},
    values={"outcome": labelled(GRIEVANCE_OUTCOMES)}, type_label=_l("grief"))
register_fields("discipline_files", {}, type_label=_l("dossier disciplinaire personnel"))
register_fields("discipline_settings", {
    "amnesty_months": _l("Amnistie après (mois)"),
    "restart_on_recidivism": _l("Le délai reprend à la récidive"),
    "retention": _l("À l'amnistie")}, values={"retention": labelled(RETENTION)})
register_fields("discipline_sanction_levels", {
    "levels": _l("Échelons"), "label": _l("Libellé"), "rank": _l("Rang"), "kind": _l("Genre"),
    "requires_days": _l("Exige un nombre de jours"),
    "requires_dg": _l("Décidée par la Direction générale"), "is_active": _l("Active")},
    values={"kind": labelled(LEVEL_KINDS)})
register_fields("policy_versions", {"clauses": _l("Articles")})
