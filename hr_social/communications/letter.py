"""The authorization letter of a logo use (PDF through pdf.py, letterhead and verification
code from hr_social/documents/).

The code is issued when the use is authorized (same transaction as the decision); the letter
is rendered when downloaded, never inside the decision's transaction (no lock held while
WeasyPrint works). Its bytes are therefore not kept: the public page says that a dropped file
cannot be compared, and shows what the letter states and whether it is still in force.
"""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social import pdf
from hr_social.communications.models import LogoAuthorization
from hr_social.db import db
from hr_social.documents import services as official
from hr_social.documents.letter import render_letter
from hr_social.documents.registry import Description, register_subject

SUBJECT_TYPE = "logo_authorization"


def issue_letter(authorization: LogoAuthorization):
    return official.issue(SUBJECT_TYPE, authorization.id, "printed")


def issued_letter(authorization: LogoAuthorization):
    return db.session.scalars(official.issued_for(SUBJECT_TYPE, authorization.id)).all()[-1:]


def letter_pdf(authorization: LogoAuthorization, document) -> bytes:
    return pdf.html_to_pdf(render_letter("pdf/logo_authorization.html", document,
                                         r=authorization))


def _describe(document) -> Description | None:
    authorization = db.session.get(LogoAuthorization, document.subject_id)
    if authorization is None or authorization.valid_until is None:
        return None
    in_force = authorization.state == "authorized"
    return Description(
        title=_("Autorisation d'usage du logo n° %(id)s", id=authorization.id),
        person=authorization.requester.full_name,
        label=_("Autorisation en vigueur.") if in_force
        else _("Cette autorisation n'est plus en vigueur."),
        facts=((_("Valide jusqu'au"), authorization.valid_until),),
        comparable=False)


register_subject(SUBJECT_TYPE, describe=_describe)
