import random

from sqlalchemy import func, select

from hr_social.access_requests.demo import seed_access_requests
from hr_social.communications.demo import seed_communications
from hr_social.consents.demo import seed_consents
from hr_social.consents.models import Consent, Publication, TakeDown
from hr_social.consents.services import today
from hr_social.db import db
from hr_social.demo import SEEDERS, DemoContext


def test_demo_seeds_forty_consents_and_publications_on_the_section_8_accounts(
        app, make_service, make_person, make_user):
    assert any(func is seed_consents for _order, func in SEEDERS)
    services = {code: make_service(name, code) for code, name in (
        ("COMM", "Division des communications"),
        ("CULT", "Service de la culture et des loisirs"))}
    people = [make_person(service=services[code]) for code in ("COMM", "CULT")]
    users = {role: make_user(*{"employee", role}, username=f"demo-{role}")
             for role in ("employee", "manager", "hr", "dg", "communications", "admin")}
    ctx = DemoContext(rng=random.Random(1), services=services, people=people, users=users)
    seed_access_requests(ctx)
    seed_communications(ctx)
    seed_consents(ctx)
    db.session.commit()
    consents = db.session.scalars(select(Consent)).all()
    assert len(consents) == 40
    assert sum(c.is_minor for c in consents) >= 5
    assert {c.state for c in consents} == {"signed", "withdrawn", "unsigned"}
    assert any(c.state == "signed" and not c.is_valid_on(today()) for c in consents)  # expired
    publications = db.session.scalars(select(Publication)).all()
    assert len(publications) >= 12
    assert any(p.account is not None and "VilledeBaieComeau" in p.account.url
               for p in publications)
    withdrawn = [c.id for c in consents if c.state == "withdrawn"]
    assert set(db.session.scalars(select(TakeDown.consent_id))) == set(withdrawn)
    assert db.session.scalar(select(func.count()).select_from(TakeDown)) >= len(withdrawn)


def test_the_verification_page_describes_a_consent_form(world, new_consent, client):
    from hr_social.consents.documents import form_pdf
    from hr_social.documents.models import IssuedDocument

    consent = new_consent(sign=False)
    form_pdf(world["collector"], consent)
    db.session.commit()
    code = db.session.scalars(select(IssuedDocument.code)).one()
    page = client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "Formulaire de consentement imprimé" in page.text
