import re

from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_an_employee_switches_to_english_and_back(live_server, page, make_user):
    make_user("employee", username="lucien")
    browser_login(page, live_server, "lucien", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "fr-CA"

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server}/")
    page.reload()  # the choice is kept (stored on the account)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_after_logout_the_dashboard_is_out_of_reach_even_with_the_back_button(
    live_server, page, make_user
):
    make_user("employee", username="odette")
    browser_login(page, live_server, "odette", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()

    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$|/login\?next=/$"))
    page.go_back()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Bonjour")
