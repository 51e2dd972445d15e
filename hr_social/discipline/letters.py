"""Letters (convocation, decision), the case's full file and the person's own file, as PDFs
through ``hr_social/pdf.py``. A letter's PDF is kept as an attachment of the case, so what
was handed over can be shown again byte for byte."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from hr_social import pdf
from hr_social.attachments.services import UploadRejected, read_bytes, store, store_bytes
from hr_social.audit.sentences import sentences
from hr_social.audit.services import events_for, record
from hr_social.db import db, utcnow
from hr_social.discipline import notifications
from hr_social.discipline.catalogue import InvalidCase, section_text, today
from hr_social.discipline.entries import LETTER_KINDS, RECEIPTS, CaseEntry, Grievance, Letter
from hr_social.discipline.models import NOTIFIED_STATES, Case
from hr_social.documents import services as official
from hr_social.documents.letter import organisation_context, render_letter
from hr_social.documents.registry import Description, register_subject

SCAN_TYPES = {"application/pdf", "image/png", "image/jpeg"}


SUBJECT_TYPE = "discipline_case"


def _describe(document) -> Description | None:
    """The public verification page: only what the paper shows (never the facts)."""
    case = db.session.get(Case, document.subject_id)
    if case is None or document.kind not in LETTER_KINDS:
        return None
    return Description(title=f"{LETTER_KINDS[document.kind]} — {case}",
                       person=case.person.full_name,
                       label=_("Lettre remise à la personne concernée."),
                       facts=((_("Émise le"), document.issued_at.date()),))


register_subject(SUBJECT_TYPE, describe=_describe)


def quoted_clauses(case: Case) -> list[tuple[object, str]]:
    """Each clause breached with the words of its section in the case's policy version."""
    return [(clause, section_text(case.policy_version, clause.section))
            for clause in case.clauses]


def letter_html(case: Case, kind: str, document) -> str:
    return render_letter("pdf/discipline_letter.html", document, case=case, kind=kind,
                         clauses=quoted_clauses(case))


def _check_kind(case: Case, kind: str) -> None:
    if kind not in ("convocation", "decision"):
        raise InvalidCase(_("Type de lettre inconnu."))
    if kind == "convocation" and case.hearing_at is None:
        raise InvalidCase(_("La convocation se prépare une fois la rencontre fixée."))
    if kind == "decision" and case.decided_at is None:
        raise InvalidCase(_("La lettre de décision suit la décision."))


def issue_letter(user, case: Case, kind: str) -> Letter:
    """In the current transaction (flush only)."""
    _check_kind(case, kind)
    document = official.issue(SUBJECT_TYPE, case.id, kind)
    return _store_letter(case, user, document, pdf.html_to_pdf(letter_html(case, kind,
                                                                           document)))


def issue_after_commit(user, case_id: int, kind: str) -> Letter:
    """After the transition was committed: the page is laid out outside any transaction, so
    a slow rendering never holds the database's write lock (SQLite takes it at BEGIN), then
    the letter is stored and committed in a short transaction of its own."""
    case = db.session.get(Case, case_id)
    _check_kind(case, kind)
    document = official.issue(SUBJECT_TYPE, case.id, kind)
    html = letter_html(case, kind, document)
    document_id = document.id
    db.session.commit()  # the code exists; the slow part runs outside any transaction
    data = pdf.html_to_pdf(html)
    letter = _store_letter(db.session.get(Case, case_id), user,
                           db.session.get(type(document), document_id), data)
    db.session.commit()
    return letter


def _store_letter(case: Case, user, document, data: bytes) -> Letter:
    kind, issued_at = document.kind, document.issued_at
    document.sha256 = official.sha256(data)  # the copy handed out
    name = f"dossier-{case.id}-{kind}.pdf"
    attachment = store_bytes(data, "application/pdf", name, uploaded_by=user, subject=case)
    letter = Letter(case_id=case.id, kind=kind, attachment_id=attachment.id,
                    issued_document_id=document.id, issued_by_id=getattr(user, "id", None),
                    issued_at=issued_at)
    db.session.add(letter)
    db.session.flush()
    if kind == "convocation":
        notifications.convocation_letter_ready(case, attachment)
    record("discipline_case.letter_issued", case, actor=user,
           after={"letter_id": letter.id, "kind": kind, "issued_document_id": document.id,
                  "code": document.code})  # the hash of the copy is on the issued document
    return letter


