import datetime as dt

from playwright.sync_api import expect

from hr_social.acknowledgements import policy_services
from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_an_employee_reads_signs_and_downloads_the_pdf(live_server, page, make_user):
    hr = make_user("hr")
    make_user("employee", username="maude", first_name="Maude", last_name="Bérubé")
    version = policy_services.create_version(hr, title="Politique d'essai", version_label="v1",
                                             effective_date=dt.date(2026, 1, 5),
                                             body="## 1 Objet\n\nTexte d'essai.\n")
    policy_services.publish_version(hr, version)
    db.session.commit()

    browser_login(page, live_server, "maude", PASSWORD)
    page.get_by_role("link", name="Mes accusés de réception").click()
    page.get_by_role("link", name="Lire la politique").click()
    expect(page.get_by_role("heading", name="1 Objet")).to_be_visible()
    page.get_by_role("link", name="J'ai lu : signer mon accusé de réception").click()
    page.get_by_label("J'ai lu la politique et je m'engage à la respecter.").check()
    page.get_by_label("Votre nom complet").fill("Maude Bérubé")
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Signer").click()
    expect(page.get_by_text("votre accusé de réception est signé")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le PDF signé").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_hr_bulk_prints_and_sees_the_download_link_appear(live_server, page, make_user):
    hr = make_user("hr", username="rh")
    make_user("employee", first_name="Noé", last_name="Simard")
    version = policy_services.create_version(hr, title="Politique", version_label="v1",
                                             effective_date=dt.date(2026, 1, 5),
                                             body="## 1 Objet\n\nTexte.\n")
    policy_services.publish_version(hr, version)
    db.session.commit()

    browser_login(page, live_server, "rh", PASSWORD)
    page.goto(f"{live_server}/acknowledgements/print")
    page.get_by_label("Toutes les personnes en attente").check()
    page.get_by_role("button", name="Préparer le PDF").click()
    expect(page.get_by_role("link", name="Télécharger le PDF")).to_be_visible(timeout=30000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
