"""Coverage check, publications (the gate) and take-downs: routes of the consents blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hr_social.consents import coverage
from hr_social.consents import publications as pubs
from hr_social.consents import services as ops
from hr_social.consents.forms import PublicationForm, RemovedForm
from hr_social.consents.models import KINDS, Consent, Publication, TakeDown
from hr_social.consents.views import blueprint
from hr_social.db import db
from hr_social.permissions import get_visible_or_404, login_required_any
from hr_social.web.actions import back_to, perform
from hr_social.web.args import date_arg
from hr_social.web.pagination import paginate


@blueprint.get("/coverage")
@login_required_any
def coverage_check():
    args = request.args
    criteria = {name: args.get(name, "").strip()[:100] for name in ("person", "event", "media")}
    day = date_arg(args, "day")
    channel = args.get("channel", "")[:40]
    statement = coverage.search(**criteria, day=day, kind=args.get("kind", ""))
    answers = None
    today = ops.today()
    if statement is not None:
        answers = [coverage.answer(c, today, channel) for c in db.session.scalars(statement)]
    visible = set()
    if answers:
        ids = [a.consent.id for a in answers]
        visible = set(db.session.scalars(Consent.visible_to(current_user)
                                         .where(Consent.id.in_(ids))
                                         .with_only_columns(Consent.id)))
    return render_template("consents/coverage.html", answers=answers, visible=visible,
                           channels=ops.channel_choices(), kinds=KINDS, args=args,
                           today=today)


# ---- publications ------------------------------------------------------------------------

@blueprint.get("/publications")
@login_required_any
def publications():
    statement = Publication.visible_to(current_user)
    month = request.args.get("month", "")
    if month == "current":
        start = ops.today().replace(day=1)
        statement = statement.where(Publication.published_on >= start)
    page = paginate(statement.order_by(Publication.published_on.desc(), Publication.id.desc()))
    return render_template("consents/publications.html", page=page, args=request.args)


def _publication_input(form) -> pubs.PublicationInput:
    return pubs.PublicationInput(
        channel=form.channel.data or "", published_on=form.published_on.data,
        url=form.url.data or "", media_description=form.media_description.data or "",
        consent_ids=pubs.parse_ids(form.consent_ids.data),
        people=pubs.split_people(form.people.data))


def _check_only(data: pubs.PublicationInput):
    missing, _channel, _consents = pubs.gate(data)
    if missing:
        raise pubs.GateRefused(missing)


@blueprint.route("/publications/new", methods=["GET", "POST"])
@login_required_any
def publication_new():
    form = PublicationForm()
    form.channel.choices = [("", _("— choisir —"))] + ops.channel_choices()
    if request.method == "GET":
        form.published_on.data = form.published_on.data or ops.today()
        form.consent_ids.data = form.consent_ids.data or request.args.get("consents", "")[:200]
    refusal = {}
    checking = request.method == "POST" and "check" in request.form
    data = _publication_input(form)
    operation = (lambda: _check_only(data)) if checking else \
        (lambda: pubs.record_publication(current_user, data))
    outcome = perform(form, operation, on_refused=lambda error: refusal.update(
        missing=getattr(error, "missing", [error.message])),
        success=None if checking else _("La publication est enregistrée."))
    if outcome.done and not checking:
        return redirect(url_for("consents.publication", publication_id=outcome.value.id))
    if outcome.done:
        flash(_("Tout est couvert : chaque consentement lié couvre ce canal à cette date et "
                "chaque personne identifiable a son consentement."), "success")
    return render_template("consents/publication_form.html", form=form,
                           missing=refusal.get("missing"), checked=outcome.done), \
        outcome.status


@blueprint.get("/publications/<int:publication_id>")
@login_required_any
def publication(publication_id: int):
    found = get_visible_or_404(Publication, publication_id)
    takedowns = db.session.scalars(select(TakeDown).where(
        TakeDown.publication_id == found.id).order_by(TakeDown.id)).all()
    return render_template("consents/publication.html", p=found, takedowns=takedowns,
                           removed_form=RemovedForm(formdata=None), today=ops.today())


# ---- take-downs --------------------------------------------------------------------------

@blueprint.get("/takedowns")
@login_required_any
def takedowns():
    statement = TakeDown.visible_to(current_user)
    show_done = request.args.get("done") == "1"
    statement = statement.where(TakeDown.removed_on.is_not(None) if show_done
                                else TakeDown.removed_on.is_(None))
    page = paginate(statement.order_by(TakeDown.listed_at, TakeDown.id))
    cutoff = pubs.overdue_cutoff()
    return render_template("consents/takedowns.html", page=page, cutoff=cutoff,
                           age=pubs.age_in_days, show_done=show_done,
                           form=RemovedForm(formdata=None), today=ops.today(),
                           may_mark=lambda t: pubs.can_mark_removed(current_user, t))


@blueprint.post("/takedowns/<int:takedown_id>/removed")
@login_required_any
def takedown_removed(takedown_id: int):
    takedown = get_visible_or_404(TakeDown, takedown_id)
    if not pubs.can_mark_removed(current_user, takedown):
        abort(403)
    form = RemovedForm()
    outcome = perform(form, lambda: pubs.mark_removed(current_user, takedown,
                                                      removed_on=form.removed_on.data),
                      success=_("Le retrait de la publication est noté."), flash_errors=True)
    return back_to(url_for("consents.takedowns"), outcome)
