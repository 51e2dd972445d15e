"""HR imports the policy text, checks its sections and publishes it once."""

import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from hr_social.acknowledgements.models import Acknowledgement, AckStatus, PolicyVersion
from hr_social.acknowledgements.policy_services import body_sha256
from hr_social.db import db
from hr_social.mail.models import OutgoingEmail
from hr_social.people.events import person_created
from hr_social.people.models import Person

# The customer's policy, shipped with the tests (a copy of the seed) so the repository is
# self-contained.
SEED = Path(__file__).resolve().parents[1] / "data" / "politique-medias-sociaux.txt"


def _form(**extra):
    data = {"title": "Politique", "version_label": "2026-01", "effective_date": "2026-01-05"}
    data.update(extra)
    return data


def _upload(client, content: bytes, name="politique.txt"):
    return client.submit("/acknowledgements/policies/new",
                         _form(file=(io.BytesIO(content), name)),
                         content_type="multipart/form-data")


def test_the_real_policy_imports_with_headed_sections(app, tmp_path):
    copy = tmp_path / "politique.txt"
    shutil.copyfile(SEED, copy)
    result = app.test_cli_runner().invoke(args=["policy", "import", str(copy), "--version",
                                                "2020-10", "--effective", "2020-10-01"])
    assert result.exit_code == 0, result.output
    version = db.session.scalar(select(PolicyVersion))
    numbers = [s.number for s in version.sections]
    assert numbers[:6] == ["", "1", "2", "2.1", "2.2", "2.3"]
    assert {"3.2", "3.2.1", "3.2.2", "3.3", "3.4", "4", "5", "11"} <= set(numbers)
    titles = {s.number: s.title for s in version.sections}
    assert titles["3.4"] == "Protection des renseignements personnels et confidentiels"
    assert titles["5"] == "Sanctions"
    assert "....." not in version.body  # the table of contents is dropped
    assert not version.is_published


def test_cli_import_and_publish_of_markdown(app, tmp_path, make_person):
    person = make_person()
    path = tmp_path / "p.md"
    path.write_text("# 1. Objet\n\nUn texte court.\n\n## 1.1 Détail\n\n- un point\n",
                    encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["policy", "import", str(path), "--version",
                                                "md", "--publish"])
    assert result.exit_code == 0, result.output
    version = db.session.scalar(select(PolicyVersion))
    assert [(s.number, s.title) for s in version.sections] == [("1", "Objet"),
                                                               ("1.1", "Détail")]
    assert version.content_sha256 == body_sha256(version.body)
    assert db.session.scalar(select(Acknowledgement.person_id)) == person.id


def test_cli_refuses_an_empty_file(app, tmp_path):
    path = tmp_path / "vide.txt"
    path.write_bytes(b"  \n")
    result = app.test_cli_runner().invoke(args=["policy", "import", str(path), "--version", "x"])
    assert result.exit_code != 0 and "vide" in result.output
    assert db.session.scalar(select(PolicyVersion)) is None


def test_html_upload_keeps_headings_and_drops_markup(login_as):
    client = login_as("hr")
    html = ("<html><head><script>alert(1)</script></head><body><h1>2. Définitions</h1>"
            "<p>Texte <b>gras</b> &amp; <img src=x onerror=alert(1)> accents é.</p>"
            "<h2>2.1 Clientèle</h2><ul><li>citoyens</li></ul></body></html>")
    response = _upload(client, html.encode("cp1252"), "politique.html")
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.session.scalar(select(PolicyVersion))
    assert [(s.number, s.title) for s in version.sections] == [("2", "Définitions"),
                                                               ("2.1", "Clientèle")]
    assert "alert" not in version.body and "<" not in version.body
    assert "Texte gras & accents é." in version.body
    page = client.get(f"/acknowledgements/policies/{version.id}").get_data(as_text=True)
    assert "<h3>2.1 Clientèle</h3>" in page and "<li>citoyens</li>" in page


