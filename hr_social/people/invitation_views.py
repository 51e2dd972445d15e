"""Invitations: sent in bulk from the people list, listed, re-sent; the link's page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from hr_social.auth.signin_forms import ChoosePasswordForm
from hr_social.db import db, utcnow
from hr_social.errors import DomainError
from hr_social.people import invitations
from hr_social.people.models import Invitation, Person
from hr_social.people.views import people_matching
from hr_social.permissions import public, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm
from hr_social.web.input_limits import int_in_range
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("invitations", __name__)
register_nav("invitations.index", _l("Invitations"), ("hr", "admin"), order=52)
FILTERS = ("q", "service", "kind", "status", "manager", "login")
# One bulk send at most: beyond, filter by service (a mail server rate-limits anyway).
MAX_BATCH = 1000


@blueprint.app_template_global()
def sign_in_help(person) -> str:
    return invitations.sign_in_help(person)


def _chosen_people():
    """The ticked people, or every person matching the list's filters."""
    form = request.form
    if form.get("scope") == "matching":
        args = MultiDict({k: form[k] for k in FILTERS if form.get(k)})
        statement = people_matching(args, current_user).where(
            Person.is_active.is_(True), ~Person.user.has()).options(joinedload(Person.user))
    else:
        ids = [int(v) for v in form.getlist("person_ids")
               if v.isdigit() and int_in_range(int(v))][:MAX_BATCH]
        statement = Person.visible_to(current_user).where(Person.id.in_(ids))
    return db.session.scalars(statement.limit(MAX_BATCH + 1)).unique().all()


@blueprint.post("/people/invitations")
@roles_required("hr", "admin")
def send():
    outcome = perform(ActionForm(), _invite_chosen, flash_errors=True)
    if not outcome.done:
        return back_to(url_for("people.index", login="none"), outcome)
    report = outcome.value
    flash(_("Invitations envoyées : %(sent)d ; envoyées de nouveau : %(resent)d.",
            sent=report.sent, resent=report.resent), "success")
    for person, reason in report.skipped[:20]:
        flash(_("Pas d'invitation pour %(name)s : %(reason)s.", name=person.full_name,
                reason=reason), "warning")
    if len(report.skipped) > 20:
        flash(_("… et %(n)d autre(s) personne(s) sans invitation.",
                n=len(report.skipped) - 20), "warning")
    return redirect(url_for("invitations.index"))


def _invite_chosen() -> invitations.InviteReport:
    people = _chosen_people()
    if not people:
        raise DomainError(_("Cochez au moins une personne, ou choisissez « toutes les "
                            "personnes correspondantes »."))
    if len(people) > MAX_BATCH:
        raise DomainError(_("Plus de %(n)d personnes : filtrez par service et envoyez en "
                            "plusieurs fois.", n=MAX_BATCH))
    return invitations.invite(current_user, people)


@blueprint.get("/people/invitations")
@roles_required("hr", "admin")
def index():
    status = request.args.get("status", "")
    statement = invitations.listing(status).options(
        joinedload(Invitation.person).joinedload(Person.service))
    return render_template("people/invitations.html", page=paginate(statement), status=status,
                           labels=invitations.STATUS_LABELS, now=utcnow(),
                           action_form=ActionForm())


@blueprint.post("/people/invitations/<int:invitation_id>/resend")
@roles_required("hr", "admin")
def resend(invitation_id: int):
    invitation = db.get_or_404(Invitation, invitation_id)
    outcome = perform(ActionForm(), lambda: invitations.resend(current_user, invitation),
                      flash_errors=True, success=_(
                          "Invitation envoyée de nouveau à %(name)s ; l'ancien lien ne "
                          "fonctionne plus.", name=invitation.person.full_name))
    return back_to(url_for("invitations.index"), outcome)


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    try:
        invitation = invitations.usable(token)
    except invitations.InvitationRefused as refusal:
        db.session.commit()  # the audit entry of the refused link, nothing else
        return render_template("people/invitation_refused.html", message=str(refusal)), 410
    form = ChoosePasswordForm()
    if request.method == "GET":
        form.username.data = invitations.suggested_username(invitation.person)
    outcome = perform(form, lambda: invitations.accept(
        token, username=form.username.data, password=form.new_password.data),
        success=lambda user: _("Votre compte %(u)s est prêt : connectez-vous avec le mot de "
                               "passe choisi.", u=user.username))
    if outcome.done:
        return redirect(url_for("auth.login"))
    return render_template("people/invitation_accept.html", form=form,
                           person=invitation.person), outcome.status
