"""Logo-use authorizations and account-change requests: ask, decide (with the requester's
past requests in view), ask for changes and resubmit, mark done; the register in force."""

from __future__ import annotations

import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hr_social.attachments.models import Attachment
from hr_social.attachments.services import file_path
from hr_social.communications import services as ops
from hr_social.communications.forms import ChangeForm, DecisionForm, DoneForm, LogoForm
from hr_social.communications.letter import issued_letter, letter_pdf
from hr_social.communications.models import (
    CHANGE_KINDS,
    CHANGE_STATES,
    LOGO_STATES,
    MEDIA,
    AccountChangeRequest,
    LogoAuthorization,
    LogoVisual,
    OfficialAccount,
)
from hr_social.communications.queries import change_list, in_force_list, logo_list
from hr_social.communications.timeline import timeline_for
from hr_social.communications.views import (
    blueprint,
    button,
    choices,
    platform_choices,
    service_choices,
)
from hr_social.db import db
from hr_social.people.models import Person
from hr_social.permissions import get_visible_or_404, login_required_any
from hr_social.web.actions import perform
from hr_social.web.forms import ActionForm
from hr_social.web.pagination import paginate
from hr_social.web.transitions import transitions_for

DECISION_NAMES = {"approve", "authorize", "request_changes", "escalate", "refuse"}


def _available(obj) -> set[str]:
    return transitions_for(obj)


def _account_choices(only_askable: bool):
    accounts = db.session.scalars(select(OfficialAccount).where(
        OfficialAccount.status != "closed").order_by(OfficialAccount.display_name)).all()
    if only_askable:
        accounts = [a for a in accounts if a.can_ask_change(current_user)]
    return [(None, "—")] + [(a.id, f"{a.display_name} ({a.platform.name})") for a in accounts]


def _decide(obj, template: str, approve):
    """Shared by both request types: the decider sees the request and the requester's past
    requests, and picks one decision."""
    if not _available(obj) & DECISION_NAMES:
        abort(403)
    form = DecisionForm()
    operations = {
        "approve": approve(form),
        "request_changes": lambda: ops.request_changes(current_user, obj, form.note.data),
        "escalate": lambda: ops.escalate(current_user, obj, form.note.data),
        "refuse": lambda: ops.refuse(current_user, obj, form.note.data),
    }
    outcome = perform(form, lambda: operations[form.decision.data](),
                      success=_("La décision est enregistrée."))
    if outcome.done:
        return redirect(url_for(f"communications.{template}_show", request_id=obj.id))
    past_logos, past_changes = ops.past_requests(obj)
    return render_template(f"communications/{template}_decide.html", r=obj, form=form,
                           past_logos=past_logos, past_changes=past_changes,
                           files=_files_of(obj.__tablename__, obj.id)), outcome.status


# --- logo ---------------------------------------------------------------------------------

@blueprint.get("/logo/")
@login_required_any
def logo_index():
    statement = logo_list(LogoAuthorization.visible_to(current_user), request.args, LOGO_STATES)
    return render_template("communications/logo_index.html", page=paginate(statement),
                           args=request.args, states=LOGO_STATES, media=MEDIA)


@blueprint.get("/authorizations")
@login_required_any
def in_force():
    page = paginate(in_force_list(ops.local_today(), request.args))
    return render_template("communications/in_force.html", page=page, args=request.args)


def _logo_fields(form) -> dict:
    return dict(purpose=form.purpose.data, medium=form.medium.data,
                account_id=form.account.data, medium_detail=form.medium_detail.data,
                audience=form.audience.data, starts_on=form.starts_on.data,
                ends_on=form.ends_on.data, visual=form.visual.data)


