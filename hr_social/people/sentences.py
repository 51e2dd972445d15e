"""The words of this domain's audit entries (people, services, accounts, invitations),
registered with ``audit.sentences``; a person's history reads them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.audit.models import AuditEvent
from hr_social.audit.sentences import labelled, register_actions, register_fields, sentences
from hr_social.db import db
from hr_social.people.forms import KIND_LABELS
from hr_social.people.models import Person, Service
from hr_social.permissions import role_labels

register_actions("people", _l("Personnes et services"), {
    "person.created": _l("Personne ajoutée"),
    "person.updated": _l("Fiche de la personne modifiée"),
    "person.departed": _l("Départ enregistré"),
    "person.reactivated": _l("Personne réactivée"),
    "people_import.completed": _l("Liste du personnel importée"),
    "service.created": _l("Service créé"),
    "service.updated": _l("Service modifié"),
    "service.deactivated": _l("Service désactivé"),
    "service.reactivated": _l("Service réactivé"),
    "invitation.sent": _l("Invitation à créer son compte envoyée"),
    "invitation.resent": _l("Invitation envoyée de nouveau"),
    "invitation.cancelled": _l("Invitation annulée"),
    "invitation.refused": _l("Lien d'invitation refusé"),
    "invitation.accepted": _l("Invitation acceptée : compte créé"),
})
ACCOUNT_ACTIONS = {
    "user.created": _l("Compte utilisateur créé"),
    "user.roles_changed": _l("Rôles du compte modifiés"),
    "user.disabled": _l("Compte désactivé"),
    "user.enabled": _l("Compte réactivé"),
    "user.password_reset": _l("Mot de passe réinitialisé par l'administration"),
}
register_actions("accounts", _l("Comptes utilisateurs"), ACCOUNT_ACTIONS)


def _service_name(value):
    service = db.session.get(Service, value) if isinstance(value, int) else None
    return service.name if service is not None else value


def _person_name(value):
    person = db.session.get(Person, value) if isinstance(value, int) else None
    return person.full_name if person is not None else value


KINDS = {kind.value: label for kind, label in KIND_LABELS.items()}
PERSON_FIELDS = {
    "employee_number": _l("Matricule"), "first_name": _l("Prénom"), "last_name": _l("Nom"),
    "email": _l("Courriel"), "service_id": _l("Service"), "manager_id": _l("Gestionnaire"),
    "kind": _l("Type"), "job_title": _l("Titre du poste"), "is_active": _l("Active"),
    "departed_on": _l("Date de départ"), "hired_on": _l("Date d'embauche"),
}
register_fields("people", PERSON_FIELDS, values={
    "service_id": _service_name, "manager_id": _person_name, "kind": labelled(KINDS)})
register_fields("services", {"code": _l("Code"), "name": _l("Nom"), "is_active": _l("Actif")})
register_fields("people_import", {
    "file": _l("Fichier"), "sha256": _l("Empreinte (SHA-256)"), "created": _l("Ajoutées"),
    "updated": _l("Modifiées"), "unchanged": _l("Inchangées")})
INVITATION_REASONS = {
    "person_departed": _l("La personne est partie"), "unknown": _l("Lien inconnu"),
    "used": _l("Lien déjà utilisé"), "cancelled": _l("Invitation annulée"),
    "expired": _l("Lien expiré"), "has_login": _l("La personne a déjà un compte"),
}
register_fields("invitations", {
    "person": _l("Matricule"), "expires_at": _l("Expire le"), "send_count": _l("Envois")},
    values={"reason": labelled(INVITATION_REASONS)})
VIA = {"invitation": _l("Invitation"), "directory groups": _l("Groupes de l'annuaire")}
register_fields("users", {
    "username": _l("Nom d'utilisateur"), "roles": _l("Rôles"), "person": _l("Matricule"),
    "via": _l("Par"), "is_enabled": _l("Compte actif"),
    "sessions_ended": _l("Sessions fermées")},
    values={"roles": role_labels, "via": labelled(VIA)})


def history_of(person: Person, reader) -> list:
    """The person's history in words, oldest first (no JSON, no column names): their record
    and what was done to their account (not each sign-in)."""
    about_person = (AuditEvent.target_type == "people") & (
        AuditEvent.target_id == str(person.id))
    if person.user is not None:
        about_person |= ((AuditEvent.target_type == "users")
                         & (AuditEvent.target_id == str(person.user.id))
                         & AuditEvent.action.in_(ACCOUNT_ACTIONS))
    events = db.session.scalars(select(AuditEvent).where(about_person)
                                .order_by(AuditEvent.id)).all()
    return sentences(events, reader)
