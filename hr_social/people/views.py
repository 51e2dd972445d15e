from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased
from wtforms.fields.choices import SelectChoice

from hr_social.clock import local_today
from hr_social.db import db, french
from hr_social.people import importer, services
from hr_social.people.forms import KIND_LABELS, DepartureForm, ImportForm, PersonForm
from hr_social.people.models import Person, Service, User, full_name, sort_name
from hr_social.people.search import people_search
from hr_social.people.sentences import history_of
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import page_of_ids, rows_in_order

blueprint = Blueprint("people", __name__, url_prefix="/people")


def people_matching(args, user, *, counting: bool = False, visible=None):
    """The people list's query for these filters (also what "invite all matching" uses);
    ``counting``: written to be counted; ``visible``: ``Person.visible_to(user)`` already
    built (a page and its count in one statement share a manager's team CTE)."""
    visible = Person.visible_to(user) if visible is None else visible
    statement = visible.order_by(
        french(Person.last_name), french(Person.first_name), Person.id)
    if query := args.get("q", "").strip():
        statement = statement.where(people_search(query, counting=counting))
    if service_id := args.get("service", type=int):
        statement = statement.where(Person.service_id == service_id)
    if (kind := args.get("kind", "")) in {k.value for k in KIND_LABELS}:
        statement = statement.where(Person.kind == kind)
    status = args.get("status", "active")
    if status in {"active", "departed"}:
        statement = statement.where(Person.is_active.is_(status == "active"))
    if args.get("manager") == "departed":
        statement = statement.where(Person.manager_has_left())
    if args.get("login") == "none":
        statement = statement.where(~Person.user.has())
    return statement


_MANAGER = aliased(Person)
# The list's columns for a page of people, built once: plain rows, no ORM objects (a page
# of 25 people, their services, managers and logins cost more to build than to read).
_PERSON_ROWS = (
    select(Person.id, Person.employee_number, Person.first_name, Person.last_name,
           Person.kind, Person.is_active, Person.departed_on,
           Service.name.label("service_name"), _MANAGER.first_name.label("manager_first"),
           _MANAGER.last_name.label("manager_last"),
           select(User.id).where(User.person_id == Person.id).exists().label("has_login"))
    .outerjoin(Service, Service.id == Person.service_id)
    .outerjoin(_MANAGER, _MANAGER.id == Person.manager_id)
    .where(Person.id.in_(bindparam("ids", expanding=True))))


def _person_fields(r) -> dict:
    return {**r._mapping, "full_name": full_name(r.first_name, r.last_name),
            "sort_name": sort_name(r.first_name, r.last_name),
            "manager_name": (full_name(r.manager_first, r.manager_last) if r.manager_last
                             else None)}


def person_rows(person_ids: list[int]) -> list:
    """The people list's rows, in the page's order."""
    if not person_ids:
        return []
    rows = db.session.execute(_PERSON_ROWS, {"ids": person_ids})
    return rows_in_order(person_ids, rows, _person_fields)


@blueprint.get("/")
@roles_required("hr", "admin", "dg", "manager")
def index():
    args = request.args
    status = args.get("status", "active")
    services_list = db.session.execute(  # the filter menu: plain (id, name) rows
        Service.visible_to(current_user).with_only_columns(Service.id, Service.name)
        .order_by(french(Service.name))).all()
    visible = Person.visible_to(current_user)
    page = page_of_ids(
        people_matching(args, current_user, visible=visible).with_only_columns(Person.id),
        people_matching(args, current_user, counting=True, visible=visible))
    page.items = person_rows(page.items)
    return render_template("people/index.html", page=page, args=args,
                           services=services_list, status=status, kinds=KIND_LABELS,
                           invite_form=ActionForm())


@blueprint.get("/<int:person_id>")
@login_required_any
def show(person_id: int):
    person = get_visible_or_404(Person, person_id)
    reports = db.session.scalars(Person.visible_to(current_user).where(
        Person.manager_id == person.id).order_by(french(Person.last_name),
                                                 french(Person.first_name))).all()
    history = history_of(person, current_user) if current_user.has_role("hr") else []
    return render_template("people/show.html", person=person, reports=reports, history=history,
                           kinds=KIND_LABELS,
                           departure_form=DepartureForm(departed_on=local_today()),
                           action_form=ActionForm())


