"""The screens: register and public page, forms that refuse bad input (422, nothing saved),
decisions through the browser's POSTs, departures on the dashboard, the letter PDF."""

from __future__ import annotations

import html
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from hr_social.communications import register
from hr_social.communications import services as ops
from hr_social.communications.models import LogoAuthorization, OfficialAccount
from hr_social.db import db
from hr_social.people.services import mark_departed
from tests.communications.conftest import PNG, count, days, logo_fields
from tests.conftest import login
from tests.statements import statements_of


def _form(**overrides):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else v))
            for k, v in logo_fields(**overrides).items()}
    data["account"] = data.pop("account_id")
    data["visual"] = (io.BytesIO(PNG), "visuel.png")
    return data


def test_public_page_answers_without_login(comms, client):
    page = client.get("/communications/official?q=alice")
    assert page.status_code == 200
    assert "Bibliothèque Alice-Lane" in page.get_data(as_text=True)
    miss = client.get("/communications/official?q=faux-compte").get_data(as_text=True)
    assert "n'est pas un compte officiel" in miss


def test_register_is_searchable_and_filterable(comms, client):
    register.add_account(comms["comm"], platform_id=comms["facebook"].id,
                         display_name="Ville de Baie-Test", url="https://www.facebook.com/ville",
                         service_id=comms["division"].id)
    db.session.commit()
    login(client, comms["outsider"].__class__.by_username("oscar"))
    text = client.get("/communications/accounts?q=ville").get_data(as_text=True)
    assert "Ville de Baie-Test" in text and "Alice-Lane" not in text
    text = client.get(f"/communications/accounts?service={comms['leisure'].id}").get_data(
        as_text=True)
    assert "Alice-Lane" in text and "Ville de Baie-Test" not in text


def test_register_pages_use_a_constant_number_of_statements(comms, client):
    login(client, comms["comm"])

    def statements(url):
        return len(statements_of(client, url))

    urls = ("/communications/accounts", "/communications/logo/", "/communications/changes/",
            "/communications/authorizations")
    before = [statements(url) for url in urls]
    for n in range(6):
        account = register.add_account(
            comms["comm"], platform_id=comms["facebook"].id, display_name=f"Compte {n}",
            url=f"https://www.facebook.com/compte-{n}", service_id=comms["leisure"].id)
        register.add_administrator(comms["comm"], account, comms["colleague"].person)
        authorization = ops.ask_logo(comms["employee"], visual=_png(),
                                     **logo_fields())
        ops.authorize_logo(comms["comm"], authorization)
        ops.ask_change(comms["employee"], account_id=account.id, kind="description",
                       proposed_text="Texte", wanted_on=None)
    db.session.commit()
    assert [statements(url) for url in urls] == before


def _png():
    from tests.communications.conftest import upload

    return upload()


