"""User accounts: the system administration creates logins and manages roles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from hr_social.db import db
from hr_social.people import accounts
from hr_social.people.actions import run_button
from hr_social.people.forms import ROLE_LABELS, LoginCreateForm, NewPasswordForm, RolesForm
from hr_social.people.models import Person, User, UserRole, person_search
from hr_social.people.services import InvalidChange, find_person_by_number
from hr_social.people.views import show_errors
from hr_social.permissions import roles_required
from hr_social.web.dashboard import Counted, dashboard_provider
from hr_social.web.forms import ActionForm
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("users", __name__, url_prefix="/admin/users")
register_nav("users.index", _l("Comptes"), ("admin",), order=91)


# Enabled logins of people who have left: they cannot sign in while the person is departed,
# but reactivating the person (a rehire) would bring the login back with its old roles.
DEPARTED_WITH_LOGIN = (User.is_enabled.is_(True), User.person.has(Person.is_active.is_(False)))


@dashboard_provider
def accounts_awaiting_admin(user) -> list[Counted]:
    if not user.has_role("admin"):
        return []
    count = select(func.count()).select_from(User).where(*DEPARTED_WITH_LOGIN)
    return [Counted(_("Comptes de personnes parties"),
                    _("Ces comptes sont encore actifs : désactivez-les, sinon un retour de la "
                      "personne leur rendrait leurs anciens rôles."),
                    url_for("users.index", status="departed"), count)]


def _load(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@blueprint.get("/")
@roles_required("admin")
def index():
    args = request.args
    statement = (select(User).outerjoin(User.person).options(joinedload(User.person))
                 .order_by(User.username))
    if query := args.get("q", "").strip():
        statement = statement.where(or_(User.username.ilike(f"%{query}%"),
                                        person_search(query)))
    if (role := args.get("role", "")) in ROLE_LABELS:
        statement = statement.where(User.roles.any(UserRole.role == role))
    if (status := args.get("status", "")) in {"enabled", "disabled"}:
        statement = statement.where(User.is_enabled.is_(status == "enabled"))
    elif status == "departed":
        statement = statement.where(*DEPARTED_WITH_LOGIN)
    return render_template("users/index.html", page=paginate(statement), args=args,
                           roles=ROLE_LABELS)


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    form = LoginCreateForm()
    if request.method == "GET" and request.args.get("person"):
        form.person_number.data = request.args["person"][:20]
    if form.validate_on_submit():
        try:
            person = find_person_by_number(form.person_number.data.strip())
            if person is None:
                raise InvalidChange({"person_number": _("Aucune personne ne porte ce matricule.")})
            user = accounts.create_login(current_user, person, username=form.username.data,
                                         password=form.password.data, roles=form.roles.data)
        except InvalidChange as refused:
            db.session.rollback()
            show_errors(form, refused)
        else:
            db.session.commit()
            flash(_("Le compte %(u)s a été créé. Transmettez le mot de passe initial de vive "
                    "voix.", u=user.username), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/new.html", form=form)


@blueprint.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit(user_id: int):
    user = _load(user_id)
    form = RolesForm(data={"roles": sorted(user.role_names)})
    if form.validate_on_submit():
        try:
            changed = accounts.set_roles(current_user, user, form.roles.data)
        except InvalidChange as refused:
            db.session.rollback()
            show_errors(form, refused)
        else:
            db.session.commit()
            flash(_("Les rôles ont été enregistrés.") if changed else _("Aucun changement."),
                  "success" if changed else "info")
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/edit.html", user=user, form=form, action_form=ActionForm(),
                           password_form=NewPasswordForm(formdata=None), roles=ROLE_LABELS)


def _action(user_id: int, operation, message: str):
    user = _load(user_id)
    run_button(operation, user, message % {"u": user.username})
    return redirect(url_for("users.edit", user_id=user.id))


@blueprint.post("/<int:user_id>/disable")
@roles_required("admin")
def disable(user_id: int):
    return _action(user_id, accounts.disable_user,
                   _("Le compte %(u)s est désactivé ; toutes ses sessions sont fermées."))


@blueprint.post("/<int:user_id>/enable")
@roles_required("admin")
def enable(user_id: int):
    return _action(user_id, accounts.enable_user, _("Le compte %(u)s est réactivé."))


@blueprint.post("/<int:user_id>/password")
@roles_required("admin")
def reset_password(user_id: int):
    user = _load(user_id)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(current_user, user, form.password.data)
        except InvalidChange as refused:
            db.session.rollback()
            flash(str(refused), "error")
            return redirect(url_for("users.edit", user_id=user.id))
        else:
            db.session.commit()
            flash(_("Nouveau mot de passe enregistré pour %(u)s ; ses sessions sont fermées.",
                    u=user.username), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/edit.html", user=user, action_form=ActionForm(),
                           form=RolesForm(data={"roles": sorted(user.role_names)}),
                           password_form=form, roles=ROLE_LABELS), 200
