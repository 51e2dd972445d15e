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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from hr_social.acknowledgements import printing, services
from hr_social.acknowledgements.forms import (
    BulkPrintForm,
    CampaignForm,
    FollowUpForm,
    PaperForm,
    PolicyVersionForm,
    RefusalForm,
    SignForm,
    VerifyForm,
)
from hr_social.acknowledgements.importing import PolicyFileRejected, import_text
from hr_social.acknowledgements.models import (
    Acknowledgement,
    AckStatus,
    Campaign,
    PolicyVersion,
)
from hr_social.attachments.services import UploadRejected, file_path
from hr_social.auth.services import count_failed_reauth
from hr_social.db import db, french
from hr_social.jobs.runner import create_job, dispatch
from hr_social.people.models import Person, Service, person_search
from hr_social.permissions import get_visible_or_404, login_required_any, public, roles_required
from hr_social.web.dashboard import Counted, dashboard_provider, link
from hr_social.web.forms import ActionForm
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("acknowledgements", __name__)
register_nav("acknowledgements.mine", _l("Mes accusés de réception"), (), order=20)
register_nav("acknowledgements.policies", _l("Politique et accusés"), ("hr",), order=60)


@blueprint.app_template_global()
def acknowledgements_of(person):
    """What the viewer may see of a person's acknowledgements (HR, or the person)."""
    return db.session.scalars(
        Acknowledgement.visible_to(current_user).where(Acknowledgement.person_id == person.id)
        .options(joinedload(Acknowledgement.campaign).joinedload(Campaign.policy_version))
        .order_by(Acknowledgement.id.desc())).all()


@dashboard_provider
def _pending_card(user):
    if user.person_id is None:
        return []
    current = select(PolicyVersion.id).where(PolicyVersion.published_at.is_not(None)).order_by(
        PolicyVersion.published_at.desc(), PolicyVersion.id.desc()).limit(1)
    pending = select(func.count()).select_from(Acknowledgement).join(Campaign).where(
        Acknowledgement.person_id == user.person_id, Campaign.closed_at.is_(None),
        Campaign.policy_version_id == current.scalar_subquery(),
        Acknowledgement.status == AckStatus.pending)
    return [Counted(_("Politique à signer"), _("Lisez la politique et signez votre accusé de "
                                               "réception."), link("acknowledgements.mine"),
                    pending)]


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
    services.mark_policy_opened(ack, current_user)
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
    if form.validate_on_submit():
        try:
            services.sign_electronically(
                ack, current_user, typed_name=form.typed_name.data,
                password=form.password.data, ticked=form.ticked.data,
                address=request.remote_addr, user_agent=request.user_agent.string)
        except services.AcknowledgementError as error:
            db.session.rollback()
            if isinstance(error, services.WrongPassword):  # counted like a failed login
                count_failed_reauth(current_user, request.remote_addr or "unknown")
                db.session.commit()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Merci : votre accusé de réception est signé."), "success")
            return redirect(url_for("acknowledgements.mine"))
    return render_template("acknowledgements/sign.html", ack=ack, form=form), \
        (422 if form.errors or form.form_errors else 200)


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
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = services.print_one(ack, current_user)
    except services.AcknowledgementError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("acknowledgements.manage", ack_id=ack.id))
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"accuse-{ack.person.employee_number}.pdf")


def _record(ack_id: int, form_class, operation, **fields):
    ack = get_visible_or_404(Acknowledgement, ack_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            operation(ack, current_user, **{k: getter(form) for k, getter in fields.items()})
        except (services.AcknowledgementError, UploadRejected) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("C'est enregistré."), "success")
    else:
        flash(_("Le formulaire contient des erreurs : corrigez les champs indiqués."), "error")
    return redirect(url_for("acknowledgements.manage", ack_id=ack.id))


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


# ---- HR: policy versions ------------------------------------------------------------------------

