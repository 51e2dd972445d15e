from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_an_employee_logs_in_and_sees_the_dashboard_in_french(live_server, page, make_user):
    user = make_user("employee", username="rita")
    browser_login(page, live_server, "rita", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    assert page.locator("html").get_attribute("lang") == "fr-CA"
    assert user.id
