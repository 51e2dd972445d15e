"""Retention schedule, what a run would dispose of, destruction register and legal holds
(blueprint ``records``; the incident register is in incident_views.py)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from hr_social.audit.confidentiality import register_target_type
from hr_social.db import db
from hr_social.people.models import Person
from hr_social.permissions import roles_required
from hr_social.records import disposal, holds, retention
from hr_social.records.forms import HoldForm, LiftForm, RuleForm
from hr_social.records.models import HOLD_KINDS, HOLD_ROLES, SCHEDULE_READERS, LegalHold
from hr_social.records.registry import record_type
from hr_social.web.actions import back_to, perform
from hr_social.web.navigation import register_nav
from hr_social.web.pagination import paginate

blueprint = Blueprint("records", __name__, url_prefix="/records")

register_nav("records.schedule", _l("Conservation des documents"), SCHEDULE_READERS,
             order=60)
# Holds name a person and a recourse: their entries keep ids and codes only.
register_target_type(LegalHold.__tablename__, readers=(*HOLD_ROLES, "privacy"),
                     confidential=True, state_fields=("kind", "record_type"))


def _rule_form(rule: retention.Rule, form: RuleForm | None = None) -> RuleForm:
    kind = rule.record_type
    form = form or RuleForm(prefix=kind.code.replace(".", "-"), data={
        "period_months": rule.period_months, "event": rule.event,
        "disposition": rule.disposition})
    form.event.choices = retention.events_choices(kind)
    form.disposition.choices = retention.disposition_choices(kind)
    return form


def _schedule_page(refused: tuple[str, RuleForm] | None = None, status: int = 200):
    rules = retention.schedule()
    forms = {}
    for rule in rules:
        if refused and refused[0] == rule.record_type.code:
            forms[rule.record_type.code] = _rule_form(rule, refused[1])
        else:
            forms[rule.record_type.code] = _rule_form(rule)
    return render_template("records/schedule.html", rules=rules, forms=forms,
                           may_edit=current_user.has_role("hr"),
                           event_labels=retention.EVENT_LABELS,
                           disposition_labels=retention.DISPOSITION_LABELS), status


@blueprint.get("/retention")
@roles_required(*SCHEDULE_READERS)
def schedule():
    return _schedule_page()


@blueprint.post("/retention/<code>")
@roles_required("hr")
def save_rule(code: str):
    kind = record_type(code)
    if kind is None or not kind.retention_events:
        abort(404)
    form = _rule_form(retention.rule_for(kind), RuleForm(prefix=code.replace(".", "-")))
    outcome = perform(form, lambda: retention.save_rule(
        current_user, code, period_months=form.period_months.data, event=form.event.data,
        disposition=form.disposition.data), success=_("Le calendrier est enregistré."))
    if outcome.done:
        return redirect(url_for("records.schedule"))
    return _schedule_page((code, form), outcome.status)


@blueprint.get("/retention/preview")
@roles_required(*SCHEDULE_READERS)
def preview():
    """The dry run on screen: what the next run would dispose of, and what a hold keeps."""
    planned = disposal.plan(retention.today())
    db.session.rollback()
    return render_template("records/preview.html", planned=planned, today=retention.today(),
                           event_labels=retention.EVENT_LABELS,
                           disposition_labels=retention.DISPOSITION_LABELS,
                           kind_labels=holds.HOLD_KIND_LABELS)


@blueprint.get("/disposals")
@roles_required(*SCHEDULE_READERS)
def disposals():
    code = request.args.get("type") or None
    page = paginate(disposal.register_statement(code if record_type(code or "") else None))
    types = retention.retention_types()
    return render_template("records/disposals.html", page=page, types=types, code=code,
                           event_labels=retention.EVENT_LABELS,
                           disposition_labels=retention.DISPOSITION_LABELS)


def _hold_form(form: HoldForm | None = None) -> HoldForm:
    form = form or HoldForm()
    form.kind.choices = [SelectChoice(k, str(holds.HOLD_KIND_LABELS[k])) for k in HOLD_KINDS]
    form.record_type.choices = [SelectChoice("", "—")] + [
        SelectChoice(t.code, str(t.label)) for t in retention.retention_types()]
    return form


def _holds_page(form: HoldForm | None = None, status: int = 200):
    shown = request.args.get("status", "active")
    page = paginate(holds.holds_statement(shown))
    return render_template("records/holds.html", page=page, form=_hold_form(form),
                           lift_form=LiftForm(), status=shown,
                           kind_labels=holds.HOLD_KIND_LABELS,
                           type_labels={t.code: t.label for t in retention.retention_types()}
                           ), status


@blueprint.get("/holds")
@roles_required(*HOLD_ROLES)
def hold_list():
    return _holds_page()


def _person_by_number(raw: str | None):
    number = (raw or "").strip()
    if not number:
        return None
    person = db.session.scalar(select(Person).where(
        func.lower(Person.employee_number) == number.lower()))
    if person is None:
        raise holds.InvalidHold(_("La conservation n'a pas été enregistrée."), {
            "employee_number": _("Aucune personne ne porte ce numéro d'employé.")})
    return person


@blueprint.post("/holds")
@roles_required(*HOLD_ROLES)
def place_hold():
    form = _hold_form()
    outcome = perform(form, lambda: holds.place_hold(
        current_user, kind=form.kind.data, reference=form.reference.data,
        reason=form.reason.data, person=_person_by_number(form.employee_number.data),
        record_type_code=form.record_type.data, record_id=form.record_id.data),
        success=_("La conservation est en place : ces documents ne seront pas détruits."))
    if outcome.done:
        return redirect(url_for("records.hold_list"))
    return _holds_page(form, outcome.status)


@blueprint.post("/holds/<int:hold_id>/lift")
@roles_required(*HOLD_ROLES)
def lift_hold(hold_id: int):
    hold = holds.hold_by_id(hold_id)
    if hold is None:
        abort(404)
    form = LiftForm()
    outcome = perform(form, lambda: holds.lift_hold(current_user, hold,
                                                    reason=form.reason.data),
                      success=_("La conservation est levée."), flash_errors=True)
    return back_to(url_for("records.hold_list"), outcome)

