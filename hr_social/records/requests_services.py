"""The register of access and correction requests (A-2.1): recording, the deadline of
art. 98 (20 calendar days from receipt; once 10 more, with a notice to the person before the
first deadline passes), the answer sent, the corrections made, the reminder to HR.

Services take the actor first; every change is one audit entry (ids, dates and codes only:
the register's type is confidential, HR reads it). ``today()`` is the organisation's date;
tests freeze it by replacing this function."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from hr_social.audit.confidentiality import register_target_type
from hr_social.audit.services import record
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.mail.services import queue_template
from hr_social.people.models import Person, User, UserRole
from hr_social.records import person_file
from hr_social.records.requests_models import (
    ANSWER_DAYS,
    CHANNELS,
    EXTENSION_DAYS,
    KINDS,
    OUTCOMES,
    SEND_CHANNELS,
    SOON_DAYS,
    TEXT_MAX,
    RecordsCorrection,
    RecordsRequest,
)

TARGET = RecordsRequest.__tablename__
CODE_FIELDS = ("kind", "received_via", "state", "extension_notice_via", "answer_via",
               "outcome", "record_type")
register_target_type(TARGET, readers=("hr",), confidential=True, state_fields=CODE_FIELDS)


def today() -> dt.date:
    return local_today()


def _text(value, field: str, message: str, *, required=True, limit=TEXT_MAX) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise DomainError(field_errors={field: message})
        return None
    if len(value) > limit:
        raise DomainError(field_errors={field: _("Ce texte dépasse %(n)d caractères.", n=limit)})
    return value


def _choice(value, choices: dict, field: str, message: str) -> str:
    if value not in choices:
        raise DomainError(field_errors={field: message})
    return value


def _past_date(value, field: str, message: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(field_errors={field: message})
    if value > today():
        raise DomainError(field_errors={field: _("La date ne peut pas être dans le futur.")})
    return value


def _check_open(request: RecordsRequest) -> None:
    if not request.is_open:
        raise DomainError(_("La réponse à cette demande est déjà consignée."))


def record_request(actor, person: Person | None, *, kind, received_on, received_via, asked,
                   asked_by=None) -> RecordsRequest:
    if person is None:
        raise DomainError(field_errors={"person": _("Choisissez la personne qui fait la "
                                                    "demande.")})
    kind = _choice(kind, KINDS, "kind", _("Choisissez la nature de la demande."))
    received_on = _past_date(received_on, "received_on",
                             _("Indiquez la date de réception de la demande."))
    received_via = _choice(received_via, CHANNELS, "received_via",
                           _("Indiquez comment la demande a été reçue."))
    asked = _text(asked, "asked", _("Décrivez ce que la personne demande."))
    asked_by = _text(asked_by, "asked_by", "", required=False, limit=200)
    due = received_on + dt.timedelta(days=ANSWER_DAYS)
    request = RecordsRequest(person=person, kind=kind, received_on=received_on,
                             received_via=received_via, asked=asked, asked_by=asked_by,
                             initial_due_on=due, due_on=due, created_by_id=actor.id)
    db.session.add(request)
    db.session.flush()
    record("records_request.recorded", request, actor=actor, after={
        "person_id": person.id, "kind": kind, "received_on": received_on,
        "received_via": received_via, "due_on": due})
    return request


def extend(actor, request: RecordsRequest, *, notice_on, notice_via, reason) -> RecordsRequest:
    """Art. 98: once, by 10 days, the person told before the first deadline passes."""
    _check_open(request)
    if request.extended_on is not None:
        raise DomainError(_("Le délai a déjà été prolongé une fois : la loi ne permet pas "
                            "une seconde prolongation."))
    notice_on = _past_date(notice_on, "notice_on", _("Indiquez la date de l'avis."))
    if notice_on < request.received_on:
        raise DomainError(field_errors={"notice_on": _("L'avis ne peut pas précéder la "
                                                       "réception de la demande.")})
    if notice_on > request.initial_due_on:
        raise DomainError(field_errors={"notice_on": _(
            "Le délai de 20 jours est expiré depuis le %(day)s : il ne peut plus être "
            "prolongé.", day=request.initial_due_on.isoformat())})
    notice_via = _choice(notice_via, SEND_CHANNELS, "notice_via",
                         _("Indiquez comment l'avis a été transmis à la personne."))
    reason = _text(reason, "reason", _("Indiquez le motif de la prolongation."))
    before = {"due_on": request.due_on}
    request.extended_on = notice_on
    request.extension_notice_via = notice_via
    request.extension_reason = reason
    request.due_on = request.initial_due_on + dt.timedelta(days=EXTENSION_DAYS)
    record("records_request.extended", request, actor=actor, before=before, after={
        "due_on": request.due_on, "extended_on": notice_on, "extension_notice_via": notice_via})
    return request


def record_answer(actor, request: RecordsRequest, *, answered_on, answer_via, outcome,
                  note=None) -> RecordsRequest:
    _check_open(request)
    answered_on = _past_date(answered_on, "answered_on",
                             _("Indiquez la date d'envoi de la réponse."))
    if answered_on < request.received_on:
        raise DomainError(field_errors={"answered_on": _("La réponse ne peut pas précéder la "
                                                         "réception de la demande.")})
    answer_via = _choice(answer_via, SEND_CHANNELS, "answer_via",
                         _("Indiquez comment la réponse a été transmise."))
    outcome = _choice(outcome, OUTCOMES, "outcome", _("Indiquez la décision."))
    note = _text(note, "note", "", required=False)
    if outcome != "granted" and not note:
        raise DomainError(field_errors={"note": _("Un refus, même partiel, se motive : "
                                                  "indiquez les articles invoqués.")})
    request.answered_on, request.answer_via = answered_on, answer_via
    request.outcome, request.answer_note, request.state = outcome, note, "answered"
    record("records_request.answered", request, actor=actor, before={"state": "open"}, after={
        "state": "answered", "answered_on": answered_on, "answer_via": answer_via,
        "outcome": outcome, "late": answered_on > request.due_on})
    return request


def record_correction(actor, request: RecordsRequest, *, record_key, what, corrected_on
                      ) -> RecordsCorrection:
    """What was corrected, in which record of the person's file (the correction itself is
    made through the domain's own screen)."""
    _check_open(request)
    if request.kind != "correction":
        raise DomainError(_("Seule une demande de rectification consigne des corrections."))
    entry = person_file.find_entry(request.person, actor, record_key or "")
    if entry is None:
        raise DomainError(field_errors={"record": _("Choisissez le dossier corrigé parmi ceux "
                                                    "de la personne.")})
    what = _text(what, "what", _("Décrivez ce qui a été corrigé."))
    corrected_on = _past_date(corrected_on, "corrected_on",
                              _("Indiquez la date de la correction."))
    correction = RecordsCorrection(request=request, record_type=entry.record_type,
                                   record_id=entry.record_id, record_title=entry.title[:200],
                                   record_url=entry.url, what=what, corrected_on=corrected_on,
                                   recorded_by_id=actor.id)
    db.session.add(correction)
    db.session.flush()
    record("records_request.correction_recorded", request, actor=actor, after={
        "record_type": entry.record_type, "record_id": entry.record_id,
        "corrected_on": corrected_on, "correction_id": correction.id})
    return correction


