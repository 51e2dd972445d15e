"""A sent form shows that it is working and cannot be sent twice; it is usable again when
the person comes back to the page."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_sent_form_shows_it_is_working_and_is_sent_once(live_server, page):
    page.goto(f"{live_server}/login")
    # Count what would leave, and keep the page (no answer needed to see the button's state):
    # a listener on window runs after the application's own one on document.
    page.evaluate("""() => {
      window.sent = 0;
      window.addEventListener('submit', (event) => {
        if (!event.defaultPrevented) { window.sent += 1; }
        event.preventDefault();
      });
    }""")
    page.get_by_label("Nom d'utilisateur").fill("personne")
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    button = page.get_by_role("button", name="Se connecter")
    button.click()
    busy = page.locator("main form button.is-busy")
    expect(busy).to_have_text("Traitement…")
    expect(busy).to_be_disabled()
    # a second press (Enter, a script) while the first is on its way sends nothing more
    page.evaluate("document.querySelector('main form').requestSubmit()")
    assert page.evaluate("window.sent") == 1
    # back on the page from the history: the button is usable again, with its own words
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    expect(page.get_by_role("button", name="Se connecter")).to_be_enabled()
    assert page.locator("main form button.is-busy").count() == 0


def test_the_sign_checkbox_sits_on_the_line_of_its_label(live_server, page):
    """The checkbox field macro: box first, label beside it, even on a phone."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/login")
    page.evaluate("""() => {
      const form = document.querySelector('main form');
      form.insertAdjacentHTML('afterbegin',
        '<div class="field check"><input id="ticked" name="ticked" type="checkbox">' +
        '<span class="check-label"><label for="ticked">J\\'ai lu la politique ' +
        'et je m\\'engage à la respecter, ' +
        'ce qui est un libellé assez long pour passer à la ligne sur un téléphone</label>' +
        ' <span class="required" aria-hidden="true">*</span></span></div>');
    }""")
    box = page.locator("#ticked").bounding_box()
    label = page.locator("label[for=ticked]").bounding_box()
    assert label["x"] > box["x"] + box["width"] - 1
    assert box["y"] < label["y"] + 30  # on the label's first line, not above or below it
