"""HR records an access request in a real browser, downloads the answer's PDF (the person's
information, accents intact) and records that the answer was sent."""

from playwright.sync_api import expect

from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD
from tests.records.conftest import pdf_text


def test_hr_records_a_request_and_downloads_the_export(live_server, page, make_user):
    emile = make_user("employee", username="emile", first_name="Émile", last_name="Bélanger")
    label = f"Bélanger, Émile ({emile.person.employee_number})"
    make_user("employee", "hr", username="rh")
    db.session.remove()

    browser_login(page, live_server, "rh", PASSWORD)
    page.goto(f"{live_server}/records/requests")
    page.get_by_role("link", name="Consigner une demande").first.click()
    page.get_by_label("Personne qui fait la demande").select_option(label=label)
    page.get_by_label("Nature de la demande").select_option("access")
    page.get_by_label("Reçue par").select_option("letter")
    page.get_by_label("Ce qui est demandé").fill("Copie de mes accusés et de mes accès.")
    page.get_by_role("button", name="Consigner la demande").click()
    expect(page.locator("main")).to_contain_text("La demande est consignée")
    expect(page.locator("main")).to_contain_text("Copie de mes accusés et de mes accès.")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le relevé (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        text = pdf_text(handle.read())
    assert "Émile Bélanger" in text
    assert "Fiche de la personne" in text

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Envoyée par").select_option("registered_mail")
    page.get_by_label("Décision", exact=True).select_option("granted")
    page.get_by_role("button", name="Consigner l'envoi").click()
    expect(page.locator("main")).to_contain_text("L'envoi de la réponse est consigné.")
    expect(page.locator("main")).to_contain_text("Réponse envoyée")
