"""The organisation, not the code name: its name and logo on every page, the login page, the
e-mails' signature and the PDFs' letterhead."""

import html
import io
import re

from sqlalchemy import select

from hr_social import pdf
from hr_social.db import db
from hr_social.documents.letter import organisation_context
from hr_social.mail.models import OutgoingEmail
from hr_social.mail.services import queue_template
from hr_social.organisation.models import OrganisationSettings
from hr_social.organisation.services import update_settings, use_demo_logo

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7"
       b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _name(app, name="Ville de Lac-Exemple"):
    update_settings(None, name=name, address="1, rue Principale", email_domain=None)
    db.session.commit()


def test_every_page_and_the_login_page_show_the_organisation(app, client, login_as):
    _name(app)
    login = _text(client.get("/login"))
    assert "Ville de Lac-Exemple" in login and "hr_social" not in login
    assert "lit et signe la politique sur les médias sociaux" in login  # what it is for
    username = re.search(r'<input[^>]*name="username"[^>]*>', login)[0]
    assert "autofocus" in username  # the cursor is in the username field
    page = _text(login_as("employee").get("/"))
    assert "hr_social" not in page
    assert '<span class="brand-name">Ville de Lac-Exemple</span>' in page
    assert "<title>" in page and "· Ville de Lac-Exemple</title>" in page
    assert "organisation/logo" not in page  # no logo set: no broken image


def test_admin_uploads_a_logo_checked_by_content(app, login_as):
    _name(app)
    admin = login_as("admin")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for data, name in ((svg, "logo.png"), (b"<html>x</html>", "logo.jpg")):
        refused = admin.submit("/organisation/settings", {
            "name": "Ville de Lac-Exemple", "logo": (io.BytesIO(data), name)},
            content_type="multipart/form-data")
        assert refused.status_code == 422
        assert OrganisationSettings.current().logo_id is None
    accepted = admin.submit("/organisation/settings", {
        "name": "Ville de Lac-Exemple", "logo": (io.BytesIO(PNG), "logo.png")},
        content_type="multipart/form-data")
    assert accepted.status_code == 302
    settings = OrganisationSettings.current()
    assert settings.logo.content_type == "image/png"
    page = _text(login_as("employee").get("/"))
    assert f'src="/organisation/logo?v={settings.logo_id}"' in page
    served = login_as("employee").get(f"/organisation/logo?v={settings.logo_id}")
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_the_demo_logo_is_our_own_svg_served_sandboxed(app, client):
    use_demo_logo(None)
    db.session.commit()
    response = client.get("/organisation/logo")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert b"<script" not in response.data and b"href" not in response.data
    assert b"<svg" in response.data


def test_every_e_mail_is_signed_with_the_organisation(app):
    _name(app, "Ville de Lac-Exemple")
    with app.test_request_context():
        queue_template("a@ville.test", "Sujet", "auth/login_link", user=type(
            "U", (), {"username": "rita"})(), address=None, minutes=15, link="https://x")
        db.session.commit()
    body = db.session.scalar(select(OutgoingEmail.body))
    assert body.rstrip().endswith("Ville de Lac-Exemple\n1, rue Principale")
    assert "\n-- \nVille de Lac-Exemple" in body and "hr_social" not in body


def test_the_letterhead_embeds_the_logo_and_fetches_nothing(app):
    _name(app, "Ville de Lac-Exemple")
    use_demo_logo(None)
    db.session.commit()
    with app.test_request_context():
        organisation = organisation_context()
        assert organisation["logo"].startswith("data:image/svg+xml;base64,")
        html_doc = pdf.render_html("pdf/service_separator.html", organisation=organisation,
                                   service=None, people=[])
    refused_before = len(pdf.refused_urls)
    data = pdf.html_to_pdf(html_doc)
    assert data.startswith(b"%PDF") and len(pdf.refused_urls) == refused_before
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert "Ville de Lac-Exemple" in reader.pages[0].extract_text()


def test_saving_the_settings_without_a_new_file_keeps_the_logo(app, login_as):
    _name(app)
    use_demo_logo(None)
    db.session.commit()
    logo_id = OrganisationSettings.current().logo_id
    admin = login_as("admin")
    response = admin.submit("/organisation/settings", {"name": "Ville de Lac-Nouveau"})
    assert response.status_code == 302
    settings = OrganisationSettings.current()
    assert settings.name == "Ville de Lac-Nouveau" and settings.logo_id == logo_id


def test_a_process_keeps_the_brand_a_while_and_forgets_it_on_save(app, client, login_as,
                                                                   monkeypatch):
    from hr_social.organisation import brand as brand_module

    browser = login_as("employee")
    _name(app, "Ville de Premier-Nom")
    assert "Ville de Premier-Nom" in _text(browser.get("/"))
    # Another worker process saves a new name: this one reads the database again only
    # once its copy is older than ORGANISATION_BRAND_CACHE_SECONDS.
    settings = db.session.scalars(select(OrganisationSettings)).one()
    settings.name = "Ville d'Ailleurs"
    db.session.commit()
    assert "Ville de Premier-Nom" in _text(browser.get("/"))
    later = brand_module.time.monotonic() + app.config["ORGANISATION_BRAND_CACHE_SECONDS"] + 1
    monkeypatch.setattr(brand_module.time, "monotonic", lambda: later)
    assert "Ville d'Ailleurs" in _text(browser.get("/"))
    # Saved through the application: this process shows it on the next page at once.
    _name(app, "Ville de Troisième-Nom")
    assert "Ville de Troisième-Nom" in _text(browser.get("/"))
