"""HR's and the DG's actions on a case, and the settings page (the ladder, amnesty)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hr_social.db import db
from hr_social.delegation import acts_as_dg
from hr_social.discipline import catalogue, followups, letters
from hr_social.discipline import services as ops
from hr_social.discipline.entries import Grievance
from hr_social.discipline.forms import (
    ConvokeForm,
    DamagesForm,
    DecisionForm,
    EntryForm,
    GrievanceForm,
    GrievanceOutcomeForm,
    HearingForm,
    LevelForm,
    LinkForm,
    NotifyForm,
    ReasonForm,
    SettingsForm,
)
from hr_social.discipline.models import Case, DisciplineSettings, SanctionLevel
from hr_social.discipline.views import blueprint, case_page
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.actions import perform
from hr_social.web.forms import ActionForm
from hr_social.web.transitions import transitions_for


def _level_choices(field, levels=None):
    field.choices = [("", "—")] + [(str(lv.id), lv.label) for lv in (levels or
                                                                      catalogue.ladder())]


def action_forms(case: Case) -> dict:
    """Forms and the transitions open to the current user (for the case page's buttons)."""
    outcome = GrievanceOutcomeForm()
    _level_choices(outcome.level)
    link_form = LinkForm()
    link_form.subject_type.choices = [(k, str(v)) for k, v in followups.LINKABLE.items()
                                      if k in db.metadata.tables]
    return dict(action=ActionForm(), convoke_form=ConvokeForm(), hearing_form=HearingForm(),
                notify_form=NotifyForm(), reason_form=ReasonForm(), entry_form=EntryForm(),
                grievance_form=GrievanceForm(), outcome_form=outcome,
                damages_form=DamagesForm(), receipt_form=ActionForm(), link_form=link_form,
                can=transitions_for(case),
                open_grievance=followups.open_grievance(case))


def _act(case_id: int, form_class, operation, success: str, letter: str | None = None):
    """Load → validate → one service call → commit once → back to the case page. A letter
    that follows the step is laid out after the commit (see letters.issue_after_commit)."""
    case = get_visible_or_404(Case, case_id)
    form = form_class()
    outcome = perform(form, lambda: operation(case, form), success=success, flash_errors=True)
    if not outcome.done:
        return case_page(case_id, outcome.status or 422)
    if letter:
        _issue_letter(case_id, letter)
    return redirect(url_for("discipline.show", case_id=case_id))


def _issue_letter(case_id: int, kind: str) -> None:
    try:
        letters.issue_after_commit(current_user, case_id, kind)
    except Exception:  # the step stands; HR can issue the letter from the case page
        db.session.rollback()
        current_app.logger.exception("discipline letter %s for case %s", kind, case_id)
        flash(_("La lettre n'a pas pu être produite : émettez-la depuis le dossier."),
              "error")


@blueprint.post("/<int:case_id>/take")
@roles_required("hr")
def take(case_id: int):
    return _act(case_id, ActionForm, lambda c, f: ops.take(current_user, c),
                _("Le dossier est à vous : l'enquête commence."))


@blueprint.post("/<int:case_id>/convoke")
@roles_required("hr")
def convoke(case_id: int):
    return _act(case_id, ConvokeForm, lambda c, f: ops.convoke(
        current_user, c, hearing_at=_aware(f.hearing_at.data), place=f.place.data),
        _("La convocation est enregistrée et envoyée par courriel."), letter="convocation")


def _aware(moment):
    """The form's local date and time as an aware UTC moment."""
    if moment is None:
        return None
    from zoneinfo import ZoneInfo

    from flask import current_app

    zone = ZoneInfo(current_app.config["ORGANISATION_TIMEZONE"])
    return moment.replace(tzinfo=zone)


@blueprint.post("/<int:case_id>/hearing")
@roles_required("hr")
def hearing(case_id: int):
    return _act(case_id, HearingForm, lambda c, f: ops.hold_hearing(
        current_user, c, heard_on=f.heard_on.data, attendees=f.attendees.data,
        representative_present=f.representative_present.data,
        person_version=f.person_version.data), _("La rencontre est consignée."))


@blueprint.route("/<int:case_id>/decide", methods=["GET", "POST"])
@roles_required("hr")
def decide(case_id: int):
    case = get_visible_or_404(Case, case_id)
    form = DecisionForm()
    _level_choices(form.level)
    prior = ops.prior_sanctions(case)
    form.cited.choices = [(str(p.id), str(p.id)) for p in prior]
    outcome = perform(form, lambda: ops.decide(
        current_user, case, level_id=form.level.data or None, gravity=form.gravity.data,
        suspension_days=form.suspension_days.data, justification=form.justification.data,
        no_hearing_reason=form.no_hearing_reason.data, decision_text=form.decision_text.data,
        cited_ids=form.cited.data), success=lambda decided: (
            _("Le congédiement est proposé à la Direction générale.")
            if decided.state == "dismissal_proposed" else _("La décision est rendue.")))
    if outcome.done:
        if outcome.value.state == "decided":
            _issue_letter(case_id, "decision")
        return redirect(url_for("discipline.show", case_id=case_id))
    case = db.session.get(Case, case_id)
    return render_template("discipline/decide.html", case=case, form=form, prior=prior,
                           proposed=ops.proposed_step(case)), outcome.status


def _require_dg():
    """The DG, or the delegate the DG named for today."""
    if not acts_as_dg(current_user):
        abort(403)


@blueprint.post("/<int:case_id>/dismissal/decide")
@login_required_any
def decide_dismissal(case_id: int):
    _require_dg()
    return _act(case_id, ActionForm, lambda c, f: ops.decide_dismissal(current_user, c),
                _("Le congédiement est décidé."), letter="decision")


@blueprint.post("/<int:case_id>/dismissal/refuse")
@login_required_any
def refuse_dismissal(case_id: int):
    _require_dg()
    return _act(case_id, ReasonForm,
                lambda c, f: ops.refuse_dismissal(current_user, c, f.reason.data),
                _("Le dossier est retourné aux Ressources humaines."))


@blueprint.post("/<int:case_id>/notify")
@roles_required("hr")
def notify(case_id: int):
    return _act(case_id, NotifyForm, lambda c, f: ops.notify(
        current_user, c, notified_on=f.notified_on.data, method=f.method.data),
        _("La remise de la décision est consignée."))


@blueprint.post("/<int:case_id>/close")
@roles_required("hr")
def close(case_id: int):
    return _act(case_id, ActionForm, lambda c, f: ops.close(current_user, c),
                _("Le dossier est fermé."))


@blueprint.post("/<int:case_id>/close-without-sanction")
@roles_required("hr")
def close_without_sanction(case_id: int):
    return _act(case_id, ReasonForm,
                lambda c, f: ops.close_without_sanction(current_user, c, f.reason.data),
                _("Le dossier est fermé sans sanction."))


@blueprint.post("/<int:case_id>/entries")
@roles_required("hr")
def add_entry(case_id: int):
    return _act(case_id, EntryForm, lambda c, f: followups.add_by_hand(
        current_user, c, f.kind.data, text=f.text.data, url=f.url.data, field=f.field.data,
        file_storage=f.evidence.data), _("L'ajout est versé au dossier."))


@blueprint.post("/<int:case_id>/links")
@roles_required("hr")
def link(case_id: int):
    return _act(case_id, LinkForm, lambda c, f: followups.link_record(
        current_user, c, f.subject_type.data, f.subject_id.data),
        _("Le dossier lié est ajouté."))


@blueprint.post("/<int:case_id>/grievances")
@roles_required("hr")
def grievance(case_id: int):
    return _act(case_id, GrievanceForm, lambda c, f: followups.record_grievance(
        current_user, c, filed_on=f.filed_on.data, number=f.number.data),
        _("Le grief est consigné."))


@blueprint.post("/grievances/<int:grievance_id>/outcome")
@roles_required("hr")
def grievance_outcome(grievance_id: int):
    found = db.session.get(Grievance, grievance_id)
    case_id = found.case_id if found else 0

    def settle(case, form):
        followups.record_outcome(current_user, found, outcome=form.outcome.data,
                                 outcome_on=form.outcome_on.data,
                                 level_id=form.level.data or None, days=form.days.data)

    return _act(case_id, GrievanceOutcomeForm, settle, _("L'issue du grief est consignée."))


@blueprint.post("/<int:case_id>/damages")
@roles_required("hr")
def damages(case_id: int):
    followup = request.form.get("followup") == "1"
    return _act(case_id, DamagesForm, lambda c, f: followups.record_damages(
        current_user, c, amount=f.amount.data, text=f.text.data, followup=followup),
        _("Le recouvrement est consigné."))


@blueprint.route("/settings", methods=["GET", "POST"])
@roles_required("hr")
def settings():
    current = DisciplineSettings.current()
    form = SettingsForm(obj=current)
    levels = catalogue.ladder(include_inactive=True)
    outcome = perform(form, lambda: catalogue.save_settings(
        current_user, amnesty_months=form.amnesty_months.data,
        restart_on_recidivism=form.restart_on_recidivism.data, retention=form.retention.data),
        success=_("Les paramètres sont enregistrés."))
    if outcome.done:
        return redirect(url_for("discipline.settings"))
    if request.method == "GET":
        db.session.commit()  # the default ladder, written on first visit
    status = outcome.status
    return render_template("discipline/settings.html", form=form, levels=levels,
                           level_forms={lv.id: LevelForm(obj=lv, formdata=None,
                                                         prefix=_prefix(lv.id))
                                        for lv in levels},
                           new_level=LevelForm(formdata=None, prefix=_prefix(None))), status


def _prefix(level_id) -> str:
    """Several level forms share the page: each gets its own field ids."""
    return f"level{level_id}" if level_id else "newlevel"


@blueprint.post("/settings/levels", defaults={"level_id": None})
@blueprint.post("/settings/levels/<int:level_id>")
@roles_required("hr")
def save_level(level_id):
    level = db.session.get(SanctionLevel, level_id) if level_id else None
    if level_id and level is None:
        abort(404)
    form = LevelForm(prefix=_prefix(level_id))
    perform(form, lambda: catalogue.save_level(
        current_user, level, label=form.label.data, rank=form.rank.data or 0,
        kind=form.kind.data, requires_days=form.requires_days.data,
        requires_dg=form.requires_dg.data, is_active=form.is_active.data),
        success=_("L'échelle des sanctions est enregistrée."), flash_errors=True)
    return redirect(url_for("discipline.settings"))  # Post/Redirect/Get, refused or not
