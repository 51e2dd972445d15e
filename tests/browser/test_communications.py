"""Logo use in a real browser: an employee asks, communications asks for changes, the
employee resubmits a new visual, communications authorizes; both visuals stay visible."""

import datetime as dt

from playwright.sync_api import expect

from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _visual(name):
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def test_ask_request_changes_resubmit_authorize(live_server, page, make_user, browser):
    make_user("employee", username="emile", first_name="Émile", last_name="Employé")
    make_user("employee", "communications", username="comm")
    db.session.remove()
    start = dt.date.today() + dt.timedelta(days=2)

    browser_login(page, live_server, "emile", PASSWORD)
    page.goto(f"{live_server}/communications/logo/new")
    page.get_by_label("Objet de l'utilisation du logo").fill("Affiche de la fête des voisins")
    page.get_by_label("Où le logo sera-t-il utilisé ?").select_option("printed")
    page.get_by_label("Précisez le support").fill("Affiches au centre communautaire")
    page.get_by_label("Public visé").fill("Citoyens du quartier")
    page.get_by_label("Début de la période").fill(start.isoformat())
    page.get_by_label("Fin de la période").fill((start + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Visuel ou maquette").set_input_files(_visual("affiche-v1.png"))
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#request-state")).to_contain_text("En attente de décision")
    request_url = page.url

    comm = browser.new_context().new_page()
    browser_login(comm, live_server, "comm", PASSWORD)
    comm.goto(f"{request_url}/decide")
    comm.get_by_label("Demander des modifications").check()
    comm.get_by_label("Note, modifications demandées").fill("Ajoutez la date de la fête.")
    comm.get_by_role("button", name="Enregistrer la décision").click()
    expect(comm.locator("#request-state")).to_contain_text("Modifications demandées")

    page.goto(request_url)
    expect(page.locator("#changes-note")).to_contain_text("Ajoutez la date de la fête.")
    page.get_by_role("link", name="Modifier et soumettre de nouveau").click()
    page.get_by_label("Visuel ou maquette").set_input_files(_visual("affiche-v2.png"))
    page.get_by_role("button", name="Soumettre de nouveau").click()
    expect(page.locator("#request-state")).to_contain_text("En attente de décision")

    comm.goto(f"{request_url}/decide")
    expect(comm.locator("#visuals figure")).to_have_count(2)
    comm.get_by_label("Autoriser / approuver").check()
    comm.get_by_label("Conditions de l'autorisation").fill("Logo en couleur seulement")
    comm.get_by_role("button", name="Enregistrer la décision").click()
    expect(comm.locator("#request-state")).to_contain_text("Autorisée")

    page.goto(request_url)
    expect(page.locator("#request-state")).to_contain_text("Autorisée")
    expect(page.locator("#visuals figure")).to_have_count(2)
    expect(page.get_by_role("link", name="Lettre d'autorisation (PDF)")).to_be_visible()
    page.goto(f"{live_server}/communications/authorizations?q=voisins")
    expect(page.locator("#in-force")).to_contain_text("Affiche de la fête des voisins")


def test_change_approved_then_marked_done_enters_the_account_history(live_server, page,
                                                                    make_user, make_service,
                                                                    browser):
    from hr_social.access_requests.models import Platform
    from hr_social.communications import register

    leisure = make_service("Service de la culture et des loisirs", "CULT")
    make_user("employee", username="emile", service=leisure)
    comm = make_user("employee", "communications", username="comm")
    facebook = Platform(name="Facebook", category="social")
    db.session.add(facebook)
    db.session.flush()
    account = register.add_account(comm, platform_id=facebook.id, display_name="Natation VBC",
                                   url="https://www.facebook.com/natation-test",
                                   service_id=leisure.id)
    db.session.commit()
    account_url = f"{live_server}/communications/accounts/{account.id}"
    db.session.remove()

    browser_login(page, live_server, "emile", PASSWORD)
    page.goto(account_url)
    page.get_by_role("link", name="Demander une modification").click()
    page.get_by_label("Genre de modification").select_option("description")
    page.get_by_label("Contenu proposé").fill("Horaire d'hiver des bains libres")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#request-state")).to_contain_text("En attente de décision")
    request_url = page.url

    decider = browser.new_context().new_page()
    browser_login(decider, live_server, "comm", PASSWORD)
    decider.goto(f"{request_url}/decide")
    decider.get_by_label("Autoriser / approuver").check()
    decider.get_by_role("button", name="Enregistrer la décision").click()
    expect(decider.locator("#request-state")).to_contain_text("Approuvée")

    page.goto(request_url)
    page.get_by_label("Résultat", exact=True).fill("Description publiée")
    page.get_by_label("Lien vers le résultat").fill("https://www.facebook.com/natation-test")
    page.get_by_role("button", name="Inscrire le résultat").click()
    expect(page.locator("#request-state")).to_contain_text("Réalisée")
    page.goto(account_url)
    expect(page.locator("#history")).to_contain_text("Description publiée")
