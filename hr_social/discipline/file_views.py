"""Downloads of a case: letters, evidence, the full file (HR, DG), one's own file."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from hr_social.attachments.services import file_path
from hr_social.audit.services import record
from hr_social.db import db
from hr_social.discipline import letters as letter_ops
from hr_social.discipline.access import is_full_access
from hr_social.discipline.entries import RECEIPTS, CaseEntry, Letter
from hr_social.discipline.forms import LenientSelectField
from hr_social.discipline.hr_views import _act
from hr_social.discipline.models import Case
from hr_social.discipline.views import blueprint
from hr_social.permissions import get_visible_or_404, login_required_any, roles_required
from hr_social.web.forms import OneTimeForm


class ReceiptForm(OneTimeForm):
    receipt = LenientSelectField(_l("Réception"), choices=[("", "—"), *RECEIPTS.items()])
    received_on = DateField(_l("Date"), validators=[Optional()])
    witness = StringField(_l("Témoin du refus"), validators=[Length(max=200)])
    scan = FileField(_l("Accusé signé numérisé"))


def _pdf(data: bytes, name: str):
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=name)


@blueprint.get("/letters/<int:letter_id>")
@login_required_any
def letter(letter_id: int):
    found = db.session.get(Letter, letter_id)
    if found is None or found.attachment.removed_at is not None:  # destroyed by retention
        abort(404)
    case = get_visible_or_404(Case, found.case_id)
    if not (is_full_access(current_user) or case.person_id == current_user.person_id):
        abort(404)  # a letter is the person's: their manager reads the case, not the mail
    record("discipline_case.letter_read", case, actor=current_user,
           after={"letter_id": found.id})
    db.session.commit()
    found = db.session.get(Letter, letter_id)
    return send_file(file_path(found.attachment), mimetype="application/pdf",
                     as_attachment=True, download_name=found.attachment.original_name)


@blueprint.post("/letters/<int:letter_id>/receipt")
@roles_required("hr")
def receipt(letter_id: int):
    found = db.session.get(Letter, letter_id)
    if found is None:
        abort(404)
    return _act(found.case_id, ReceiptForm, lambda c, f: letter_ops.record_receipt(
        current_user, found, receipt=f.receipt.data, received_on=f.received_on.data,
        witness=f.witness.data, scan=f.scan.data), _("La réception est consignée."))


@blueprint.post("/<int:case_id>/letters/<kind>")
@roles_required("hr")
def issue_letter(case_id: int, kind: str):
    return _act(case_id, OneTimeForm, lambda c, f: letter_ops.issue_letter(current_user, c,
                                                                           kind),
                _("La lettre est émise."))


@blueprint.get("/entries/<int:entry_id>/file")
@login_required_any
def evidence(entry_id: int):
    entry = db.session.get(CaseEntry, entry_id)
    if (entry is None or entry.attachment is None or entry.attachment.removed_at is not None
            or not is_full_access(current_user)):
        abort(404)
    case = get_visible_or_404(Case, entry.case_id)
    record("discipline_case.evidence_read", case, actor=current_user,
           after={"entry_id": entry.id})
    db.session.commit()
    entry = db.session.get(CaseEntry, entry_id)
    return send_file(file_path(entry.attachment), mimetype=entry.attachment.content_type,
                     as_attachment=True, download_name=entry.attachment.original_name)


@blueprint.get("/<int:case_id>/file.pdf")
@roles_required("hr", "dg")
def file_pdf(case_id: int):
    case = get_visible_or_404(Case, case_id)
    data = letter_ops.full_file_pdf(case)
    record("discipline_case.file_printed", case, actor=current_user)
    db.session.commit()
    return _pdf(data, f"dossier-disciplinaire-{case_id}.pdf")


@blueprint.get("/mine/file.pdf")
@login_required_any
def my_file():
    if current_user.person is None:
        flash(_("Aucune fiche de personne n'est liée à votre compte."), "error")
        return redirect(url_for("main.dashboard"))
    data = letter_ops.own_file_pdf(current_user.person)
    record("discipline_file.own_printed", actor=current_user, target_type="discipline_files",
           target_id=current_user.person_id, target_label="Dossier disciplinaire personnel")
    db.session.commit()
    return _pdf(data, "mon-dossier-disciplinaire.pdf")