@blueprint.get("/acknowledgements/policies")
@roles_required("hr")
def policies():
    statement = PolicyVersion.visible_to(current_user).order_by(PolicyVersion.id.desc())
    if query := request.args.get("q", "").strip():
        statement = statement.where(or_(PolicyVersion.title.ilike(f"%{query}%"),
                                        PolicyVersion.version_label.ilike(f"%{query}%")))
    status = request.args.get("status", "")
    if status in {"draft", "published"}:
        statement = statement.where(PolicyVersion.published_at.is_(None) if status == "draft"
                                    else PolicyVersion.published_at.is_not(None))
    return render_template("acknowledgements/policies.html", page=paginate(statement),
                           args=request.args, current=PolicyVersion.current())


@blueprint.route("/acknowledgements/policies/new", methods=["GET", "POST"])
@roles_required("hr")
def new_policy():
    form = PolicyVersionForm()
    if form.validate_on_submit():
        try:
            body, source = _policy_body(form)
            version = services.create_version(
                current_user, title=form.title.data, version_label=form.version_label.data,
                effective_date=form.effective_date.data, body=body,
                key_points=form.key_points.data or "", source_name=source)
        except (PolicyFileRejected, services.AcknowledgementError) as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("La version est enregistrée comme brouillon."), "success")
            return redirect(url_for("acknowledgements.policy", version_id=version.id))
    return render_template("acknowledgements/policy_form.html", form=form), \
        (422 if form.errors or form.form_errors else 200)


def _policy_body(form) -> tuple[str, str | None]:
    from flask import current_app

    limit = current_app.config["ACK_POLICY_MAX_BYTES"]
    upload = form.file.data
    if upload and getattr(upload, "filename", ""):
        return import_text(upload.read(limit + 1), upload.filename, limit), upload.filename
    return import_text((form.body.data or "").encode("utf-8"), "texte.txt", limit), None


@blueprint.get("/acknowledgements/policies/<int:version_id>")
@roles_required("hr")
def policy(version_id: int):
    version = get_visible_or_404(PolicyVersion, version_id)
    return render_template("acknowledgements/policy_show.html", version=version,
                           action=ActionForm())


@blueprint.post("/acknowledgements/policies/<int:version_id>/publish")
@roles_required("hr")
def publish(version_id: int):
    version = get_visible_or_404(PolicyVersion, version_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            campaign = services.publish_version(version, current_user)
        except services.AcknowledgementError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Version publiée : la campagne d'accusés de réception est ouverte."),
                  "success")
            return redirect(url_for("acknowledgements.campaign", campaign_id=campaign.id))
    return redirect(url_for("acknowledgements.policy", version_id=version.id))


# ---- HR: campaigns ----------------------------------------------------------------------------

@blueprint.get("/acknowledgements/campaigns/<int:campaign_id>")
@roles_required("hr")
def campaign(campaign_id: int):
    campaign = get_visible_or_404(Campaign, campaign_id)
    statement = (select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
                 .options(joinedload(Acknowledgement.person).joinedload(Person.service))
                 .where(Acknowledgement.campaign_id == campaign.id,
                        Acknowledgement.still_relevant())
                 .order_by(french(Person.last_name), french(Person.first_name)))
    status = request.args.get("status", "waiting")
    if status == "waiting":
        statement = statement.where(Acknowledgement.status.in_(
            [AckStatus.pending, AckStatus.refused]))
    elif status in AckStatus.__members__:
        statement = statement.where(Acknowledgement.status == status)
    if query := request.args.get("q", "").strip():
        statement = statement.where(person_search(query))
    if service_id := request.args.get("service", type=int):
        statement = statement.where(Person.service_id == service_id)
    form = CampaignForm(obj=campaign)
    return render_template(
        "acknowledgements/campaign.html", campaign=campaign, form=form, action=ActionForm(),
        stats=services.completion_by_service(campaign), page=paginate(statement),
        args=request.args, status=status, services=_services())


