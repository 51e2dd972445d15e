"""Main path in a real browser: an employee asks, the DG grants, the employee sees it."""

from playwright.sync_api import expect

from hr_social.access_requests.models import Platform
from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_employee_asks_dg_grants_employee_sees_it_granted(live_server, page, make_user,
                                                          browser):
    db.session.add_all([Platform(name="Facebook", category="social"),
                        Platform(name="LinkedIn", category="professional")])
    db.session.commit()
    make_user("employee", username="emile", first_name="Émile", last_name="Employé")
    make_user("employee", "dg", username="direction")
    db.session.remove()

    browser_login(page, live_server, "emile", PASSWORD)
    page.goto(f"{live_server}/access-requests/new")
    page.get_by_label("Facebook").check()
    page.get_by_label("Usage prévu").fill("Répondre aux citoyens sur la page du camp de jour.")
    page.get_by_role("button", name="Soumettre à la Direction générale").click()
    expect(page.locator("#request-state")).to_contain_text("En attente de décision")
    request_url = page.url

    dg_page = browser.new_context().new_page()
    browser_login(dg_page, live_server, "direction", PASSWORD)
    dg_page.goto(f"{live_server}/access-requests/queue")
    expect(dg_page.get_by_role("cell", name="Émile Employé")).to_be_visible()
    dg_page.get_by_role("link", name=request_url.rsplit("/", 1)[1], exact=True).click()
    dg_page.get_by_label("Accorder").check()
    dg_page.get_by_role("button", name="Enregistrer la décision").click()
    # checked first, then confirmed on the page (no dialog for a decision the server refuses)
    expect(dg_page.locator("#decision-summary")).to_contain_text("Facebook : accordé")
    expect(dg_page.get_by_label("Accorder")).to_be_checked()
    dg_page.get_by_role("button", name="Confirmer la décision").click()
    expect(dg_page.locator(".flash-success")).to_contain_text("La décision a été enregistrée")

    page.goto(request_url)
    expect(page.locator("#request-state")).to_contain_text("Accordée")
    expect(page.locator(".item-state")).to_have_text("Accordé")