def test_asking_through_the_form_then_a_bad_file_is_refused_with_422(comms, client):
    login(client, comms["employee"])
    response = client.submit("/communications/logo/new", data=_form(),
                             content_type="multipart/form-data")
    assert response.status_code == 302
    bad = _form()
    bad["visual"] = (io.BytesIO(b"<svg></svg>"), "logo.png")
    response = client.submit("/communications/logo/new", data=bad,
                             content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Format de fichier refusé" in response.get_data(as_text=True)
    assert count(LogoAuthorization) == 1


def test_an_end_before_the_start_is_refused_with_422(comms, client):
    login(client, comms["employee"])
    response = client.submit("/communications/logo/new",
                             data=_form(starts_on=days(9), ends_on=days(2)),
                             content_type="multipart/form-data")
    assert response.status_code == 422
    assert "doit suivre son début" in response.get_data(as_text=True)
    assert count(LogoAuthorization) == 0


def test_decide_page_shows_past_requests_and_decides(comms, client, ask_logo):
    ask_logo(purpose="Ancienne affiche du carnaval")
    current = ask_logo()
    login(client, comms["comm"])
    page = client.get(f"/communications/logo/{current.id}/decide").get_data(as_text=True)
    assert "Ancienne affiche du carnaval" in page
    response = client.submit(f"/communications/logo/{current.id}/decide",
                             data={"decision": "refuse", "note": ""})
    assert response.status_code == 422
    assert "requis" in response.get_data(as_text=True)
    response = client.submit(f"/communications/logo/{current.id}/decide",
                             data={"decision": "approve", "conditions": "En couleur"})
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(LogoAuthorization, current.id).state == "authorized"
    again = client.submit(f"/communications/logo/{current.id}/decide",
                          data={"decision": "approve"})
    assert again.status_code == 403  # nothing left to decide


def test_changing_an_account_of_another_service_is_refused_with_a_message(comms, client):
    login(client, comms["outsider"])
    response = client.submit("/communications/changes/new", data={
        "account": comms["account"].id, "kind": "description", "proposed_text": "Texte"})
    assert response.status_code == 422
    assert "service qui gère ce compte" in response.get_data(as_text=True)


def test_departed_administrator_is_listed_for_communications(comms, client):
    account = db.session.get(OfficialAccount, comms["account"].id)
    register.add_administrator(comms["comm"], account, comms["colleague"].person)
    db.session.commit()
    mark_departed(comms["dg"], comms["colleague"].person, departed_on=days(0))
    db.session.commit()
    login(client, comms["comm"])
    dashboard = client.get("/").get_data(as_text=True)
    assert "Administrateurs partis" in dashboard
    listed = client.get("/communications/accounts?departed=1").get_data(as_text=True)
    assert "Bibliothèque Alice-Lane" in listed
    history = client.get(f"/communications/accounts/{account.id}").get_data(as_text=True)
    assert "Départ d'un administrateur" in html.unescape(history)


def test_authorization_letter_keeps_accents(comms, client, ask_logo):
    authorization = ask_logo(purpose="Fête de l'été à la bibliothèque « Alice-Lane »")
    ops.authorize_logo(comms["comm"], authorization, conditions="Présenté tel quel")
    db.session.commit()
    login(client, comms["employee"])
    response = client.get(f"/communications/logo/{authorization.id}/letter.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = re.sub(r"[\u00a0\u202f\s]+", " ", text)
    assert "Fête de l'été à la bibliothèque « Alice-Lane »" in text
    assert "Présenté tel quel" in text and "Autorisation d'usage du logo" in text
    code = re.search(r"Code de vérification : ([0-9A-Z-]{14})", text).group(1)
    public = client.application.test_client()
    answer = html.unescape(public.get(f"/verify/{code}").get_data(as_text=True))
    assert "Autorisation en vigueur" in answer and "Autorisation d'usage du logo" in answer
    ops.withdraw(comms["employee"], db.session.get(LogoAuthorization, authorization.id))
    db.session.commit()
    answer = html.unescape(public.get(f"/verify/{code}").get_data(as_text=True))
    assert "n'est plus en vigueur" in answer


def test_letter_only_for_an_authorization_in_force(comms, client, ask_logo):
    authorization = ask_logo()
    login(client, comms["employee"])
    assert client.get(f"/communications/logo/{authorization.id}/letter.pdf").status_code == 404


def test_dashboard_cards(comms, client, ask_logo):
    authorization = ask_logo()
    login(client, comms["comm"])
    assert "Usages du logo à décider" in client.get("/").get_data(as_text=True)
    own = login(client.application.test_client(), comms["employee"])
    assert "Vos demandes aux communications" in own.get("/").get_data(as_text=True)
    ops.escalate(comms["comm"], authorization)
    db.session.commit()
    dg = login(client.application.test_client(), comms["dg"])
    assert "Demandes transmises à la Direction générale" in dg.get("/").get_data(as_text=True)


def test_cli_expire(comms, app, ask_logo):
    authorization = ask_logo(ends_on=days(3))
    ops.authorize_logo(comms["comm"], authorization)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["communications", "expire"])
    assert result.exit_code == 0 and "avis d'échéance : 1." in result.output
    db.session.rollback()
    assert db.session.scalar(select(LogoAuthorization.expiry_notified_on)) == days(0)


def test_request_page_shows_its_timeline_in_words(comms, client, ask_logo):
    authorization = ask_logo()
    ops.request_changes(comms["comm"], authorization, "Plus gros logo")
    db.session.commit()
    login(client, comms["employee"])
    text = html.unescape(client.get(f"/communications/logo/{authorization.id}").get_data(
        as_text=True))
    assert "Demande présentée" in text and "Modifications demandées" in text
    assert "Plus gros logo" in text
