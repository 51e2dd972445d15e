"""In a real browser: a manager logs an incident about her report; HR finds it and takes it."""

import datetime as dt

from playwright.sync_api import expect

from hr_social.acknowledgements import policy_services as policy
from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_manager_logs_an_incident_and_hr_takes_it(live_server, page, make_user, make_service,
                                                  make_person, browser):
    service = make_service("Loisirs", "LOI")
    boss = make_person("Gisèle", "Gestion", service=service)
    report = make_person("Émile", "Employé", service=service, manager=boss)
    make_user("employee", "manager", person=boss, username="gisele")
    make_user("employee", person=report, username="emile")
    hr = make_user("employee", "hr", username="rh")
    version = policy.create_version(hr, title="Politique", version_label="v1",
                                    effective_date=dt.date(2020, 1, 1),
                                    body="## 3.1 Propos\n\nRester courtois.\n")
    policy.publish_version(hr, version)
    db.session.commit()
    db.session.remove()

    browser_login(page, live_server, "gisele", PASSWORD)
    page.get_by_role("link", name="Consigner un incident").first.click()
    page.get_by_label("Personne concernée").select_option(label="Employé, Émile (Loisirs)")
    page.get_by_label("Date des faits").fill("2026-01-20")
    page.get_by_label("Lieu des faits").fill("Page Facebook du service")
    page.get_by_label("Ce qui s'est passé").fill("Commentaire méprisant envers une collègue.")
    page.get_by_label("Propos diffamatoires ou dénigrants").check()
    page.get_by_label("Témoins").fill("Lucie Présente")
    page.get_by_role("button", name="Consigner l'incident").click()
    expect(page.locator(".flash-success")).to_contain_text("L'incident est consigné")
    expect(page.locator("#case-state")).to_have_text("Signalé")
    case_url = page.url

    hr_page = browser.new_context().new_page()
    browser_login(hr_page, live_server, "rh", PASSWORD)
    hr_page.get_by_role("link", name="Nouveaux signalements").click()
    hr_page.get_by_role("link", name=case_url.rsplit("/", 1)[1], exact=True).click()
    expect(hr_page.locator("#reporter")).to_contain_text("Gisèle Gestion")
    hr_page.get_by_role("button", name="Prendre le dossier").click()
    expect(hr_page.locator("#case-state")).to_have_text("En enquête")
