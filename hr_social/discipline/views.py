"""Disciplinary cases (policy §5): log an incident, report confidentially, read a case."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hr_social.audit.services import record
from hr_social.db import db
from hr_social.discipline import catalogue
from hr_social.discipline import services as ops
from hr_social.discipline.access import can_handle, is_full_access
from hr_social.discipline.amnesty import disciplinary_sanctions, status_on
from hr_social.discipline.entries import CaseEntry, CaseLink, Grievance, Letter
from hr_social.discipline.followups import add_evidence_file
from hr_social.discipline.forms import IncidentForm
from hr_social.discipline.models import CASE_STATES, OPEN_STATES, Case
from hr_social.people.models import Person
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.actions import perform
from hr_social.web.input_limits import row_by_id
from hr_social.web.pagination import paginate

blueprint = Blueprint("discipline", __name__, url_prefix="/discipline")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@blueprint.get("/")
@login_required_any
def index():
    statement = Case.visible_to(current_user)
    state = request.args.get("state", "")
    if state in CASE_STATES:
        statement = statement.where(Case.state == state)
    elif state == "open":
        statement = statement.where(Case.state.in_(OPEN_STATES))
    page = paginate(statement.order_by(Case.id.desc()))
    return render_template("discipline/index.html", page=page, states=CASE_STATES,
                           state=state, full=is_full_access(current_user))


def _person_choices(form, people):
    form.person.choices = [("", "—")] + [(str(p.id), f"{p.sort_name} ({p.service.name})")
                                         for p in people]


def _incident_form(confidential: bool):
    form = IncidentForm()
    people = (db.session.scalars(select(Person).where(Person.is_active.is_(True),
                                                      Person.id != (current_user.person_id or -1))
                                 .order_by(Person.last_name, Person.first_name)).all()
              if confidential else ops.person_choices_for(current_user))
    _person_choices(form, people)
    version = catalogue.version_in_force(catalogue.today())
    clauses = catalogue.clauses_for(version) if version else []
    form.clauses.choices = [(str(c.id), str(c)) for c in clauses]
    success = (_("Votre signalement a été transmis aux Ressources humaines, qui seules "
                 "connaissent votre identité.") if confidential else
               _("L'incident est consigné et transmis aux Ressources humaines."))
    # OutOfReach (someone outside the manager's team) is a 404 through perform.
    outcome = perform(form, lambda: _save_incident(form, confidential), success=success)
    if outcome.done:
        if confidential:
            return redirect(url_for("main.dashboard"))
        return redirect(url_for("discipline.show", case_id=outcome.value.id))
    if request.method == "GET" and version is None:
        form.form_errors.append(_("Aucune version de la politique n'est publiée : publiez-la "
                                  "avant de consigner un incident."))
    return render_template("discipline/incident.html", form=form,
                           confidential=confidential), outcome.status


def _witness(line: str) -> ops.Witness:
    """A line that is an employee number names a person of the organisation; any other
    line is an outsider's name."""
    person = db.session.scalar(select(Person).where(Person.employee_number == line[:20]))
    if person is not None:
        return ops.Witness(person_id=person.id)
    return ops.Witness(name=line[:200])


def _save_incident(form, confidential: bool) -> Case:
    person = row_by_id(Person, form.person.data)
    if person is None:
        raise ops.InvalidCase(_("Choisissez la personne concernée."))
    witnesses = [_witness(line) for line in _lines(form.witnesses.data)]
    case = ops.report_incident(
        current_user, person, facts_on=form.facts_on.data, place=form.place.data,
        facts=form.facts.data, clause_ids=form.clauses.data, witnesses=witnesses,
        links=_lines(form.links.data), notes=[n for n in [form.notes.data] if n and n.strip()],
        confidential=confidential)
    upload = form.evidence.data
    if upload is not None and getattr(upload, "filename", ""):
        add_evidence_file(current_user, case, upload)
    return case


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("manager", "hr")
def new():
    return _incident_form(confidential=False)


@blueprint.route("/report", methods=["GET", "POST"])
@login_required_any
def confidential_report():
    if current_user.person is None:
        abort(403)
    return _incident_form(confidential=True)


def case_context(case: Case) -> dict:
    """What the case page shows; narrower for a manager and for the person."""
    full = is_full_access(current_user)
    entries = db.session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id)
                                 .order_by(CaseEntry.id)).all()
    if not full:
        # A manager sees what they added; the person sees none (witnesses could name the
        # confidential reporter).
        entries = [e for e in entries if e.created_by_id == current_user.id]
    grievances = db.session.scalars(select(Grievance).where(Grievance.case_id == case.id)
                                    .order_by(Grievance.id)).all()
    letters = db.session.scalars(select(Letter).where(Letter.case_id == case.id)
                                 .order_by(Letter.id)).all()
    if not (full or case.person_id == current_user.person_id):
        letters = []
    links = db.session.scalars(select(CaseLink).where(CaseLink.case_id == case.id)
                               .order_by(CaseLink.id)).all() if full else []
    return dict(links=links, case=case, full=full, handles=can_handle(current_user),
                history=_history(case) if full else None,
                is_person=case.person_id == current_user.person_id,
                show_reporter=case.reporter_visible_to(current_user), entries=entries,
                grievances=grievances, letters=letters)


def _history(case: Case) -> dict:
    """The person's other sanctions: those that count; amnestied ones only on request."""
    until = status_on([case.person_id], catalogue.today())
    others = [c for c in disciplinary_sanctions([case.person_id]) if c.id != case.id]
    day = catalogue.today()
    return {"counting": [c for c in others if c.id in until and day < until[c.id]],
            "amnestied": [c for c in others if c.id in until and day >= until[c.id]],
            "show_amnestied": request.args.get("amnestied") == "1"}


@blueprint.get("/<int:case_id>")
@login_required_any
def show(case_id: int):
    case = get_visible_or_404(Case, case_id)
    # Who read which case, and when: every opening is in the trail, and so is each showing
    # of sanctions that amnesty took out of the default view.
    record("discipline_case.opened", case, actor=current_user)
    if request.args.get("amnestied") == "1" and is_full_access(current_user):
        record("discipline_case.amnestied_shown", case, actor=current_user)
    db.session.commit()
    from hr_social.discipline.hr_views import action_forms

    return render_template("discipline/show.html", **case_context(case),
                           **action_forms(case))


def case_page(case_id: int, status: int):
    """The case page again after a refused POST (the refusal is flashed by ``perform``)."""
    from hr_social.discipline.hr_views import action_forms

    case = db.session.get(Case, case_id)
    return render_template("discipline/show.html", **case_context(case),
                           **action_forms(case)), status
