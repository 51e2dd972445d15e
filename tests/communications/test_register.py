"""The register kept by communications: fiche, status, administrators, refusals; list
filters of the request pages."""

from __future__ import annotations

import html

import pytest

from hr_social.communications import register
from hr_social.communications import services as ops
from hr_social.communications.models import AccountHistory, OfficialAccount
from hr_social.db import db
from hr_social.workflow import GuardFailed
from tests.communications.conftest import count
from tests.conftest import login


def _fields(comms, **overrides):
    fields = dict(platform_id=comms["facebook"].id, display_name="Natation VBC",
                  url="https://www.facebook.com/natation-test", service_id=comms["leisure"].id)
    fields.update(overrides)
    return fields


@pytest.mark.parametrize("overrides, message", [
    (dict(url="ftp://www.facebook.com/x"), "https://"),
    (dict(url="https://"), "https://"),
    (dict(url="https://www.facebook.com/bibliotheque-test"), "déjà cette adresse"),
    (dict(platform_id=None), "plateforme"),
    (dict(service_id=None), "service"),
    (dict(display_name=" "), "nom affiché"),
])
def test_bad_account_input_is_refused_and_nothing_saved(comms, overrides, message):
    with pytest.raises(GuardFailed, match=message):
        register.add_account(comms["comm"], **_fields(comms, **overrides))
    db.session.rollback()
    assert count(OfficialAccount) == 1


def test_editing_the_fiche_and_status_writes_the_history(comms):
    account = comms["account"]
    register.update_account(comms["comm"], account, **_fields(
        comms, display_name="Bibliothèque Alice-Lane (officiel)",
        url="https://www.facebook.com/bibliotheque-test"))
    register.set_status(comms["comm"], account, "dormant")
    db.session.commit()
    with pytest.raises(GuardFailed, match="déjà ce statut"):
        register.set_status(comms["comm"], account, "dormant")
    with pytest.raises(GuardFailed, match="inconnu"):
        register.set_status(comms["comm"], account, "deleted")
    db.session.rollback()
    summaries = [h.summary for h in db.session.get(OfficialAccount, account.id).history]
    assert "Fiche du compte modifiée" in summaries
    assert any(s.startswith("Statut : Actif → Inactif") for s in summaries)


def test_administrators_cannot_be_added_twice_nor_removed_when_absent(comms):
    account, person = comms["account"], comms["colleague"].person
    register.add_administrator(comms["comm"], account, person)
    with pytest.raises(GuardFailed, match="déjà ce compte"):
        register.add_administrator(comms["comm"], account, person)
    with pytest.raises(GuardFailed, match="n'administre pas"):
        register.remove_administrator(comms["comm"], account, comms["outsider"].person)


def test_communications_keeps_the_register_through_the_screens(comms, client):
    login(client, comms["comm"])
    response = client.submit("/communications/accounts/new", data={
        "platform": comms["facebook"].id, "display_name": "Bande estivale",
        "url": "javascript:alert(1)", "service": comms["leisure"].id})
    assert response.status_code == 422 and count(OfficialAccount) == 1
    response = client.submit("/communications/accounts/new", data={
        "platform": comms["facebook"].id, "display_name": "Bande estivale",
        "url": "https://www.facebook.com/bande-test", "service": comms["leisure"].id})
    assert response.status_code == 302 and count(OfficialAccount) == 2
    account_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.submit(f"/communications/accounts/{account_id}/administrators",
                  data={"person": comms["colleague"].person.id})
    response = client.submit(f"/communications/accounts/{account_id}/administrators",
                             data={"person": "999999"}, follow_redirects=True)
    assert "Choisissez une personne" in html.unescape(response.get_data(as_text=True))
    client.submit(f"/communications/accounts/{account_id}/status", data={"status": "closed"})
    db.session.rollback()
    account = db.session.get(OfficialAccount, account_id)
    assert account.status == "closed"
    assert [a.person_id for a in account.current_administrators] == [
        comms["colleague"].person.id]
    assert not account.can_ask_change(comms["employee"])  # a closed account is not changed
    assert len(db.session.query(AccountHistory).filter_by(account_id=account_id).all()) == 3


def test_request_lists_filter_by_status_kind_and_text(comms, client, ask_logo):
    banner = ask_logo(purpose="Banderole du marathon")
    refused = ask_logo(purpose="Tasse promotionnelle")
    ops.refuse(comms["comm"], refused, "Non")
    ops.ask_change(comms["employee"], account_id=comms["account"].id, kind="cover_image",
                   proposed_text="Photo d'hiver", wanted_on=None)
    db.session.commit()
    login(client, comms["comm"])
    text = client.get("/communications/logo/?status=refused").get_data(as_text=True)
    assert f">{refused.id}</a>" in text and f">{banner.id}</a>" not in text
    text = client.get("/communications/logo/?q=marathon&medium=printed").get_data(as_text=True)
    assert f">{banner.id}</a>" in text and f">{refused.id}</a>" not in text
    text = client.get("/communications/changes/?kind=cover_image&q=hiver"
                      f"&account={comms['account'].id}").get_data(as_text=True)
    assert "Image de couverture" in text
    empty = client.get("/communications/changes/?kind=description").get_data(as_text=True)
    assert "Aucune demande ne correspond" in empty