def _service_choices(current: Service | None = None):
    active = select(Service).where(Service.is_active.is_(True))
    if current is not None:
        active = select(Service).where(or_(Service.is_active.is_(True), Service.id == current.id))
    services = db.session.scalars(active.order_by(french(Service.name)))
    return [SelectChoice(s.id, s.name) for s in services]


def _form_values(form: PersonForm) -> dict:
    manager = None
    if number := (form.manager_number.data or "").strip():
        manager = services.find_person_by_number(number)
        if manager is None:
            raise services.InvalidChange(field_errors={"manager_number": _(
                "Aucune personne ne porte le matricule %(v)s.", v=number)})
    return dict(employee_number=form.employee_number.data, first_name=form.first_name.data,
                last_name=form.last_name.data, email=form.email.data,
                service=db.session.get(Service, form.service_id.data), manager=manager,
                kind=form.kind.data, job_title=form.job_title.data,
                hired_on=form.hired_on.data)


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("hr")
def create():
    form = PersonForm()
    form.service_id.choices = _service_choices()
    outcome = perform(form, lambda: services.create_person(current_user, **_form_values(form)),
                      success=lambda person: _("%(name)s a été ajouté·e.",
                                               name=person.full_name))
    if outcome.done:
        return redirect(url_for("people.show", person_id=outcome.value.id))
    return render_template("people/form.html", form=form, person=None), outcome.status


@blueprint.route("/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required("hr")
def edit(person_id: int):
    person = get_visible_or_404(Person, person_id)
    form = PersonForm(obj=person)
    if request.method == "GET":
        form.manager_number.data = person.manager.employee_number if person.manager else ""
        form.kind.data = person.kind.value
    form.service_id.choices = _service_choices(person.service)
    outcome = perform(form, lambda: services.update_person(current_user, person,
                                                           **_form_values(form)))
    if outcome.done:
        flash(_("Les changements ont été enregistrés.") if outcome.value
              else _("Aucun changement."), "success" if outcome.value else "info")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=person), outcome.status


@blueprint.post("/<int:person_id>/depart")
@roles_required("hr")
def depart(person_id: int):
    person = get_visible_or_404(Person, person_id)
    form = DepartureForm()
    outcome = perform(
        form, lambda: services.mark_departed(current_user, person,
                                             departed_on=form.departed_on.data),
        success=_("Le départ de %(name)s est enregistré ; ses sessions ont été fermées.",
                  name=person.full_name), flash_errors=True)
    if outcome.value:
        flash(_("%(n)d personne(s) active(s) relèvent encore de %(name)s : "
                "attribuez-leur un autre gestionnaire.", n=outcome.value,
                name=person.full_name), "warning")
    return back_to(url_for("people.show", person_id=person.id), outcome)


@blueprint.post("/<int:person_id>/reactivate")
@roles_required("hr")
def reactivate(person_id: int):
    person = get_visible_or_404(Person, person_id)
    outcome = perform(ActionForm(), lambda: services.reactivate_person(current_user, person),
                      success=_("%(name)s est de nouveau active.", name=person.full_name),
                      flash_errors=True)
    if outcome.done and person.user is not None and person.user.is_enabled:
        flash(_("Son compte %(u)s permet de nouveau de se connecter, avec ses anciens "
                "rôles : faites-les vérifier par l'administration.",
                u=person.user.username), "warning")
    return back_to(url_for("people.show", person_id=person.id), outcome)


@blueprint.route("/import", methods=["GET", "POST"])
@roles_required("hr")
def import_csv():
    form, report = ImportForm(), None
    if form.validate_on_submit():
        upload = form.file.data
        report = importer.import_people(current_user, upload.read(),
                                        dry_run=form.dry_run.data, filename=upload.filename)
        if report.ok and not report.dry_run:
            db.session.commit()
            flash(report.summary(), "success")
        else:
            # A dry run or a refused file writes nothing, not even the one-time key: the
            # same form can be sent again for real.
            db.session.rollback()
            form = ImportForm(formdata=None, dry_run=False)
    return render_template("people/import.html", form=form, report=report,
                           field_labels=importer.FIELD_LABELS, kinds=KIND_LABELS)
