"""Invitations end to end in a real browser: invite, open the link, choose, sign in."""

import re
from email import message_from_bytes, policy
from pathlib import Path

from playwright.sync_api import expect

from hr_social.db import db
from hr_social.mail.services import deliver_queued
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

CHOSEN = "ma phrase de passe du navigateur"


def _link_in_outbox(app, address: str) -> str:
    deliver_queued()  # what the mail worker does after the request (tests deliver by hand)
    db.session.commit()
    for eml in sorted((Path(app.instance_path) / "outbox").glob("*.eml")):
        message = message_from_bytes(eml.read_bytes(), policy=policy.default)
        if message["To"] == address:
            return re.search(r"(http://\S+/invitation/\S+)", message.get_content()).group(1)
    raise AssertionError(f"no invitation for {address} in the outbox")


def test_hr_invites_and_the_person_chooses_a_password_and_signs_in(
        app, live_server, page, make_user, make_person, make_service):
    service = make_service("Loisirs")
    person = make_person("Inès", "Invitée", service=service, email="ines@ville.test")
    make_user("employee", "hr", username="rh.navigateur")
    service_id, address = service.id, person.email
    db.session.commit()  # the test holds no SQLite lock while the server writes
    browser_login(page, live_server, "rh.navigateur", PASSWORD)
    page.goto(f"{live_server}/people/?login=none&service={service_id}")
    page.get_by_label("Inviter Inès Invitée").check()
    page.get_by_role("button", name="Inviter les personnes cochées").click()
    expect(page.get_by_text("Invitations envoyées : 1")).to_be_visible()
    expect(page.get_by_role("cell", name="En attente")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()

    link = _link_in_outbox(app, address)
    page.goto(link.replace("http://127.0.0.1:5000", live_server))
    expect(page.get_by_role("heading", name="Créer mon accès")).to_be_visible()
    page.get_by_label("Nom d'utilisateur").fill("ines")
    page.get_by_label("Mot de passe", exact=True).fill(CHOSEN)
    page.get_by_label("Confirmez le mot de passe").fill(CHOSEN)
    page.get_by_role("button", name="Créer mon accès").click()
    expect(page.get_by_text("Votre compte ines est prêt")).to_be_visible()

    browser_login(page, live_server, "ines", CHOSEN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