def issue_export(actor, request: RecordsRequest):
    """A verification code for the answer's export (official documents), and the audit
    entry of the export: the PDF itself is laid out after the commit."""
    from hr_social.documents import services as official
    from hr_social.records.requests_answer import SUBJECT_TYPE

    document = official.issue(SUBJECT_TYPE, request.id, "answer")
    record("records_request.exported", request, actor=actor,
           after={"person_id": request.person_id, "document_id": document.id})
    return document


# --- the register, the dashboard, the reminder --------------------------------------------

def open_due_within(days: int):
    limit = today() + dt.timedelta(days=days)
    return (RecordsRequest.state == "open") & (RecordsRequest.due_on <= limit)


def overdue(day=None):
    """Open and past due on ``day`` (today by default; a bound parameter in a statement
    built once)."""
    day = today() if day is None else day
    return (RecordsRequest.state == "open") & (RecordsRequest.due_on < day)


def due_soon(day=None, limit=None):
    """Open, not overdue on ``day`` (today by default), due by ``limit`` (SOON_DAYS later
    by default; give it with a bound ``day``)."""
    day = today() if day is None else day
    limit = day + dt.timedelta(days=SOON_DAYS) if limit is None else limit
    return ((RecordsRequest.state == "open") & (RecordsRequest.due_on <= limit)
            & (RecordsRequest.due_on >= day))


def _hr_addresses() -> list[str]:
    users = db.session.scalars(select(User).join(UserRole).where(
        UserRole.role == "hr", User.is_enabled.is_(True))).all()
    return sorted({u.person.email for u in users if u.person and u.person.email})


def remind(dry_run: bool = False) -> list[RecordsRequest]:
    """E-mail HR about each open request due within SOON_DAYS (or overdue) whose deadline in
    force it was not told of yet: once per deadline (again after an extension). Idempotent."""
    due = db.session.scalars(select(RecordsRequest).where(open_due_within(SOON_DAYS))
                             .order_by(RecordsRequest.due_on, RecordsRequest.id)).all()
    due = [r for r in due if r.reminded_for != r.due_on]
    if dry_run or not due:
        return due
    addresses = _hr_addresses()
    base = current_app.config["BASE_URL"].rstrip("/")
    for request in due:
        for address in addresses:
            queue_template(address, _("Demande d'accès aux renseignements n° %(id)s : "
                                      "échéance le %(day)s", id=request.id,
                                      day=request.due_on.isoformat()),
                           "records/request_due", request=request, today=today(),
                           link=f"{base}/records/requests/{request.id}",
                           subject_type=TARGET, subject_id=request.id)
        request.reminded_for = request.due_on
        record("records_request.reminded", request, actor=None,
               after={"due_on": request.due_on, "recipients": len(addresses)})
    return due
