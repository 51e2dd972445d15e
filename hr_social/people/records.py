"""The person's own record (people and their account) in the person's file and the A-2.1
export: declared in the records registry, imported by ``people/wiring.py``."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hr_social.db import db
from hr_social.people.models import Person
from hr_social.permissions import role_labels
from hr_social.records.registry import ExportSection, FileEntry, RecordType, register_record_type

CODE = "people.person"


def _visible(person: Person, viewer) -> bool:
    statement = Person.visible_to(viewer).where(Person.id == person.id).with_only_columns(
        Person.id)
    return db.session.scalar(statement) is not None


def entries_for_person(person: Person, viewer, **options):
    if not _visible(person, viewer):
        return []
    summary = ", ".join(filter(None, (person.job_title, person.service.name)))
    return [FileEntry(CODE, person.id, person.created_at, _("Fiche de la personne"), summary,
                      url_for("people.show", person_id=person.id))]


def export_for_person(person: Person):
    person = db.session.scalar(select(Person).where(Person.id == person.id))
    rows = [(_("Nom"), person.full_name), (_("Numéro d'employé"), person.employee_number),
            (_("Courriel"), person.email or "—"), (_("Service"), person.service.name),
            (_("Fonction"), person.job_title or "—"),
            (_("Gestionnaire"), person.manager.full_name if person.manager else "—"),
            (_("Date d'embauche"), person.hired_on.isoformat() if person.hired_on else "—"),
            (_("Actif"), _("Oui") if person.is_active else _("Non"))]
    if person.departed_on:
        rows.append((_("Date de départ"), person.departed_on.isoformat()))
    if person.user is not None:
        rows += [(_("Nom d'utilisateur"), person.user.username),
                 (_("Rôles"), role_labels(sorted(person.user.role_names)))]
    return [ExportSection(_("Fiche de la personne"), tuple(rows))]


register_record_type(RecordType(CODE, _l("Fiche de personne"),
                                entries_for_person=entries_for_person,
                                export_for_person=export_for_person))
