"""The person's file (``/records/people/<id>``) and HR's register of access and correction
requests (A-2.1), with the answer's PDF export."""

from __future__ import annotations

import io

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, select

from hr_social.db import db, french, utcnow
from hr_social.people.models import Person
from hr_social.people.search import person_matches
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.records import person_file
from hr_social.records import requests_services as ops
from hr_social.records.requests_answer import answer_pdf
from hr_social.records.requests_forms import (
    AnswerForm,
    CorrectionForm,
    ExtensionForm,
    RequestForm,
)
from hr_social.records.requests_models import STATES, RecordsRequest
from hr_social.web.actions import perform
from hr_social.web.input_limits import row_by_id
from hr_social.web.pagination import Page, paginate, requested_page

blueprint = Blueprint("records_file", __name__, url_prefix="/records")
FILE_PAGE_SIZE = 25


# --- the person's file ----------------------------------------------------------------------

@blueprint.get("/mine")
@login_required_any
def my_file():
    if current_user.person_id is None:
        abort(404)
    return redirect(url_for("records_file.person", person_id=current_user.person_id))


@blueprint.get("/people/<int:person_id>")
@login_required_any
def person(person_id: int):
    found = db.session.get(Person, person_id)
    if not person_file.may_open(current_user, found):
        abort(404)
    show_hidden = request.args.get("hidden") == "1" and current_user.person_id != person_id
    person_file.opened(current_user, found, show_hidden=show_hidden)
    every = person_file.entries(found, current_user, show_hidden=show_hidden)
    hidden = not show_hidden and person_file.has_hidden_entries(found, current_user)
    db.session.commit()
    number = min(requested_page(), max(1, -(-len(every) // FILE_PAGE_SIZE)))
    page = Page(every[(number - 1) * FILE_PAGE_SIZE:number * FILE_PAGE_SIZE], number,
                FILE_PAGE_SIZE, len(every))
    return render_template("records/person_file.html", person=found, page=page,
                           show_hidden=show_hidden, hidden=hidden)


# --- the register -----------------------------------------------------------------------------

def _register_statement(args):
    statement = select(RecordsRequest).join(Person, RecordsRequest.person_id == Person.id)
    if (text := (args.get("q") or "").strip()[:100]):
        statement = statement.where(person_matches(text))
    if (state := args.get("state")) in STATES:
        statement = statement.where(RecordsRequest.state == state)
    urgency = args.get("urgency")
    if urgency == "overdue":
        statement = statement.where(ops.overdue())
    elif urgency == "soon":
        statement = statement.where(ops.due_soon())
    return statement.order_by(case((RecordsRequest.state == "open", 0), else_=1),
                              RecordsRequest.due_on,
                              RecordsRequest.id)


@blueprint.get("/requests")
@roles_required("hr")
def requests():
    page = paginate(_register_statement(request.args))
    return render_template("records/requests.html", page=page, today=ops.today(),
                           states=STATES, args=request.args.to_dict())


def _people_choices(field):
    people = db.session.scalars(select(Person).order_by(french(Person.last_name),
                                                        french(Person.first_name))).all()
    field.choices = [("", "—")] + [(str(p.id), f"{p.sort_name} ({p.employee_number})")
                                   for p in people]


@blueprint.route("/requests/new", methods=["GET", "POST"])
@roles_required("hr")
def request_new():
    form = RequestForm()
    _people_choices(form.person)
    if not form.is_submitted():
        form.person.data = request.args.get("person_id", "")[:20]
        form.received_on.data = ops.today()
    outcome = perform(form, lambda: ops.record_request(
        current_user, row_by_id(Person, form.person.data), kind=form.kind.data,
        received_on=form.received_on.data, received_via=form.received_via.data,
        asked=form.asked.data, asked_by=form.asked_by.data),
        success=lambda r: _("La demande est consignée ; réponse due au plus tard le "
                            "%(day)s.", day=r.due_on.isoformat()))
    if outcome.done:
        return redirect(url_for("records_file.request_show", request_id=outcome.value.id))
    return render_template("records/requests_form.html", form=form), outcome.status


def _dated(form, field: str):
    """A form shown blank proposes today's date."""
    if not form.is_submitted():
        form[field].data = ops.today()
    return form


def _show(found: RecordsRequest, status: int = 200, **forms):
    correction = forms.get("correction") or _dated(CorrectionForm(), "corrected_on")
    correction.record.choices = [("", "—")] + [
        (person_file.entry_key(e), f"{e.title} ({e.when:%Y-%m-%d})")
        for e in person_file.entries(found.person, current_user)]
    return render_template(
        "records/requests_show.html", r=found, today=ops.today(),
        extension=forms.get("extension") or _dated(ExtensionForm(), "notice_on"),
        answer=forms.get("answer") or _dated(AnswerForm(), "answered_on"),
        correction=correction), status


@blueprint.get("/requests/<int:request_id>")
@roles_required("hr")
def request_show(request_id: int):
    return _show(get_visible_or_404(RecordsRequest, request_id))


def _act(request_id: int, name: str, form, operation, success: str):
    found = get_visible_or_404(RecordsRequest, request_id)
    if name == "correction":
        form.record.choices = []
    outcome = perform(form, lambda: operation(found), success=success)
    if outcome.done:
        return redirect(url_for("records_file.request_show", request_id=request_id))
    db.session.rollback()
    return _show(db.session.get(RecordsRequest, request_id), outcome.status or 422,
                 **{name: form})


@blueprint.post("/requests/<int:request_id>/extend")
@roles_required("hr")
def request_extend(request_id: int):
    form = ExtensionForm()
    return _act(request_id, "extension", form, lambda r: ops.extend(
        current_user, r, notice_on=form.notice_on.data, notice_via=form.notice_via.data,
        reason=form.reason.data), _("Le délai est prolongé de 10 jours."))


@blueprint.post("/requests/<int:request_id>/answer")
@roles_required("hr")
def request_answer(request_id: int):
    form = AnswerForm()
    return _act(request_id, "answer", form, lambda r: ops.record_answer(
        current_user, r, answered_on=form.answered_on.data, answer_via=form.answer_via.data,
        outcome=form.outcome.data, note=form.note.data), _("L'envoi de la réponse est consigné."))


@blueprint.post("/requests/<int:request_id>/corrections")
@roles_required("hr")
def request_correction(request_id: int):
    form = CorrectionForm()
    return _act(request_id, "correction", form, lambda r: ops.record_correction(
        current_user, r, record_key=form.record.data, what=form.what.data,
        corrected_on=form.corrected_on.data), _("La correction est consignée."))


@blueprint.get("/requests/<int:request_id>/export.pdf")
@roles_required("hr")
def request_export(request_id: int):
    found = get_visible_or_404(RecordsRequest, request_id)
    document = ops.issue_export(current_user, found)
    db.session.commit()
    found = db.session.get(RecordsRequest, request_id)
    data = answer_pdf(found, document, printed_at=utcnow())
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"reponse-demande-{request_id}.pdf")
