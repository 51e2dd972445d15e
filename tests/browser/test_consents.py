"""Consents in a real browser: an employee records a consent and has it signed both ways (the
printed form's scan, and on screen by drawing on the signature pad with the mouse), then the
publication gate refuses a channel the consent does not cover."""

import io
import re

from playwright.sync_api import expect

from hr_social.clock import local_today
from hr_social.db import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _record(page, base, name):
    page.goto(f"{base}/consents/new")
    page.get_by_label("Nom de la personne qui consent").fill(name)
    page.get_by_label("Catégorie", exact=True).select_option("citizen")
    page.get_by_label("Coordonnées (courriel, téléphone ou adresse)").fill("418 555-0123")
    page.get_by_label("Genre de contenu").select_option("photo")
    page.get_by_label("Description du contenu").fill("Photo au marché public")
    page.get_by_label(re.compile("^Médias")).set_input_files(
        {"name": "marche.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    page.get_by_label("Événement (facultatif)", exact=True).fill("Marché public d'automne")
    page.get_by_label("Usage prévu", exact=True).fill("Promotion du marché")
    page.get_by_label("Site Web de la Ville").check()
    page.get_by_role("button", name="Enregistrer le consentement").click()
    expect(page.locator("#consent-state")).to_contain_text("En attente de signature")
    return page.url


def test_record_both_ways_then_the_gate_refuses(live_server, page, make_user):
    make_user("employee", username="emile", first_name="Émile", last_name="Employé")
    db.session.remove()
    browser_login(page, live_server, "emile", PASSWORD)

    # (1) The printed form, signed and scanned.
    paper_url = _record(page, live_server, "Hélène Côté")
    expect(page.get_by_role("link", name="Imprimer le formulaire (PDF)")).to_be_visible()
    page.get_by_role("link", name="Verser le formulaire signé").click()
    page.get_by_label("Formulaire signé, numérisé (PDF, JPEG ou PNG)").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Verser le formulaire signé").click()
    expect(page.locator("#consent-state")).to_contain_text("Signé")
    expect(page.locator("#signature-method")).to_contain_text("Formulaire papier")
    paper_id = paper_url.rstrip("/").rsplit("/", 1)[-1]

    # (2) On screen: an empty pad is refused, a drawn signature is kept.
    _record(page, live_server, "Noémie Lévesque")
    page.get_by_role("link", name="Faire signer à l'écran").click()
    expect(page.locator("#consent-text")).to_contain_text("Noémie Lévesque")
    page.get_by_label("Lieu de la signature").fill("Marché public")
    page.get_by_label("La personne a lu le texte affiché et signe ci-dessous").check()
    page.get_by_role("button", name="Signer le consentement").click()
    expect(page.locator("#signature-errors")).to_contain_text("La signature est vide")
    canvas = page.locator("#signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 100)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 30 + step * 40, box["y"] + 100 + (step % 2) * 40 - 20)
    page.mouse.up()
    page.get_by_label("La personne a lu le texte affiché et signe ci-dessous").check()
    page.get_by_role("button", name="Signer le consentement").click()
    expect(page.locator("#consent-state")).to_contain_text("Signé")
    expect(page.locator("#signature-method")).to_contain_text("Signé à l'écran")
    expect(page.locator("#consent-files")).to_contain_text("PDF signé et scellé")

    # The gate: print is not a channel the consent allows.
    page.goto(f"{live_server}/consents/publications/new")
    page.get_by_label("Compte officiel ou canal").select_option("print")
    page.get_by_label("Adresse de la publication").fill("")
    page.get_by_label("Ce qui a été publié (médias)").fill("Photo du marché dans le bulletin")
    page.get_by_label("Consentements sur lesquels elle repose (numéros)").fill(paper_id)
    page.get_by_label("Personnes identifiables (une par ligne)").fill("Hélène Côté")
    page.get_by_role("button", name="Enregistrer la publication").click()
    expect(page.locator("#gate-missing")).to_contain_text(
        f"Le consentement n° {paper_id} ne couvre pas le canal « Imprimé »")
    page.get_by_label("Compte officiel ou canal").select_option("website")
    page.get_by_label("Date de la publication").fill(local_today().isoformat())
    page.get_by_role("button", name="Enregistrer la publication").click()
    expect(page.get_by_role("heading", name=re.compile("Publication n°"))).to_be_visible()
