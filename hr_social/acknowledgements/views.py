from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hr_social.acknowledgements import services
from hr_social.acknowledgements.forms import (
    FollowUpForm,
    PaperForm,
    RefusalForm,
    SignForm,
)
from hr_social.acknowledgements.models import (
    Acknowledgement,
    Campaign,
    PolicyVersion,
)
from hr_social.acknowledgements.rendering import inline_markdown
from hr_social.attachments.services import file_path
from hr_social.auth.services import count_failed_reauth
from hr_social.db import db
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.actions import back_to, perform
from hr_social.web.forms import ActionForm

blueprint = Blueprint("acknowledgements", __name__)


@blueprint.app_template_global()
def acknowledgements_of(person):
    """What the viewer may see of a person's acknowledgements (HR, or the person)."""
    return db.session.scalars(
        Acknowledgement.visible_to(current_user).where(Acknowledgement.person_id == person.id)
        .options(joinedload(Acknowledgement.campaign).joinedload(Campaign.policy_version))
        .order_by(Acknowledgement.id.desc())).all()


@blueprint.app_template_filter("policy_markdown")
def policy_markdown(text):
    """A block of the policy text as safe inline Markdown (see ``rendering``)."""
    return inline_markdown(text)


# ---- employee: read and sign ----------------------------------------------------------------

@blueprint.get("/acknowledgements/")
@login_required_any
def mine():
    acks = db.session.scalars(
        select(Acknowledgement).where(Acknowledgement.person_id == (current_user.person_id or -1))
        .order_by(Acknowledgement.id.desc())).all()
    return render_template("acknowledgements/mine.html", acks=acks,
                           current=PolicyVersion.current())


@blueprint.get("/acknowledgements/<int:ack_id>/policy")
@login_required_any
def read_policy(ack_id: int):
    ack = get_visible_or_404(Acknowledgement, ack_id)
    services.mark_policy_opened(current_user, ack)
    db.session.commit()
    return render_template("acknowledgements/policy.html", ack=ack,
                           version=ack.campaign.policy_version)


def _own_or_404(ack_id: int) -> Acknowledgement:
    ack = get_visible_or_404(Acknowledgement, ack_id)
    if ack.person_id != current_user.person_id:
        abort(404)  # nobody acknowledges for someone else
    return ack


@blueprint.route("/acknowledgements/<int:ack_id>/sign", methods=["GET", "POST"])
@login_required_any
def sign(ack_id: int):
    ack = _own_or_404(ack_id)
    if ack.policy_opened_at is None:
        flash(_("Lisez d'abord le texte de la politique."), "info")
        return redirect(url_for("acknowledgements.read_policy", ack_id=ack.id))
    form = SignForm()
    outcome = perform(form, lambda: services.sign_electronically(
        current_user, ack, typed_name=form.typed_name.data, password=form.password.data,
        ticked=form.ticked.data, address=request.remote_addr,
        user_agent=request.user_agent.string),
        success=_("Merci : votre accusé de réception est signé."), on_refused=_count_wrong_password)
    if outcome.done:
        return redirect(url_for("acknowledgements.mine"))
    return render_template("acknowledgements/sign.html", ack=ack, form=form), outcome.status


def _count_wrong_password(error) -> None:
    if isinstance(error, services.WrongPassword):  # counted like a failed login
        count_failed_reauth(current_user, request.remote_addr or "unknown")
        db.session.commit()


@blueprint.get("/acknowledgements/<int:ack_id>/signed.pdf")
@login_required_any
def signed_pdf(ack_id: int):
    ack = get_visible_or_404(Acknowledgement, ack_id)
    document = ack.signed_pdf or ack.scan
    if document is None:
        abort(404)
    return send_file(file_path(document), mimetype=document.content_type,
                     as_attachment=True, download_name=document.original_name)


# ---- HR: one acknowledgement -------------------------------------------------------------------

@blueprint.get("/acknowledgements/<int:ack_id>/manage")
@roles_required("hr")
def manage(ack_id: int):
    ack = get_visible_or_404(Acknowledgement, ack_id)
    return render_template("acknowledgements/manage.html", ack=ack, paper=PaperForm(),
                           refusal=RefusalForm(), follow_up=FollowUpForm(), action=ActionForm())


@blueprint.post("/acknowledgements/<int:ack_id>/print")
@roles_required("hr")
def print_one(ack_id: int):
    ack = get_visible_or_404(Acknowledgement, ack_id)
    outcome = perform(ActionForm(), lambda: services.print_one(current_user, ack),
                      flash_errors=True)
    if not outcome.done:
        return back_to(url_for("acknowledgements.manage", ack_id=ack.id), outcome)
    return send_file(io.BytesIO(outcome.value), mimetype="application/pdf", as_attachment=True,
                     download_name=f"accuse-{ack.person.employee_number}.pdf")


def _record(ack_id: int, form_class, operation, **fields):
    ack = get_visible_or_404(Acknowledgement, ack_id)
    form = form_class()
    outcome = perform(form, lambda: operation(
        current_user, ack, **{k: getter(form) for k, getter in fields.items()}),
        success=_("C'est enregistré."), flash_errors=True)
    return back_to(url_for("acknowledgements.manage", ack_id=ack.id), outcome)


@blueprint.post("/acknowledgements/<int:ack_id>/paper")
@roles_required("hr")
def record_paper(ack_id: int):
    return _record(ack_id, PaperForm, services.record_paper,
                   signed_on=lambda f: f.signed_on.data, scan_file=lambda f: f.scan.data)


@blueprint.post("/acknowledgements/<int:ack_id>/refusal")
@roles_required("hr")
def record_refusal(ack_id: int):
    return _record(ack_id, RefusalForm, services.record_refusal,
                   refused_on=lambda f: f.refused_on.data, witness=lambda f: f.witness.data,
                   note=lambda f: f.note.data or "")


@blueprint.post("/acknowledgements/<int:ack_id>/follow-up")
@roles_required("hr")
def follow_up(ack_id: int):
    return _record(ack_id, FollowUpForm, services.record_follow_up,
                   note=lambda f: f.note.data)



from hr_social.acknowledgements import campaign_views as _campaign_views  # noqa: E402,F401
from hr_social.acknowledgements import policy_views as _policy_views  # noqa: E402,F401 - routes


@blueprint.record_once
def _warm_pdf_renderer(state) -> None:
    """The first PDF a user asks for must not pay WeasyPrint's import."""
    if state.app.config.get("PDF_WARM_AT_START") and not state.app.testing:
        from hr_social import pdf

        pdf.warm_in_background()