def test_windows_1252_text_and_pasted_text_are_accepted(login_as):
    client = login_as("hr")
    assert _upload(client, "1. Préambule\n\nÉtat des lieux.\n".encode("cp1252")) \
        .status_code == 302
    response = client.submit("/acknowledgements/policies/new",
                             _form(version_label="2", body="1. Objet\n\nCollé ici."))
    assert response.status_code == 302
    twice = client.submit("/acknowledgements/policies/new",
                          _form(version_label="2", body="1. Objet\n\nEncore."))
    assert twice.status_code == 422 and "existe déjà" in twice.get_data(as_text=True)
    bodies = db.session.scalars(select(PolicyVersion.body).order_by(PolicyVersion.id)).all()
    assert len(bodies) == 2
    assert "État des lieux." in bodies[0] and "Collé ici." in bodies[1]


@pytest.mark.parametrize("content, message", [
    (b"", "vide"),
    (b"\xff\xfe1\x00.\x00", "pas du texte"),
    (b"1. Titre\n\n\x81\x8d\x8f\x90\x9d", "ni en UTF-8 ni en Windows-1252"),
    (b"# Titre seul\n", "aucun texte"),
])
def test_bad_policy_files_are_refused_with_a_clear_message(login_as, content, message):
    client = login_as("hr")
    response = _upload(client, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(PolicyVersion)) is None


def test_an_oversized_policy_file_is_refused(app, login_as):
    app.config["ACK_POLICY_MAX_BYTES"] = 1000
    response = _upload(login_as("hr"), b"1. Titre\n\n" + b"a" * 2000)
    assert response.status_code == 422 and "taille permise" in response.get_data(as_text=True)
    assert db.session.scalar(select(PolicyVersion)) is None


def test_publishing_opens_a_campaign_and_freezes_the_version(login_as, make_person):
    active = make_person()
    gone = make_person(is_active=False, departed_on=__import__("datetime").date(2025, 1, 1))
    client = login_as("hr")
    client.submit("/acknowledgements/policies/new", _form(body="1. Objet\n\nTexte."))
    version = db.session.scalar(select(PolicyVersion))
    response = client.submit(f"/acknowledgements/policies/{version.id}/publish")
    assert response.status_code == 302 and "/campaigns/" in response.location
    version = db.session.get(PolicyVersion, version.id)
    assert version.content_sha256 == body_sha256(version.body)
    people = set(db.session.scalars(select(Acknowledgement.person_id)))
    assert active.id in people and gone.id not in people
    mail = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to_address == active.email))
    assert "/policy" in mail.body and mail.subject == "Politique à lire et à signer"
    assert db.session.scalar(select(OutgoingEmail).where(
        OutgoingEmail.to_address == gone.email)) is None

    again = client.submit(f"/acknowledgements/policies/{version.id}/publish",
                          follow_redirects=True)
    assert "déjà publiée" in again.get_data(as_text=True)
    assert db.session.get(PolicyVersion, version.id).published_at == version.published_at
    assert len(db.session.scalars(select(Acknowledgement)).all()) == len(people)


def test_people_hired_during_a_campaign_get_their_acknowledgement(published, make_service):
    campaign = published()
    person = Person(employee_number="N001", first_name="Nouvelle", last_name="Recrue",
                    email="recrue@ville.test", service=make_service())
    db.session.add(person)
    db.session.flush()
    person_created.send(person, actor=None)
    person_created.send(person, actor=None)  # a second signal adds nothing
    db.session.commit()
    acks = db.session.scalars(select(Acknowledgement).where(
        Acknowledgement.person_id == person.id)).all()
    assert [(a.campaign_id, a.status) for a in acks] == [(campaign.id, AckStatus.pending)]
    # ...and are told, once, like everyone at publication (they used to get no e-mail).
    mails = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.to_address == "recrue@ville.test")).all()
    assert len(mails) == 1 and f"/acknowledgements/{acks[0].id}/policy" in mails[0].body


def test_the_policy_list_searches_and_filters(published, login_as):
    published("v-cherchee")
    client = login_as("hr")
    assert "v-cherchee" in client.get("/acknowledgements/policies?q=cherch") \
        .get_data(as_text=True)
    empty = client.get("/acknowledgements/policies?status=draft").get_data(as_text=True)
    assert "Aucune version" in empty
