from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

CSV = ("Matricule;Prénom;Nom;Courriel;Service;Gestionnaire;Type\n"
       "4001;Andréanne;Thibault;andreanne.thibault@ville.test;GREF;;employé\n"
       "4002;Réjean;Deschênes;rejean.deschenes@ville.test;Greffe;4001;stagiaire\n")


def test_hr_imports_a_csv_and_finds_the_people_in_the_list(live_server, page, make_user,
                                                         make_service, tmp_path):
    make_service("Greffe", "GREF")
    make_user("employee", "hr", username="helene")
    path = tmp_path / "paie.csv"
    path.write_bytes(CSV.encode("cp1252"))
    browser_login(page, live_server, "helene", PASSWORD)
    page.get_by_role("link", name="Personnes").first.click()
    page.get_by_role("link", name="Importer un fichier CSV").click()
    page.get_by_label("Fichier CSV").set_input_files(str(path))
    page.get_by_label("Simulation").check()
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status").first).to_contain_text("Simulation : 2 création(s)")
    page.get_by_label("Fichier CSV").set_input_files(str(path))
    page.get_by_role("button", name="Importer").click()
    expect(page.locator(".flashes")).to_contain_text("Import terminé : 2 création(s)")
    page.goto(f"{live_server}/people/?q=Deschênes")
    expect(page.get_by_role("table")).to_contain_text("Deschênes, Réjean")
    expect(page.get_by_role("table")).to_contain_text("Andréanne Thibault")
