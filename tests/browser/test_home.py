"""Each role's home in a real browser, on the demo municipality: the to-do items that role
must act on, its number cards, and the one-click actions (recommend, grant) done from it."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from hr_social.access_requests.models import AccessRequest
from hr_social.db import db
from hr_social.demo.cli import run_seeders
from hr_social.people.demo import ACCOUNTS
from hr_social.people.models import User
from hr_social.typography import elide


def _demo() -> dict:
    context = run_seeders()
    db.session.commit()
    names = {role: user.person.full_name for role, user in context.users.items()}
    db.session.remove()
    return names


def _home(browser, base: str, role: str):
    username, password, *_rest = ACCOUNTS[role]
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(f"{base}/")
    return page


def _todo(page, title: str):
    return page.locator(".todo-list li.todo").filter(has_text=title)


def _recommend_title(name: str) -> str:
    """As the interface says it, elided before a vowel (« d'André »)."""
    message = "Recommander la demande d'accès de %(name)s"
    return elide(message, {"name": name}) % {"name": name}


def _card(page, title: str):
    return page.locator(".number-card").filter(has_text=title)


def test_each_role_finds_its_to_do_items_and_number_cards(live_server, browser):
    names = _demo()

    employee = _home(browser, live_server, "employee")
    expect(employee.get_by_role("link", name="Demander un accès")).to_have_class(
        re.compile("primary"))
    expect(_todo(employee, "Politique à signer")).to_have_count(1)
    expect(employee.locator(".news-list")).to_contain_text("a été décidée")
    expect(employee.locator(".home-panel").filter(has_text="Mes accès en vigueur")).to_contain_text(
        "Facebook")
    expect(_card(employee, "Mes demandes d'accès").locator(".number")).to_have_text("1")
    expect(employee.get_by_text("Campagne en vigueur")).to_have_count(0)

    manager = _home(browser, live_server, "manager")
    title = _recommend_title(names["employee"])
    to_recommend = _todo(manager, title)
    expect(to_recommend).to_have_count(1)
    expect(manager.locator(".home-panel").filter(
        has_text="Accusés de réception de votre équipe")).to_contain_text(names["employee"])
    expect(manager.get_by_role("link", name="Consigner un incident")).to_be_visible()
    to_recommend.get_by_label("Commentaire").fill("Utile au service.")
    to_recommend.get_by_role("button", name="Avis favorable").click()
    expect(manager.locator(".flash-success")).to_contain_text("transmise à la Direction")
    expect(_todo(manager, title)).to_have_count(0)

    hr = _home(browser, live_server, "hr")
    campaign = hr.locator(".home-panel").filter(has_text="Campagne en vigueur")
    expect(campaign.locator("svg[role=img]")).to_be_visible()
    expect(campaign.locator(".big-figure")).to_have_text(re.compile(r"^\d+\s%$"))
    expect(hr.locator(".todo-list")).to_contain_text("Donner suite au refus de signer")
    expect(_card(hr, "Personnes sans moyen de signer en ligne")).to_be_visible()
    expect(hr.get_by_role("link", name="Importer le fichier du personnel")).to_be_visible()

    dg = _home(browser, live_server, "dg")
    decisions = dg.locator(".todo").filter(has_text="Décider la demande d'accès")
    expect(decisions.first).to_be_visible()
    recommended = decisions.filter(has_text=names["employee"])
    expect(recommended).to_contain_text("Favorable — Utile au service.")
    expect(recommended).to_contain_text("Politique en vigueur : accusé de réception pas encore")
    expect(_card(dg, "Demandes d'accès à décider")).to_be_visible()
    dg.once("dialog", lambda dialog: dialog.accept())
    recommended.get_by_role("button", name="Tout accorder").click()
    expect(dg.locator(".flash-success")).to_contain_text("La décision a été enregistrée")
    expect(dg.locator(".todo").filter(has_text=names["employee"]).filter(
        has_text="Décider")).to_have_count(0)

    communications = _home(browser, live_server, "communications")
    expect(communications.locator(".todo-list")).to_contain_text("Décider")
    expect(_card(communications, "Modifications de comptes à décider")).to_be_visible()

    admin = _home(browser, live_server, "admin")
    expect(_card(admin, "Personnes actives sans compte")).to_be_visible()
    expect(admin.get_by_text("Campagne en vigueur")).to_have_count(0)

    # What was done from the homes is saved: recommended, then granted.
    person = db.session.scalar(select(User).where(
        User.username == ACCOUNTS["employee"][0])).person_id
    decided = db.session.scalars(select(AccessRequest).where(
        AccessRequest.requester_id == person, AccessRequest.state == "decided")
        .order_by(AccessRequest.id.desc())).first()
    assert decided.recommendation_opinion == "favourable" and decided.outcome == "granted"


def test_the_home_reads_on_a_phone(live_server, browser):
    _demo()
    username, password, *_rest = ACCOUNTS["manager"]
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(f"{live_server}/")
    wide = page.evaluate("[...document.querySelectorAll('.home .todo, .home .card, "
                         ".home-panel')].filter(e => e.getBoundingClientRect().right > 391)"
                         ".length")
    assert wide == 0
