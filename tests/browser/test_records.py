"""The incident register and the retention schedule in a real browser: the privacy officer
records and assesses an incident, then records the notices; HR changes a retention rule
(with its confirmation) and the DG reads the schedule without the forms."""

import datetime as dt

from playwright.sync_api import expect

from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_privacy_officer_records_an_incident_and_its_notices(live_server, page, make_user):
    make_user("employee", "privacy", username="rprp")
    db.session.remove()
    day = dt.date.today() - dt.timedelta(days=3)

    browser_login(page, live_server, "rprp", PASSWORD)
    page.get_by_role("link", name="Incidents de confidentialité").click()
    expect(page.locator(".empty-state")).to_contain_text("Aucun incident")
    page.get_by_role("link", name="Inscrire un incident").click()
    page.get_by_label("Date où l'organisme en a eu connaissance").fill(day.isoformat())
    page.get_by_label("Description de l'incident et de ses circonstances").fill(
        "Capture d'une liste de requêtes citoyennes publiée par erreur.")
    page.get_by_label("Sensibilité des renseignements").select_option("high")
    page.get_by_label("Conséquences appréhendées de leur utilisation").select_option("medium")
    page.get_by_label("Probabilité qu'ils soient utilisés").select_option("high")
    page.get_by_label("Conclusion : risque de préjudice sérieux").select_option("yes")
    page.get_by_label("Mesures prises").fill("Publication retirée ; rappel à l'équipe.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("[role=status]").first).to_contain_text("L'incident est enregistré")
    expect(page.locator(".alert-warning")).to_contain_text("doivent être avisées")

    page.get_by_label("Avis à la Commission d'accès à l'information le").fill(day.isoformat())
    page.get_by_label("Avis aux personnes concernées le").fill(day.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alert-warning")).to_have_count(0)
    page.get_by_role("link", name="« Registre des incidents").click()
    expect(page.locator("table")).to_contain_text("Capture d'une liste")
    expect(page.locator("table")).not_to_contain_text("Avis à transmettre")


def test_hr_changes_a_retention_rule_the_dg_reads_it(live_server, page, make_user, browser):
    make_user("employee", "hr", username="rh")
    make_user("employee", "dg", username="dg")
    db.session.remove()

    browser_login(page, live_server, "rh", PASSWORD)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Conservation des documents").click()
    form = page.locator("form.rule-form", has_text="Prises de connaissance de la politique")
    form.get_by_label("Durée (mois)").fill("72")
    form.get_by_role("button", name="Enregistrer la règle").click()
    expect(page.locator("[role=status]").first).to_contain_text("Le calendrier est enregistré")
    row = page.locator("table tr", has_text="Prises de connaissance de la politique")
    expect(row).to_contain_text("72 mois")
    expect(row).to_contain_text("modifiée le")

    dg = browser.new_context().new_page()
    browser_login(dg, live_server, "dg", PASSWORD)
    dg.goto(f"{live_server}/records/retention")
    expect(dg.locator("table tr", has_text="Prises de connaissance")).to_contain_text("72 mois")
    expect(dg.locator("form.rule-form")).to_have_count(0)
