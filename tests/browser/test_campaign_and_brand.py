"""In Chromium: the login page names the organisation and focuses the username; HR opens the
campaign in force from the menu, reminds one person now and closes after a confirmation."""

import datetime as dt

from playwright.sync_api import expect

from hr_social.acknowledgements import policy_services
from hr_social.db import db
from hr_social.organisation.services import update_settings, use_demo_logo
from tests.conftest import PASSWORD


def test_brand_login_reminder_and_closing(live_server, page, make_user, make_person):
    update_settings(None, name="Ville de Lac-Exemple", address=None, email_domain=None)
    use_demo_logo(None)
    hr = make_user("hr", username="rh")
    make_person("Noé", "Simard")
    version = policy_services.create_version(hr, title="Politique d'essai", version_label="v1",
                                             effective_date=dt.date(2026, 1, 5),
                                             body="## 1 Objet\n\nTexte **important**.\n")
    policy_services.publish_version(hr, version)
    db.session.commit()

    page.goto(f"{live_server}/login")
    expect(page.locator(".brand-name")).to_have_text("Ville de Lac-Exemple")
    logo_width = page.locator("img.brand-logo").evaluate("img => img.naturalWidth")
    assert logo_width > 0  # the logo is served and drawn
    expect(page.get_by_label("Nom d'utilisateur")).to_be_focused()
    page.keyboard.type("rh")  # straight into the focused field
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server}/")

    page.get_by_role("link", name="Campagne en cours").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Politique d'essai")
    page.get_by_role("button", name="Relancer Noé Simard").click()
    expect(page.get_by_text("Rappel envoyé à 1 personne")).to_be_visible()

    page.get_by_role("link", name="Fermer la campagne…").click()
    expect(page.get_by_text("Une campagne fermée ne se rouvre pas")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Oui, fermer la campagne").click()
    expect(page.get_by_text("La campagne est fermée.")).to_be_visible()