def _logo_form(authorization=None):
    form = LogoForm(obj=authorization)
    form.account.choices = _account_choices(only_askable=False)
    if request.method == "GET" and authorization is not None:
        form.account.data = authorization.account_id
    if authorization is None:
        outcome = perform(form, lambda: ops.ask_logo(current_user, **_logo_fields(form)),
                          success=_("Votre demande a été transmise à la Division des "
                                    "communications."))
    else:
        outcome = perform(
            form, lambda: ops.resubmit_logo(current_user, authorization, **_logo_fields(form)),
            success=_("Votre demande modifiée a été soumise de nouveau."))
    if outcome.done:
        return redirect(url_for("communications.logo_show", request_id=outcome.value.id))
    return render_template("communications/logo_form.html", form=form,
                           r=authorization), outcome.status


@blueprint.route("/logo/new", methods=["GET", "POST"])
@login_required_any
def logo_new():
    if current_user.person is None:
        abort(403)
    return _logo_form()


@blueprint.route("/logo/<int:request_id>/edit", methods=["GET", "POST"])
@login_required_any
def logo_edit(request_id: int):
    authorization = get_visible_or_404(LogoAuthorization, request_id)
    if "resubmit" not in _available(authorization):
        abort(403)
    return _logo_form(authorization)


@blueprint.get("/logo/<int:request_id>")
@login_required_any
def logo_show(request_id: int):
    authorization = get_visible_or_404(LogoAuthorization, request_id)
    return render_template("communications/logo_show.html", r=authorization,
                           action=ActionForm(),
                           timeline=timeline_for(authorization))


@blueprint.route("/logo/<int:request_id>/decide", methods=["GET", "POST"])
@login_required_any
def logo_decide(request_id: int):
    authorization = get_visible_or_404(LogoAuthorization, request_id)
    return _decide(authorization, "logo", lambda form: lambda: ops.authorize_logo(
        current_user, authorization, valid_until=form.valid_until.data,
        conditions=form.conditions.data, note=form.note.data))


@blueprint.post("/logo/<int:request_id>/withdraw")
@login_required_any
def logo_withdraw(request_id: int):
    authorization = get_visible_or_404(LogoAuthorization, request_id)
    return button(ActionForm(), lambda: ops.withdraw(current_user, authorization),
                  _("La demande a été retirée."),
                  url_for("communications.logo_show", request_id=request_id))


def _send(attachment: Attachment):
    """Images inline (their type was checked from their bytes); PDFs as downloads."""
    return send_file(file_path(attachment), mimetype=attachment.content_type,
                     as_attachment=attachment.content_type == "application/pdf",
                     download_name=attachment.original_name)


@blueprint.get("/logo/<int:request_id>/visuals/<int:visual_id>")
@login_required_any
def logo_visual(request_id: int, visual_id: int):
    authorization = get_visible_or_404(LogoAuthorization, request_id)
    visual = db.session.get(LogoVisual, visual_id)
    if visual is None or visual.authorization_id != authorization.id:
        abort(404)
    return _send(visual.attachment)


# --- changes to official accounts ---------------------------------------------------------

@blueprint.get("/changes/")
@login_required_any
def change_index():
    statement = change_list(AccountChangeRequest.visible_to(current_user), request.args,
                            CHANGE_STATES)
    return render_template("communications/change_index.html", page=paginate(statement),
                           args=request.args, states=CHANGE_STATES, kinds=CHANGE_KINDS)


def _change_fields(form) -> dict:
    return dict(account_id=form.account.data, kind=form.kind.data,
                proposed_text=form.proposed_text.data, wanted_on=form.wanted_on.data,
                administrator_id=form.administrator.data,
                new_platform_id=form.new_platform.data,
                new_display_name=form.new_display_name.data, new_url=form.new_url.data,
                new_service_id=form.new_service.data, files=form.files.data)


