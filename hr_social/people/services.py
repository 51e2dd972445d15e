"""Named operations on services and people. They take the acting user, check the business
rules, write the audit entry, send the people signals and only flush (the view commits)."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hr_social.audit.services import record, snapshot
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.people import events
from hr_social.people.models import Person, PersonKind, Service

PERSON_FIELDS = ("employee_number", "first_name", "last_name", "email", "service_id",
                 "manager_id", "kind", "job_title", "is_active", "departed_on", "hired_on")
SERVICE_FIELDS = ("code", "name", "is_active")
EMPLOYEE_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
SERVICE_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
# Departures are recorded when they happen: marking someone departed ends their sessions
# at once, so a date in the future would describe a departure that has not taken place.
# Dates far in the past are typing errors (a departure before the city's records began).
EARLIEST_DEPARTURE = dt.date(1950, 1, 1)
MANAGER_CHAIN_LIMIT = 50


class InvalidChange(DomainError):
    """A refused change to people, services or accounts (see ``DomainError``)."""


def departure_date_error(value: dt.date | None) -> str | None:
    if value is None:
        return _("La date de départ est obligatoire.")
    if value > local_today():
        return _("La date de départ ne peut pas être dans le futur : marquez le départ le jour "
                 "où il a lieu.")
    if value < EARLIEST_DEPARTURE:
        return _("La date de départ est trop ancienne (avant 1950) : vérifiez l'année.")
    return None


def normalise_email(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def email_error(value: str | None) -> str | None:
    if value and (len(value) > 254 or not EMAIL_RE.match(value)):
        return _("Courriel invalide : %(v)s.", v=value)
    return None


def employee_number_error(value: str) -> str | None:
    if not value:
        return _("Le matricule est obligatoire.")
    if not EMPLOYEE_NUMBER_RE.match(value):
        return _("Matricule invalide : %(v)s (lettres, chiffres, - ou _, 20 caractères au plus).",
                 v=value)
    return None


def find_person_by_number(number: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.employee_number == number))


def manager_chain_error(person_id: int | None, manager: Person | None,
                        current_manager_id: int | None = None) -> str | None:
    """A new manager must be active (keeping a departed one does not block other edits),
    and the person may not appear above themself."""
    if manager is None:
        return None
    if person_id is not None and manager.id == person_id:
        return _("Une personne ne peut pas être sa propre gestionnaire.")
    if not manager.is_active and manager.id != current_manager_id:
        return _("Le gestionnaire %(name)s a quitté l'organisation : choisissez une personne "
                 "active.", name=manager.full_name)
    current, steps = manager, 0
    while current is not None and steps < MANAGER_CHAIN_LIMIT:
        if person_id is not None and current.id == person_id:
            return _("Ce choix créerait un cycle dans la chaîne des gestionnaires (%(name)s "
                     "relève déjà de cette personne).", name=manager.full_name)
        current, steps = current.manager, steps + 1
    return None


def _check_person(person: Person | None, values: dict) -> dict[str | None, str]:
    errors: dict[str | None, str] = {}
    person_id = person.id if person is not None else None
    number = values["employee_number"]
    if message := employee_number_error(number):
        errors["employee_number"] = message
    else:
        other = find_person_by_number(number)
        if other is not None and other.id != person_id:
            errors["employee_number"] = _("Le matricule %(v)s est déjà attribué à %(name)s.",
                                          v=number, name=other.full_name)
    if not values["first_name"]:
        errors["first_name"] = _("Le prénom est obligatoire.")
    if not values["last_name"]:
        errors["last_name"] = _("Le nom est obligatoire.")
    email = values["email"]
    if message := email_error(email):
        errors["email"] = message
    elif email:
        other = db.session.scalar(select(Person).where(func.lower(Person.email) == email))
        if other is not None and other.id != person_id:
            errors["email"] = _("Le courriel %(v)s est déjà utilisé par %(name)s.", v=email,
                                name=other.full_name)
    service = values["service"]
    if service is None:
        errors["service_id"] = _("Choisissez un service.")
    elif not service.is_active and (person is None or person.service_id != service.id):
        errors["service_id"] = _("Le service %(name)s est désactivé.", name=service.name)
    current_manager_id = person.manager_id if person is not None else None
    if message := manager_chain_error(person_id, values["manager"], current_manager_id):
        errors["manager_number"] = message
    return errors


def _person_values(*, employee_number, first_name, last_name, email, service, manager,
                   kind, job_title, hired_on=None) -> dict:
    return {
        "employee_number": (employee_number or "").strip(),
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "email": normalise_email(email),
        "service": service,
        "manager": manager,
        "kind": PersonKind(kind),
        "job_title": (job_title or "").strip() or None,
        "hired_on": hired_on,
    }


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _flush_or_refused() -> None:
    """Another HR user may have taken the same employee number or email between our check
    and our write (PostgreSQL does not serialise writers): a message, not a server error.
    The caller rolls the transaction back, as for any refused change."""
    try:
        db.session.flush()
    except IntegrityError:
        raise InvalidChange(_(
            "Ce matricule ou ce courriel vient d'être enregistré pour une autre personne : "
            "vérifiez la liste et recommencez.")) from None


def create_person(actor, *, employee_number, first_name, last_name, email=None, service,
                  manager=None, kind=PersonKind.employee, job_title=None,
                  hired_on=None) -> Person:
    values = _person_values(employee_number=employee_number, first_name=first_name,
                            last_name=last_name, email=email, service=service, manager=manager,
                            kind=kind, job_title=job_title, hired_on=hired_on)
    if errors := _check_person(None, values):
        raise InvalidChange(field_errors=errors)
    person = Person(employee_number=values["employee_number"],
                    first_name=values["first_name"], last_name=values["last_name"],
                    email=values["email"], service=service, manager=manager,
                    kind=values["kind"], job_title=values["job_title"],
                    hired_on=values["hired_on"], is_active=True)
    db.session.add(person)
    _flush_or_refused()
    record("person.created", person, after=snapshot(person, *PERSON_FIELDS), actor=actor)
    events.person_created.send(person, actor=actor)
    return person


def update_person(actor, person: Person, *, employee_number, first_name, last_name, email,
                  service, manager, kind, job_title, hired_on=None) -> bool:
    """Apply the form; returns False when nothing changed (no audit entry then)."""
    values = _person_values(employee_number=employee_number, first_name=first_name,
                            last_name=last_name, email=email, service=service, manager=manager,
                            kind=kind, job_title=job_title, hired_on=hired_on)
    if errors := _check_person(person, values):
        raise InvalidChange(field_errors=errors)
    before = snapshot(person, *PERSON_FIELDS)
    old_service_id = person.service_id
    for name in ("employee_number", "first_name", "last_name", "email", "kind", "job_title",
                 "hired_on"):
        setattr(person, name, values[name])
    person.service, person.manager = service, manager
    _flush_or_refused()
    changed_before, changed_after = _changed(before, snapshot(person, *PERSON_FIELDS))
    if not changed_after:
        return False
    record("person.updated", person, before=changed_before, after=changed_after, actor=actor)
    if person.service_id != old_service_id:
        events.person_service_changed.send(person, actor=actor, old_service_id=old_service_id,
                                           new_service_id=person.service_id)
    return True


def mark_departed(actor, person: Person, *, departed_on: dt.date) -> int:
    """Record a departure: the person stays (with their records); their sessions end.

    Returns how many active people still report to them (HR then reassigns them)."""
    if actor is not None and actor.person_id == person.id:
        raise InvalidChange(_("Vous ne pouvez pas marquer votre propre départ : "
                              "demandez-le à une collègue des ressources humaines."))
    if not person.is_active:
        raise InvalidChange(_("%(name)s est déjà marqué·e comme partie.",
                              name=person.full_name))
    if message := departure_date_error(departed_on):
        raise InvalidChange(field_errors={"departed_on": message})
    before = snapshot(person, "is_active", "departed_on")
    person.is_active, person.departed_on = False, departed_on
    db.session.flush()
    record("person.departed", person, before=before,
           after=snapshot(person, "is_active", "departed_on"), actor=actor)
    if person.user is not None:
        from hr_social.auth.services import end_all_sessions

        end_all_sessions(person.user, "person_departed")
    events.person_departed.send(person, actor=actor)
    return db.session.scalar(select(func.count()).select_from(Person).where(
        Person.manager_id == person.id, Person.is_active.is_(True)))


def reactivate_person(actor, person: Person) -> None:
    """A departed person comes back (rehired, departure entered by mistake)."""
    if person.is_active:
        raise InvalidChange(_("%(name)s est déjà active.", name=person.full_name))
    if not person.service.is_active:
        raise InvalidChange(_("Le service %(name)s est désactivé : changez d'abord le "
                              "service de la personne.", name=person.service.name))
    before = snapshot(person, "is_active", "departed_on")
    person.is_active, person.departed_on = True, None
    db.session.flush()
    record("person.reactivated", person, before=before,
           after=snapshot(person, "is_active", "departed_on"), actor=actor)


# Services ---------------------------------------------------------------------------------

def _check_service(service: Service | None, code: str, name: str) -> dict[str | None, str]:
    errors: dict[str | None, str] = {}
    service_id = service.id if service is not None else None
    if not SERVICE_CODE_RE.match(code):
        errors["code"] = _("Code invalide : lettres, chiffres, - ou _, 20 caractères au plus.")
    else:
        other = db.session.scalar(select(Service).where(func.lower(Service.code) == code.lower()))
        if other is not None and other.id != service_id:
            errors["code"] = _("Le code %(v)s est déjà utilisé par %(name)s.", v=code,
                               name=other.name)
    if not name:
        errors["name"] = _("Le nom est obligatoire.")
    else:
        other = db.session.scalar(select(Service).where(func.lower(Service.name) == name.lower()))
        if other is not None and other.id != service_id:
            errors["name"] = _("Un service porte déjà le nom %(v)s.", v=name)
    return errors


def create_service(actor, *, code: str, name: str) -> Service:
    code, name = (code or "").strip().upper(), (name or "").strip()
    if errors := _check_service(None, code, name):
        raise InvalidChange(field_errors=errors)
    service = Service(code=code, name=name, is_active=True)
    db.session.add(service)
    db.session.flush()
    record("service.created", service, after=snapshot(service, *SERVICE_FIELDS), actor=actor)
    return service


def update_service(actor, service: Service, *, code: str, name: str) -> bool:
    code, name = (code or "").strip().upper(), (name or "").strip()
    if errors := _check_service(service, code, name):
        raise InvalidChange(field_errors=errors)
    before = snapshot(service, *SERVICE_FIELDS)
    service.code, service.name = code, name
    db.session.flush()
    changed_before, changed_after = _changed(before, snapshot(service, *SERVICE_FIELDS))
    if not changed_after:
        return False
    record("service.updated", service, before=changed_before, after=changed_after, actor=actor)
    return True


def active_member_count(service: Service) -> int:
    return db.session.scalar(select(func.count()).select_from(Person).where(
        Person.service_id == service.id, Person.is_active.is_(True)))


def deactivate_service(actor, service: Service) -> None:
    if not service.is_active:
        raise InvalidChange(_("Ce service est déjà désactivé."))
    if count := active_member_count(service):
        raise InvalidChange(_(
            "Le service %(name)s compte encore %(n)d personne(s) active(s) : affectez-les à "
            "un autre service avant de le désactiver.", name=service.name, n=count))
    service.is_active = False
    db.session.flush()
    record("service.deactivated", service, before={"is_active": True},
           after={"is_active": False}, actor=actor)


def reactivate_service(actor, service: Service) -> None:
    if service.is_active:
        raise InvalidChange(_("Ce service est déjà actif."))
    service.is_active = True
    db.session.flush()
    record("service.reactivated", service, before={"is_active": False},
           after={"is_active": True}, actor=actor)
