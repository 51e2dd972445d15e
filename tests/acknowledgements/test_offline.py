"""The campaign page is honest about who cannot sign online, and so are the e-mails."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from hr_social.db import db
from hr_social.jobs.models import Job
from hr_social.jobs.runner import run_job
from hr_social.mail.models import OutgoingEmail
from hr_social.people.models import Invitation
from tests.acknowledgements.test_bulk_print import _texts


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _offline_cell(page: str, service: str) -> str:
    row = re.search(rf"<tr><td>{service}</td>.*?</tr>", page, re.S).group(0)
    return re.search(r'<td class="offline">\s*(\d+)', row).group(1)


def _mail_to(person) -> str:
    return db.session.scalars(select(OutgoingEmail.body).where(
        OutgoingEmail.to_address == person.email).order_by(OutgoingEmail.id.desc())).first()


def test_each_service_shows_who_cannot_sign_online_and_invites_them_in_one_click(
        published, login_as, make_person, make_service, make_user):
    roads, parks = make_service("Voirie"), make_service("Parcs")
    offline = [make_person("Hors", service=roads), make_person("Ligne", service=roads)]
    make_user("employee", service=roads)  # has a login: can sign online
    make_person("Parc", service=parks)
    hr = login_as("hr", service=make_service("RH"))
    campaign = published()
    page = _text(hr.get(f"/acknowledgements/campaigns/{campaign.id}"))
    assert _offline_cell(page, "Voirie") == "2" and _offline_cell(page, "Parcs") == "1"
    hr.submit(f"/acknowledgements/campaigns/{campaign.id}/offline/invite?service={roads.id}")
    invited = {i.person_id for i in db.session.scalars(select(Invitation))}
    assert invited == {p.id for p in offline}
    page = _text(hr.get(f"/acknowledgements/campaigns/{campaign.id}"))
    assert _offline_cell(page, "Voirie") == "0" and _offline_cell(page, "Parcs") == "1"


def test_print_their_paper_copies_prints_only_them(app, published, login_as, make_person,
                                                   make_service, make_user):
    app.config["JOBS_RUNNER"] = "none"
    roads = make_service("Voirie")
    make_person("Papier", "Seulement", service=roads)
    make_user("employee", service=roads, first_name="Connecte", last_name="Enligne")
    hr = login_as("hr", service=make_service("RH"))
    campaign = published()
    response = hr.submit(
        f"/acknowledgements/campaigns/{campaign.id}/offline/print?service={roads.id}")
    job_id = int(response.location.rstrip("/").split("/")[-1])
    assert db.session.get(Job, job_id).total == 1
    assert run_job(job_id) == "done"
    texts = " ".join(_texts(hr.get(f"/jobs/{job_id}/download").data))
    assert "Seulement" in texts and "Enligne" not in texts


def test_only_hr_uses_the_buttons_and_an_unknown_service_is_404(published, login_as,
                                                                make_person):
    make_person()
    campaign = published()
    url = f"/acknowledgements/campaigns/{campaign.id}/offline/invite"
    assert login_as("manager").submit(f"{url}?service=1").status_code == 403
    assert login_as("hr").submit(f"{url}?service=99999").status_code == 404
    assert db.session.scalars(select(Invitation)).all() == []


def test_the_e_mail_tells_a_person_without_login_how_to_get_in(app, published, make_person,
                                                                make_user):
    without = make_person("Sans")
    with_login = make_user("employee").person
    published()
    assert "demandez une invitation aux Ressources humaines" in _mail_to(without)
    assert "copie papier" in _mail_to(without)
    assert "invitation" not in _mail_to(with_login)


def test_with_a_directory_the_e_mail_points_to_the_network_login(app, published,
                                                                 make_person):
    app.config["LDAP_URL"] = "ldap://annuaire.ville.test"
    person = make_person("Reseau")
    published()
    assert "session réseau" in _mail_to(person)