def _change_form(change=None):
    form = ChangeForm(obj=change)
    form.account.choices = _account_choices(only_askable=True)
    form.administrator.choices = [(None, "—")] + choices(
        select(Person).where(Person.is_active.is_(True))
        .order_by(Person.last_name, Person.first_name), lambda p: p.full_name)
    form.new_platform.choices = [(None, "—")] + platform_choices()
    form.new_service.choices = [(None, "—")] + service_choices()
    if request.method == "GET" and change is None and request.args.get("account"):
        form.account.data = form.account.coerce(request.args["account"])
    elif request.method == "GET" and change is not None:
        form.account.data, form.administrator.data = change.account_id, change.administrator_id
        form.new_platform.data, form.new_service.data = (change.new_platform_id,
                                                         change.new_service_id)
    if change is None:
        outcome = perform(form, lambda: ops.ask_change(current_user, **_change_fields(form)),
                          success=_("Votre demande a été transmise à la Division des "
                                    "communications."))
    else:
        outcome = perform(
            form, lambda: ops.resubmit_change(current_user, change, **_change_fields(form)),
            success=_("Votre demande modifiée a été soumise de nouveau."))
    if outcome.done:
        return redirect(url_for("communications.change_show", request_id=outcome.value.id))
    return render_template("communications/change_form.html", form=form,
                           r=change), outcome.status


@blueprint.route("/changes/new", methods=["GET", "POST"])
@login_required_any
def change_new():
    if current_user.person is None:
        abort(403)
    return _change_form()


@blueprint.route("/changes/<int:request_id>/edit", methods=["GET", "POST"])
@login_required_any
def change_edit(request_id: int):
    change = get_visible_or_404(AccountChangeRequest, request_id)
    if "resubmit" not in _available(change):
        abort(403)
    return _change_form(change)


def _files_of(subject_type: str, subject_id: int):
    return db.session.scalars(select(Attachment).where(
        Attachment.subject_type == subject_type, Attachment.subject_id == subject_id)
        .order_by(Attachment.id)).all()


@blueprint.get("/changes/<int:request_id>")
@login_required_any
def change_show(request_id: int):
    change = get_visible_or_404(AccountChangeRequest, request_id)
    return render_template("communications/change_show.html", r=change,
                           files=_files_of(change.__tablename__, change.id),
                           action=ActionForm(), done_form=DoneForm(),
                           timeline=timeline_for(change))


@blueprint.route("/changes/<int:request_id>/decide", methods=["GET", "POST"])
@login_required_any
def change_decide(request_id: int):
    change = get_visible_or_404(AccountChangeRequest, request_id)
    return _decide(change, "change", lambda form: lambda: ops.approve_change(
        current_user, change, note=form.note.data))


@blueprint.post("/changes/<int:request_id>/withdraw")
@login_required_any
def change_withdraw(request_id: int):
    change = get_visible_or_404(AccountChangeRequest, request_id)
    return button(ActionForm(), lambda: ops.withdraw(current_user, change),
                  _("La demande a été retirée."),
                  url_for("communications.change_show", request_id=request_id))


@blueprint.post("/changes/<int:request_id>/done")
@login_required_any
def change_done(request_id: int):
    change = get_visible_or_404(AccountChangeRequest, request_id)
    if "mark_done" not in _available(change):
        abort(403)
    form = DoneForm()
    return button(form, lambda: ops.mark_done(
        current_user, change, result=form.result.data, result_url=form.result_url.data,
        screenshot=form.screenshot.data),
        _("La modification est inscrite à l'historique du compte."),
        url_for("communications.change_show", request_id=request_id))


@blueprint.get("/changes/<int:request_id>/files/<int:attachment_id>")
@login_required_any
def change_file(request_id: int, attachment_id: int):
    change = get_visible_or_404(AccountChangeRequest, request_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or (attachment.subject_type, attachment.subject_id) != (
            change.__tablename__, change.id):
        abort(404)
    return _send(attachment)


@blueprint.get("/logo/<int:request_id>/letter.pdf")
@login_required_any
def logo_letter(request_id: int):
    authorization = get_visible_or_404(LogoAuthorization, request_id)
    issued = issued_letter(authorization)
    if authorization.state != "authorized" or not issued:
        abort(404)
    data = letter_pdf(authorization, issued[0])
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"autorisation-logo-{authorization.id}.pdf")
