"""Division des communications: the register of official accounts and its public page. The
request screens (logo, changes) are in request_views.py, on the same blueprint."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.attachments.services import file_path
from hr_social.communications import register as reg
from hr_social.communications.forms import AccountForm, AdministratorForm, StatusForm
from hr_social.communications.models import (
    ACCOUNT_STATUSES,
    AccountAdministrator,
    AccountChangeRequest,
    AccountHistory,
    OfficialAccount,
)
from hr_social.communications.queries import account_list, public_list
from hr_social.db import db
from hr_social.people.models import Person, Service
from hr_social.permissions import get_visible_or_404, login_required_any, public, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import paginate

blueprint = Blueprint("communications", __name__, url_prefix="/communications")



def button(form, operation, success: str, back: str):
    """A one-button action: apply it through ``perform``; back to the page when done, the
    refusal (422) with a link back otherwise."""
    return back_to(back, perform(form, operation, success=success, flash_errors=True))


def choices(query, label=str):
    return [(item.id, label(item)) for item in db.session.scalars(query).all()]


def service_choices():
    return choices(select(Service).where(Service.is_active.is_(True)).order_by(Service.name),
                   lambda s: s.name)


def platform_choices():
    return [(p.id, p.name) for p in reg.active_platforms()]


# --- register -----------------------------------------------------------------------------

@blueprint.get("/accounts")
@login_required_any
def accounts():
    page = paginate(account_list(OfficialAccount.visible_to(current_user), request.args),
                    unique=True)
    return render_template("communications/accounts.html", page=page, args=request.args,
                           platforms=reg.active_platforms(), services=service_choices(),
                           statuses=ACCOUNT_STATUSES)


@blueprint.get("/official")
@public
def official():
    """For citizens: is this account an official account of the municipality?"""
    asked = (request.args.get("q") or "").strip()
    page = paginate(public_list(request.args), unique=True) if asked else None
    return render_template("communications/official.html", page=page, asked=asked)


def _account_form(account=None):
    form = AccountForm(obj=account)
    form.platform.choices = platform_choices()
    form.service.choices = service_choices()
    if request.method == "GET" and account is not None:
        form.platform.data, form.service.data = account.platform_id, account.managing_service_id

    def save():
        fields = dict(platform_id=form.platform.data, display_name=form.display_name.data,
                      url=form.url.data, service_id=form.service.data,
                      description=form.description.data)
        if account is None:
            return reg.add_account(current_user, **fields)
        return reg.update_account(current_user, account, **fields)

    outcome = perform(form, save, success=_("Le compte a été inscrit au registre.")
                      if account is None else _("La fiche du compte a été modifiée."))
    if outcome.done:
        return redirect(url_for("communications.account", account_id=outcome.value.id))
    return render_template("communications/account_form.html", form=form,
                           account=account), outcome.status


@blueprint.route("/accounts/new", methods=["GET", "POST"])
@roles_required("communications")
def account_new():
    return _account_form()


@blueprint.route("/accounts/<int:account_id>/edit", methods=["GET", "POST"])
@roles_required("communications")
def account_edit(account_id: int):
    return _account_form(get_visible_or_404(OfficialAccount, account_id))


@blueprint.get("/accounts/<int:account_id>")
@login_required_any
def account(account_id: int):
    account = get_visible_or_404(OfficialAccount, account_id)
    admin_form = AdministratorForm()
    admin_form.person.choices = choices(
        select(Person).where(Person.is_active.is_(True))
        .order_by(Person.last_name, Person.first_name), lambda p: p.full_name)
    changes = db.session.scalars(
        AccountChangeRequest.visible_to(current_user)
        .where(AccountChangeRequest.account_id == account.id)
        .order_by(AccountChangeRequest.id.desc()).limit(20)).all()
    files = {}
    for attachment in db.session.scalars(select(Attachment).where(
            Attachment.subject_type == AccountHistory.__tablename__,
            Attachment.subject_id.in_([e.id for e in account.history]))).all():
        files.setdefault(attachment.subject_id, []).append(attachment)
    return render_template(
        "communications/account.html", account=account, changes=changes, files=files,
        status_form=StatusForm(status=account.status), admin_form=admin_form,
        action=ActionForm(), can_keep=current_user.has_role("communications"),
        can_ask=account.can_ask_change(current_user))


@blueprint.post("/accounts/<int:account_id>/status")
@roles_required("communications")
def account_status(account_id: int):
    account = get_visible_or_404(OfficialAccount, account_id)
    form = StatusForm()
    return button(form, lambda: reg.set_status(current_user, account, form.status.data),
                  _("Le statut du compte a été changé."),
                  url_for("communications.account", account_id=account.id))


@blueprint.post("/accounts/<int:account_id>/administrators")
@roles_required("communications")
def administrator_add(account_id: int):
    account = get_visible_or_404(OfficialAccount, account_id)
    form = AdministratorForm()
    form.person.choices = []

    def add():
        person = db.session.get(Person, form.person.data or -1)
        if person is None:
            raise reg.InvalidCommunications(_("Choisissez une personne."))
        return reg.add_administrator(current_user, account, person)

    return button(form, add, _("L'administrateur a été ajouté au registre."),
                  url_for("communications.account", account_id=account.id))


@blueprint.post("/accounts/<int:account_id>/administrators/<int:holder_id>/remove")
@roles_required("communications")
def administrator_remove(account_id: int, holder_id: int):
    account = get_visible_or_404(OfficialAccount, account_id)
    holder = db.session.get(AccountAdministrator, holder_id)
    if holder is None or holder.account_id != account.id:
        abort(404)
    return button(ActionForm(), lambda: reg.remove_administrator(current_user, account,
                                                                 holder.person),
                  _("L'administrateur a été retiré du registre."),
                  url_for("communications.account", account_id=account.id))


@blueprint.get("/accounts/<int:account_id>/history/<int:entry_id>/files/<int:attachment_id>")
@login_required_any
def history_file(account_id: int, entry_id: int, attachment_id: int):
    """A screenshot of a change carried out (readable by whoever reads the register)."""
    account = get_visible_or_404(OfficialAccount, account_id)
    entry = db.session.get(AccountHistory, entry_id)
    attachment = db.session.get(Attachment, attachment_id)
    if entry is None or entry.account_id != account.id or attachment is None or (
            attachment.subject_type, attachment.subject_id) != (entry.__tablename__, entry.id):
        abort(404)
    return send_file(file_path(attachment), mimetype=attachment.content_type,
                     as_attachment=attachment.content_type == "application/pdf",
                     download_name=attachment.original_name)


# The request screens share this blueprint.
from hr_social.communications import request_views  # noqa: E402, F401
