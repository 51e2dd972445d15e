"""The answer to an access request: a PDF on the letterhead (``pdf.py``, verification code
from ``documents/``) holding the person's information from every record type declared in the
registry (``person_file.export``), each withheld part named with the article invoked."""

from __future__ import annotations

from flask_babel import gettext as _

from hr_social import pdf
from hr_social.db import db
from hr_social.documents.letter import render_letter
from hr_social.documents.registry import Description, register_subject
from hr_social.records import person_file
from hr_social.records.requests_models import RecordsRequest

SUBJECT_TYPE = "records_request"


def answer_pdf(request: RecordsRequest, document, *, printed_at) -> bytes:
    parts = person_file.export(request.person)
    withheld = [(part.label, section.heading, what, article) for part in parts
                for section in part.sections for what, article in section.withheld]
    return pdf.html_to_pdf(render_letter("pdf/records_answer.html", document, r=request,
                                         parts=parts, withheld=withheld,
                                         printed_at=printed_at))


def _describe(document) -> Description | None:
    request = db.session.get(RecordsRequest, document.subject_id)
    if request is None:
        return None
    return Description(
        title=_("Réponse à la demande d'accès aux renseignements n° %(id)s", id=request.id),
        person=request.person.full_name,
        label=_("Relevé des renseignements personnels détenus, produit pour la personne."),
        facts=((_("Demande reçue le"), request.received_on),), comparable=False)


register_subject(SUBJECT_TYPE, describe=_describe)
