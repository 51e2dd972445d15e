"""The administration sets the organisation's name, address and logo."""

import io

from hr_social.attachments.models import Attachment
from hr_social.db import db
from hr_social.organisation.models import OrganisationSettings
from tests.people.helpers import audit, text

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _form(logo=None, **overrides):
    data = {"name": "Ville de Baie-Comeau", "address": "19, avenue Marquette",
            "email_domain": "ville.baie-comeau.qc.ca"}
    data.update(overrides)
    if logo is not None:
        data["logo"] = logo
    return data


def test_admin_saves_settings_with_a_png_logo(login_as, client):
    admin = login_as("admin")
    response = admin.submit("/organisation/settings",
                            _form(logo=(io.BytesIO(PNG), "logo.png")),
                            content_type="multipart/form-data")
    assert response.status_code == 302
    settings = OrganisationSettings.current()
    assert settings.name == "Ville de Baie-Comeau" and settings.logo.content_type == "image/png"
    assert len(audit("organisation.updated")) == 1
    logo = client.get("/organisation/logo")  # shown on every page, login included
    assert logo.status_code == 200 and logo.data == PNG


def test_a_text_file_renamed_png_is_refused(login_as):
    admin = login_as("admin")
    response = admin.submit("/organisation/settings",
                            _form(logo=(io.BytesIO(b"juste du texte"), "logo.png")),
                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Format de fichier refusé. Formats acceptés : JPG, PNG." in text(response)
    assert db.session.query(Attachment).count() == 0
    assert OrganisationSettings.current().id is None
    assert audit("organisation.updated") == []


def test_a_bad_email_domain_is_refused(login_as):
    admin = login_as("admin")
    response = admin.submit("/organisation/settings", _form(email_domain="pas un domaine"))
    assert "Domaine invalide." in text(response)
    assert audit("organisation.updated") == []


def test_only_admin_changes_the_settings(login_as):
    for role in ("hr", "dg", "communications"):
        client = login_as(role)
        assert client.get("/organisation/settings").status_code == 403
        assert client.submit("/organisation/settings", _form(name="Piratée")).status_code == 403
    assert OrganisationSettings.current().name != "Piratée"
    assert audit("organisation.updated") == []


def test_saving_the_settings_unchanged_writes_no_audit_entry(login_as):
    admin = login_as("admin")
    admin.submit("/organisation/settings", _form())
    response = admin.submit("/organisation/settings", _form(), follow_redirects=True)
    assert "Aucun changement." in text(response)
    assert len(audit("organisation.updated")) == 1
    admin.submit("/organisation/settings", _form(address="1 rue du Port"))
    event = audit("organisation.updated")[-1]
    assert "1 rue du Port" in event.after_json and len(audit("organisation.updated")) == 2
