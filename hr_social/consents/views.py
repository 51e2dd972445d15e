"""Consents (policy §3.4): record, show, print the form, sign (scan or on screen), withdraw,
download media. Coverage, publications and take-downs: publication_views.py."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from hr_social.attachments.models import Attachment
from hr_social.attachments.services import file_path
from hr_social.consents import documents, media
from hr_social.consents import services as ops
from hr_social.consents.forms import ConsentForm, PaperForm, ScreenForm, WithdrawForm
from hr_social.consents.models import KINDS, STATES, WITHDRAWAL_WAYS, Consent
from hr_social.db import db
from hr_social.documents.letter import organisation_context
from hr_social.documents.services import issued_for
from hr_social.permissions import get_visible_or_404, login_required_any
from hr_social.web.actions import perform
from hr_social.web.pagination import paginate
from hr_social.web.transitions import transitions_for

blueprint = Blueprint("consents", __name__, url_prefix="/consents")
UPLOAD_ENDPOINTS = {"consents.new", "consents.paper"}


@blueprint.before_request
def allow_large_media():
    """Videos may be larger than the application's usual request limit."""
    if request.endpoint in UPLOAD_ENDPOINTS and request.method == "POST":
        request.max_content_length = media.largest_limit() + media.MB


def _organisation() -> str:
    return organisation_context()["name"]


@blueprint.get("/")
@login_required_any
def index():
    statement = Consent.visible_to(current_user).where(Consent.state != "purged")
    q, state, kind = (request.args.get(n, "").strip()[:100] for n in ("q", "state", "kind"))
    if q:
        like = f"%{q.lower()}%"
        statement = statement.where(or_(func.lower(Consent.person_name).like(like),
                                        func.lower(Consent.event_name).like(like)))
    if state in STATES:
        statement = statement.where(Consent.state == state)
    if kind in KINDS:
        statement = statement.where(Consent.kind == kind)
    page = paginate(statement.order_by(Consent.id.desc()))
    ops.log_list_view(current_user, list(page.items))
    db.session.commit()
    return render_template("consents/index.html", page=page, states=STATES, kinds=KINDS,
                           args=request.args)


def _input(form) -> ops.ConsentInput:
    return ops.ConsentInput(
        **{name: form[name].data or "" for name in (
            "person_name", "category", "contact", "guardian_name", "guardian_relationship",
            "guardian_contact", "kind", "description", "purpose", "event_name",
            "authorized_by", "authorizer_name", "disclosed_what", "disclosed_to")},
        is_minor=bool(form.is_minor.data), event_on=form.event_on.data,
        channels=list(form.channels.data or []), valid_from=form.valid_from.data,
        valid_until=form.valid_until.data, disclosure_until=form.disclosure_until.data)


@blueprint.route("/new", methods=["GET", "POST"])
@login_required_any
def new():
    form = ConsentForm()
    form.channels.choices = ops.channel_choices()
    if request.method == "GET" and form.valid_from.data is None:
        form.valid_from.data = ops.today()
    outcome = perform(form, lambda: ops.record_consent(
        current_user, _input(form), files=request.files.getlist("files"),
        organisation=_organisation()),
        success=_("Le consentement est enregistré : faites-le signer (formulaire imprimé ou "
                  "à l'écran)."))
    if outcome.done:
        return redirect(url_for("consents.show", consent_id=outcome.value.id))
    return render_template("consents/form.html", form=form), outcome.status


def _visible(consent_id: int) -> Consent:
    consent = get_visible_or_404(Consent, consent_id)
    if consent.state == "purged":
        abort(404)
    return consent


@blueprint.get("/<int:consent_id>")
@login_required_any
def show(consent_id: int):
    consent = _visible(consent_id)
    ops.log_view(current_user, consent)
    db.session.commit()
    consent = db.session.get(Consent, consent_id)
    signed_files = {consent.signature_id, consent.signed_pdf_id, consent.scan_id} - {None}
    files = {a.id: a for a in db.session.scalars(select(Attachment).where(
        Attachment.id.in_(signed_files)))} if signed_files else {}
    return render_template(
        "consents/show.html", c=consent, media=ops.media_of(consent), files=files,
        documents=db.session.scalars(issued_for(documents.SUBJECT_TYPE, consent.id)).all(),
        can=transitions_for(consent),
        ways=WITHDRAWAL_WAYS, today=ops.today())


@blueprint.get("/<int:consent_id>/form.pdf")
@login_required_any
def form_pdf(consent_id: int):
    consent = _visible(consent_id)
    if consent.state != "unsigned":
        abort(404)
    data = documents.form_pdf(current_user, consent)
    db.session.commit()
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="consentement-{consent_id}.pdf"',
        "X-Content-Type-Options": "nosniff"})


@blueprint.route("/<int:consent_id>/paper", methods=["GET", "POST"])
@login_required_any
def paper(consent_id: int):
    consent = _visible(consent_id)
    form = PaperForm()
    if request.method == "GET" and form.signed_on.data is None:
        form.signed_on.data = ops.today()
    outcome = perform(form, lambda: ops.sign_on_paper(
        current_user, consent, signed_on=form.signed_on.data, scan_file=form.scan.data),
        success=_("Le formulaire signé est versé au dossier : le consentement est valide."))
    if outcome.done:
        return redirect(url_for("consents.show", consent_id=consent_id))
    return render_template("consents/paper.html", c=consent, form=form), outcome.status


@blueprint.route("/<int:consent_id>/sign", methods=["GET", "POST"])
@login_required_any
def sign(consent_id: int):
    consent = _visible(consent_id)
    form = ScreenForm()
    if request.method == "GET":
        ops.log_view(current_user, consent, what="text_for_signature")
        db.session.commit()
        consent = db.session.get(Consent, consent_id)
    outcome = perform(form, lambda: ops.sign_on_screen(
        current_user, consent, signature=form.signature.data, place=form.place.data or "",
        confirmed=bool(form.confirmed.data), organisation=_organisation()),
        success=_("Consentement signé : le PDF signé et scellé est versé au dossier."))
    if outcome.done:
        return redirect(url_for("consents.show", consent_id=consent_id))
    return render_template("consents/sign.html", c=consent, form=form), outcome.status


@blueprint.route("/<int:consent_id>/withdraw", methods=["GET", "POST"])
@login_required_any
def withdraw(consent_id: int):
    consent = _visible(consent_id)
    form = WithdrawForm()
    if request.method == "GET" and form.withdrawn_on.data is None:
        form.withdrawn_on.data = ops.today()
    outcome = perform(form, lambda: ops.withdraw(
        current_user, consent, withdrawn_on=form.withdrawn_on.data, way=form.way.data or ""),
        success=_("Le retrait est enregistré : les publications qui en dépendent sont à "
                  "retirer."))
    if outcome.done:
        return redirect(url_for("consents.takedowns"))
    return render_template("consents/withdraw.html", c=consent, form=form), outcome.status


@blueprint.get("/<int:consent_id>/files/<int:attachment_id>")
@login_required_any
def file(consent_id: int, attachment_id: int):
    consent = _visible(consent_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.removed_at is not None or (
            attachment.subject_type, attachment.subject_id) != (ops.SUBJECT, consent.id):
        abort(404)
    ops.log_view(current_user, consent, what="file", attachment_id=attachment.id)
    db.session.commit()
    attachment = db.session.get(Attachment, attachment_id)
    response = send_file(file_path(attachment), mimetype=attachment.content_type,
                         as_attachment=True, download_name=attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# The other pages of this blueprint register their routes on import.
from hr_social.consents import publication_views  # noqa: E402,F401
