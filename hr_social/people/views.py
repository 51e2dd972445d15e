from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import joinedload

from hr_social.db import db
from hr_social.people.models import Person, Service
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("people", __name__, url_prefix="/people")
register_nav("people.index", _l("Personnes"), ("hr", "admin", "dg", "manager"), order=50)


@blueprint.get("/")
@roles_required("hr", "admin", "dg", "manager")
def index():
    args = request.args
    statement = (
        Person.visible_to(current_user)
        .options(joinedload(Person.service), joinedload(Person.manager))
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    if query := args.get("q", "").strip():
        like = f"%{query}%"
        statement = statement.where(or_(
            Person.first_name.ilike(like), Person.last_name.ilike(like),
            Person.employee_number.ilike(like), Person.email.ilike(like),
            (Person.first_name + " " + Person.last_name).ilike(like),
        ))
    if service_id := args.get("service", type=int):
        statement = statement.where(Person.service_id == service_id)
    status = args.get("status", "active")
    if status in {"active", "departed"}:
        statement = statement.where(Person.is_active.is_(status == "active"))
    services = db.session.scalars(Service.visible_to(current_user).order_by(Service.name)).all()
    return render_template("people/index.html", page=paginate(statement), args=args,
                           services=services, status=status)


@blueprint.get("/<int:person_id>")
@login_required_any
def show(person_id: int):
    person = get_visible_or_404(Person, person_id)
    return render_template("people/show.html", person=person)
