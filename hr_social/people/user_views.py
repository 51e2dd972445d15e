"""User accounts: the system administration creates logins and manages roles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import bindparam, func, select

from hr_social.db import db
from hr_social.people import account_services as accounts
from hr_social.people.forms import ROLE_LABELS, LoginCreateForm, NewPasswordForm, RolesForm
from hr_social.people.models import Person, User, UserRole, sort_name
from hr_social.people.search import login_matches, logins_found
from hr_social.people.services import InvalidChange, find_person_by_number
from hr_social.permissions import roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import page_of_ids, rows_in_order

blueprint = Blueprint("users", __name__, url_prefix="/admin/users")


def _load(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@blueprint.get("/")
@roles_required("admin")
def index():
    args = request.args
    conditions = []  # on logins alone: counted without reading each login's person
    shown, counted = [], []  # the search: the page and its count each take their best path
    if query := args.get("q", "").strip():
        shown, counted = [login_matches(query)], [User.id.in_(logins_found(query))]
    if (role := args.get("role", "")) in ROLE_LABELS:
        conditions.append(User.roles.any(UserRole.role == role))
    if (status := args.get("status", "")) in {"enabled", "disabled"}:
        conditions.append(User.is_enabled.is_(status == "enabled"))
    elif status == "departed":
        conditions.extend(accounts.DEPARTED_WITH_LOGIN)
    page = page_of_ids(select(User.id).where(*conditions, *shown).order_by(User.username),
                       select(User.id).where(*conditions, *counted))
    page.items = login_rows(page.items)
    return render_template("users/index.html", page=page, args=args, roles=ROLE_LABELS)


# The list's columns for a page of logins, built once: plain rows, no ORM objects (as the
# people list: 25 logins, their people and roles cost more to build than to read).
_LOGIN_ROWS = (
    select(User.id, User.username, User.is_enabled, Person.first_name, Person.last_name,
           Person.is_active,
           select(func.aggregate_strings(UserRole.role, ",")).where(UserRole.user_id == User.id)
           .scalar_subquery().label("roles"))
    .outerjoin(Person, Person.id == User.person_id)
    .where(User.id.in_(bindparam("ids", expanding=True))))


def _login_fields(r) -> dict:
    return {"id": r.id, "username": r.username, "is_enabled": r.is_enabled,
            "sort_name": (sort_name(r.first_name, r.last_name) if r.last_name is not None
                          else None),
            "departed": r.is_active is False,
            "role_names": sorted(filter(None, (r.roles or "").split(",")))}


def login_rows(user_ids: list[int]) -> list:
    """The accounts list's rows, in the page's order: ``sort_name`` None for a technical
    login (no person), ``departed`` when its person has left, ``role_names`` sorted."""
    if not user_ids:
        return []
    rows = db.session.execute(_LOGIN_ROWS, {"ids": user_ids})
    return rows_in_order(user_ids, rows, _login_fields)


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    form = LoginCreateForm()
    if request.method == "GET" and request.args.get("person"):
        form.person_number.data = request.args["person"][:20]
    outcome = perform(form, lambda: _create_login(form), success=lambda user: _(
        "Le compte %(u)s a été créé. Transmettez le mot de passe temporaire de vive voix : il "
        "devra être changé à la première connexion.", u=user.username))
    if outcome.done:
        return redirect(url_for("users.edit", user_id=outcome.value.id))
    return render_template("users/new.html", form=form), outcome.status


def _create_login(form) -> User:
    person = find_person_by_number(form.person_number.data.strip())
    if person is None:
        raise InvalidChange(field_errors={
            "person_number": _("Aucune personne ne porte ce matricule.")})
    return accounts.create_login(current_user, person, username=form.username.data,
                                 password=form.password.data, roles=form.roles.data)


@blueprint.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit(user_id: int):
    user = _load(user_id)
    form = RolesForm(data={"roles": sorted(user.role_names)})
    outcome = perform(form, lambda: accounts.set_roles(current_user, user,
                                                       roles=form.roles.data))
    if outcome.done:
        flash(_("Les rôles ont été enregistrés.") if outcome.value else _("Aucun changement."),
              "success" if outcome.value else "info")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/edit.html", user=user, form=form, action_form=ActionForm(),
                           password_form=NewPasswordForm(formdata=None),
                           roles=ROLE_LABELS), outcome.status


def _action(user_id: int, operation, message: str):
    user = _load(user_id)
    outcome = perform(ActionForm(), lambda: operation(current_user, user),
                      success=message % {"u": user.username}, flash_errors=True)
    return back_to(url_for("users.edit", user_id=user.id), outcome)


@blueprint.post("/<int:user_id>/disable")
@roles_required("admin")
def disable(user_id: int):
    return _action(user_id, accounts.disable_user,
                   _("Le compte %(u)s est désactivé ; toutes ses sessions sont fermées."))


@blueprint.post("/<int:user_id>/enable")
@roles_required("admin")
def enable(user_id: int):
    return _action(user_id, accounts.enable_user, _("Le compte %(u)s est réactivé."))


@blueprint.post("/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id: int):
    user = _load(user_id)
    form = NewPasswordForm()
    outcome = perform(form, lambda: accounts.reset_password(current_user, user,
                                                            new_password=form.password.data),
                      success=_("Nouveau mot de passe enregistré pour %(u)s ; ses sessions "
                                "sont fermées.", u=user.username))
    if outcome.done:
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/edit.html", user=user, action_form=ActionForm(),
                           form=RolesForm(data={"roles": sorted(user.role_names)}),
                           password_form=form, roles=ROLE_LABELS), outcome.status
