"""Accessibility and phone layout, checked in Chromium on the demo, role by role.

axe-core (bundled by the PyPI package axe-playwright-python, injected by Playwright) runs on
every page a role reaches by following links from its home: no serious or critical
violation is allowed (labels, contrast, landmarks, language...). Nothing is listed by hand:
a new page is checked as soon as a link leads to it.

At 390 px (a phone), each role's home and menu pages must not scroll sideways, and nothing
may stick out of the page's card: a wide table scrolls inside its own box.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from hr_social.db import db
from hr_social.demo import LOGINS
from hr_social.demo.cli import load_seeders, run_seeders
from tests.browser.conftest import browser_login

load_seeders()  # declares the demo logins (LOGINS) at collection time

PAGES_PER_ROLE = 60  # a few URLs of each route are enough: /people/1 and /people/2 look alike
PER_PATTERN = 1
SERIOUS = {"serious", "critical"}
SKIPPED = ("/static/", "/logout", "/language")
AXE = Axe()


@pytest.fixture
def demo(app):
    app.config["JOBS_RUNNER"] = "none"  # print jobs stay queued: no PDF rendering here
    run_seeders()
    db.session.commit()
    db.session.remove()
    return app


def _pattern(path: str) -> str:
    parts = urlsplit(path)
    shape = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return shape + ("?" + "&".join(names) if names else "")


def _links(page, base: str, scope: str = "") -> list[str]:
    hrefs = page.eval_on_selector_all(f"{scope} a[href]".strip(), "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(urljoin(page.url, href.split("#")[0]))
        if f"{parts.scheme}://{parts.netloc}" != base or parts.path.startswith(SKIPPED):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _serious(results) -> list[str]:
    problems = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in SERIOUS:
            targets = [", ".join(node.get("target", [])) for node in violation["nodes"][:3]]
            problems.append(f"{violation['id']} ({violation['impact']}): "
                            f"{violation['help']} — {targets}")
    return problems


def _visit(page, url: str) -> bool:
    """Open a page; False for what is no HTML page (a PDF, a download)."""
    try:
        response = page.goto(url)
    except PlaywrightError:  # a download: not a page
        return False
    return (response is not None and response.ok
            and "text/html" in response.headers.get("content-type", ""))


@pytest.mark.parametrize(("username", "password"), [(u, p) for u, p, _label in LOGINS],
                         ids=[u for u, _p, _label in LOGINS])
def test_every_page_a_role_reaches_has_no_serious_accessibility_violation(
        demo, live_server, browser, username, password):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=False)
    page = context.new_page()
    browser_login(page, live_server, username, password)
    queue, seen, checked, failures = deque(["/"]), set(), [], {}
    while queue and len(checked) < PAGES_PER_ROLE:
        path = queue.popleft()
        key = _pattern(path)
        if key in seen:
            continue
        seen.add(key)
        if not _visit(page, live_server + path):
            continue
        if "/login" in page.url:  # a page that ended the session: nothing more to see
            browser_login(page, live_server, username, password)
            continue
        checked.append(path)
        problems = _serious(AXE.run(page))
        if problems:
            failures[path] = problems
        queue.extend(_links(page, live_server))
    context.close()
    assert len(checked) >= 3, f"{username} reached only {checked}"
    assert not failures, "\n".join(f"{path}:\n  " + "\n  ".join(problems)
                                   for path, problems in failures.items())


def test_the_login_page_has_no_serious_accessibility_violation(demo, live_server, page):
    page.goto(f"{live_server}/login")
    assert not _serious(AXE.run(page))


# --- phone width ---------------------------------------------------------------------------

OVERFLOW = """() => {
  const page = document.documentElement.scrollWidth - window.innerWidth;
  const main = document.querySelector('main');
  const card = main ? main.scrollWidth - main.clientWidth : 0;
  return {page, card};
}"""


@pytest.mark.parametrize(("username", "password"), [(u, p) for u, p, _label in LOGINS],
                         ids=[u for u, _p, _label in LOGINS])
def test_at_390_px_no_main_page_of_a_role_scrolls_sideways(
        demo, live_server, browser, username, password):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    browser_login(page, live_server, username, password)
    menu = page.locator("details.menu")
    assert menu.get_attribute("open") is None, "the menu starts folded on a phone"
    page.get_by_text("Menu", exact=True).click()
    pages = ["/", *(_links(page, live_server, "nav.main-nav"))]
    assert len(pages) >= 3
    overflowing = {}
    for path in pages:
        assert _visit(page, live_server + path), path
        sizes = page.evaluate(OVERFLOW)
        if sizes["page"] > 0 or sizes["card"] > 0:
            overflowing[path] = sizes
    context.close()
    assert not overflowing, overflowing


def test_the_menu_is_unfolded_beside_the_page_on_a_wide_screen(demo, live_server, browser):
    username, password, _label = LOGINS[2]  # HR: the longest menu
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    browser_login(page, live_server, username, password)
    links = page.locator("nav.main-nav a")
    assert links.count() >= 8
    assert page.get_by_text("Menu", exact=True).is_hidden()
    first, last = links.first.bounding_box(), links.last.bounding_box()
    assert first["width"] > 0 and last["width"] > 0
    assert last["x"] == first["x"] and last["y"] > first["y"]  # one column, not wrapped lines
    context.close()


def test_the_check_finds_a_serious_violation_when_there_is_one(page):
    """The harness itself: an unlabelled field and an image without text are reported."""
    page.set_content('<html><body><main><img src="x.png"><input type="text"></main></body></html>')
    found = " ".join(_serious(AXE.run(page)))
    assert "image-alt" in found and "label" in found
