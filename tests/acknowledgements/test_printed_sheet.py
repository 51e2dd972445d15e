"""A paper acknowledgement is one sheet: what HR prints for each person, in bulk or alone."""

import datetime as dt
import io

from pypdf import PdfReader
from sqlalchemy import select

from hr_social import pdf
from hr_social.acknowledgements import documents, policy_services
from hr_social.acknowledgements.models import Acknowledgement
from hr_social.db import db

from .conftest import BODY


def test_an_acknowledgement_to_sign_on_paper_fits_on_one_page(app, make_user, make_person,
                                                              make_service):
    service = make_service("Division des communications et des relations avec les citoyens")
    person = make_person(first_name="Marie-Ève", last_name="Bélanger-Côté-Tremblay",
                         service=service)
    version = policy_services.create_version(  # no key points: the default obligations
        make_user("hr"), title="Politique portant sur les médias sociaux",
        version_label="2020-10", effective_date=dt.date(2020, 10, 1), body=BODY)
    policy_services.publish_version(None, version)
    ack = db.session.scalar(select(Acknowledgement).where(Acknowledgement.person_id == person.id))

    issued = documents.issue(ack, "printed")
    data = pdf.html_to_pdf(documents.acknowledgement_html(ack, issued))

    pages = PdfReader(io.BytesIO(data)).pages
    text = pages[0].extract_text().replace("\u00a0", " ").replace("\u202f", " ")
    assert len(pages) == 1, "the verification code spilled onto a second sheet"
    assert "Bélanger-Côté-Tremblay" in text and "Page 1 / 1" in text
    assert len(documents.DEFAULT_OBLIGATIONS) == text.count("§ ")
    assert f"/verify/{issued.code}" in text