def record_receipt(user, letter: Letter, *, receipt, received_on: dt.date | None,
                   witness=None, scan=None) -> Letter:
    """Signed (scan uploaded) or refused in front of a witness; recorded once."""
    if letter.receipt is not None:
        raise InvalidCase(_("La réception de cette lettre est déjà consignée."))
    if receipt not in RECEIPTS:
        raise InvalidCase(_("Indiquez si l'accusé de réception est signé ou refusé."))
    if received_on is None or received_on > today():
        raise InvalidCase(_("La date de réception doit être passée."))
    witness = (witness or "").strip()[:200] or None
    scan_id = None
    if receipt == "refused" and not witness:
        raise InvalidCase(_("Un refus se consigne devant un témoin : donnez son nom."))
    if receipt == "signed":
        if scan is None or not getattr(scan, "filename", ""):
            raise InvalidCase(_("Joignez la numérisation de l'accusé de réception signé."))
        try:
            scan_id = store(scan, SCAN_TYPES, uploaded_by=user, subject=letter.case).id
        except UploadRejected as error:
            raise InvalidCase(str(error)) from None
    letter.receipt, letter.receipt_on = receipt, received_on
    letter.receipt_witness, letter.receipt_scan_id = witness, scan_id
    db.session.flush()
    record("discipline_case.receipt_recorded", letter.case, actor=user,
           after={"letter_id": letter.id, "receipt": receipt, "receipt_on": received_on})
    return letter


def _case_rows(case: Case):
    entries = db.session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id)
                                 .order_by(CaseEntry.id)).all()
    grievances = db.session.scalars(select(Grievance).where(Grievance.case_id == case.id)
                                    .order_by(Grievance.id)).all()
    letters = db.session.scalars(select(Letter).where(Letter.case_id == case.id)
                                 .order_by(Letter.id)).all()
    return entries, grievances, letters


def full_file_pdf(case: Case) -> bytes:
    """Every step, every entry, the audit trail, then each letter and PDF piece as issued;
    each document keeps its own page numbers."""
    entries, grievances, letters = _case_rows(case)
    summary = pdf.render_html("pdf/discipline_file.html", cases=[case], full=True,
                              entries={case.id: entries}, grievances={case.id: grievances},
                              letters={case.id: letters}, clauses={case.id: quoted_clauses(case)},
                              # In words (full_file_pdf is printed for readers of the case).
                              events=sentences(events_for(case.__tablename__, case.id),
                                               check=False),
                              organisation=organisation_context(), printed_at=utcnow())
    parts = [pdf.html_to_pdf(summary)]
    pieces = [letter.attachment for letter in letters]
    pieces += [e.attachment for e in entries if e.attachment is not None]
    for attachment in pieces:
        if attachment.content_type == "application/pdf":
            try:
                parts.append(read_bytes(attachment))
            except OSError:
                continue
    return pdf.merge_pdfs(parts) if len(parts) > 1 else parts[0]


def own_file_pdf(person) -> bytes:
    """The person's right of access: their notified decisions, without the reporter."""
    cases = db.session.scalars(select(Case).where(Case.person_id == person.id,
                                                  Case.state.in_(NOTIFIED_STATES))
                               .order_by(Case.facts_on, Case.id)).all()
    grievances, letters = {}, {}
    for case in cases:
        _entries, grievances[case.id], letters[case.id] = _case_rows(case)
    return pdf.html_to_pdf(pdf.render_html(
        "pdf/discipline_file.html", cases=cases, full=False, entries={},
        grievances=grievances, letters=letters,
        clauses={c.id: quoted_clauses(c) for c in cases}, events=[], person=person,
        organisation=organisation_context(), printed_at=utcnow()))