def _services():
    return db.session.scalars(Service.visible_to(current_user).order_by(french(Service.name))).all()


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/settings")
@roles_required("hr")
def campaign_settings(campaign_id: int):
    campaign = get_visible_or_404(Campaign, campaign_id)
    form = CampaignForm()
    if form.validate_on_submit():
        try:
            services.update_campaign(campaign, current_user, deadline=form.deadline.data,
                                     reminder_count=form.reminder_count.data,
                                     reminder_interval_days=form.reminder_interval_days.data)
        except services.AcknowledgementError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Échéance et rappels enregistrés."), "success")
    else:
        flash(_("Le formulaire contient des erreurs : corrigez les champs indiqués."), "error")
    return redirect(url_for("acknowledgements.campaign", campaign_id=campaign.id))


@blueprint.post("/acknowledgements/campaigns/<int:campaign_id>/close")
@roles_required("hr")
def close_campaign(campaign_id: int):
    campaign = get_visible_or_404(Campaign, campaign_id)
    if ActionForm().validate_on_submit():
        try:
            services.close_campaign(campaign, current_user)
        except services.AcknowledgementError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("La campagne est fermée."), "success")
    return redirect(url_for("acknowledgements.campaign", campaign_id=campaign.id))


# ---- HR: bulk printing ----------------------------------------------------------------------

@blueprint.route("/acknowledgements/print", methods=["GET", "POST"])
@roles_required("hr")
def bulk_print():
    form = BulkPrintForm()
    form.service_id.choices = [(s.id, s.name) for s in _services()]
    campaigns = db.session.scalars(Campaign.visible_to(current_user)
                                   .order_by(Campaign.id.desc())).all()
    form.campaign_id.choices = [(c.id, str(c)) for c in campaigns]
    if form.validate_on_submit():
        scope = form.scope.data
        params = {"scope": scope, "service_id": form.service_id.data,
                  "campaign_id": form.campaign_id.data}
        count = len(db.session.scalars(printing.selection(scope, **{
            k: v for k, v in params.items() if k != "scope"})).unique().all())
        if count == 0:
            form.form_errors.append(_("Personne à imprimer pour ce choix."))
        else:
            service = db.session.get(Service, form.service_id.data or 0)
            campaign = db.session.get(Campaign, form.campaign_id.data or 0)
            if (scope == "service" and service is None) or \
                    (scope == "campaign" and campaign is None):
                abort(400)
            job = create_job(printing.KIND, printing.describe(scope, service, campaign),
                             params, user=current_user)
            job.total = count
            db.session.commit()
            dispatch(job.id)
            return redirect(url_for("jobs.show", job_id=job.id))
    return render_template("acknowledgements/bulk_print.html", form=form), \
        (422 if form.errors or form.form_errors else 200)


# ---- public verification --------------------------------------------------------------------

def _verify(code: str, uploaded: bytes | None):
    address = request.remote_addr or "?"
    if services.throttled(address):
        return render_template("acknowledgements/verify.html", form=VerifyForm(code=code),
                               throttled=True), 429
    document, matches = services.verify(code, address, uploaded)
    db.session.commit()
    return render_template("acknowledgements/verify.html", form=VerifyForm(code=code),
                           document=document, matches=matches, looked_up=True), \
        (200 if document else 404)


@blueprint.route("/verify", methods=["GET", "POST"])
@public
def verify():
    form = VerifyForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(20 * 1024 * 1024) if upload and upload.filename else None
        return _verify(form.code.data, data)
    return render_template("acknowledgements/verify.html", form=form)


@blueprint.get("/verify/<code>")
@public
def verify_code(code: str):
    return _verify(code[:40], None)


from hr_social.acknowledgements import demo as _demo  # noqa: E402,F401 - registers the seeder


@blueprint.record_once
def _warm_pdf_renderer(state) -> None:
    """The first PDF a user asks for must not pay WeasyPrint's import."""
    if state.app.config.get("PDF_WARM_AT_START") and not state.app.testing:
        from hr_social import pdf

        pdf.warm_in_background()
