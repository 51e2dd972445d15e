"""The policy as employees read it: Markdown rendered safely, no table of contents, paragraphs
cut by a page break joined, and a draft that HR previews and edits before publishing."""

import datetime as dt
import io
import re
from pathlib import Path

from sqlalchemy import select

from hr_social.acknowledgements import policy_services
from hr_social.acknowledgements.models import Acknowledgement, PolicyVersion
from hr_social.acknowledgements.policy_services import body_sha256
from hr_social.audit.models import AuditEvent
from hr_social.db import db

SEED = Path(__file__).resolve().parents[1] / "data" / "politique-medias-sociaux.txt"


def _import_real_file(client) -> PolicyVersion:
    response = client.submit("/acknowledgements/policies/new", {
        "title": "Politique", "version_label": "2020-10", "effective_date": "2020-10-01",
        "file": (io.BytesIO(SEED.read_bytes()), "politique.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalar(select(PolicyVersion))


def _paragraphs(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", p) for p in re.findall(r"<p>(.*?)</p>", html, re.S)]


def test_the_real_policy_reads_without_markdown_marks_toc_or_cut_paragraphs(
        app, login_as, make_user):
    hr = login_as("hr")
    version = _import_real_file(hr)
    employee = make_user("employee")
    policy_services.publish_version(None, version)
    db.session.commit()
    ack = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.person_id == employee.person_id))
    reader = login_as(user=employee)
    for client, url in ((hr, f"/acknowledgements/policies/{version.id}"),
                        (reader, f"/acknowledgements/{ack.id}/policy")):
        html = client.get(url).get_data(as_text=True)
        article = html[html.index('<article class="policy">'):html.index("</article>")]
        assert "**" not in article
        assert "<https://" not in article and "&lt;https://" not in article
        assert "<strong>FACEBOOK</strong>" in article
        assert '<a href="https://twitter.com/VilleBaieComeau">' in article
        assert '<a href="http://www.facebook.com/VilledeBaieComeau">' in article
        assert "TABLE DES MATI" not in article and "....." not in article
        assert "<p>Page</p>" not in article
        paragraphs = _paragraphs(article)
        # The three paragraphs cut by a page break of the original are whole again.
        assert any("ne devraient pas sembler avoir été sanctionnées" in p for p in paragraphs)
        assert any("avoir accès à d'autres sites au besoin" in p for p in paragraphs)
        assert any("limite ses publications à de l'information municipale" in p
                   for p in paragraphs)
        assert not any(p.startswith(("avoir été", "d'autres sites", "l'information"))
                       for p in paragraphs)


def test_html_and_dangerous_links_in_the_text_stay_text(app, login_as):
    hr = login_as("hr")
    response = hr.submit("/acknowledgements/policies/new", {
        "title": "Politique", "version_label": "x", "effective_date": "2026-01-05",
        "body": "1. Objet\n\n<script>alert(1)</script> **gras** "
                "[piège](javascript:alert(1)) <img src=x onerror=alert(2)>\n"})
    assert response.status_code == 302
    version = db.session.scalar(select(PolicyVersion))
    html = hr.get(f"/acknowledgements/policies/{version.id}").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "<strong>gras</strong>" in html
    assert 'href="javascript:' not in html


def _draft(hr_user, body="## 1 Objet\n\nPremier jet.\n"):
    version = policy_services.create_version(
        hr_user, title="Politique", version_label="brouillon",
        effective_date=dt.date(2026, 1, 5), body=body)
    db.session.commit()
    return version


def _edit_form(**extra):
    data = {"title": "Politique", "version_label": "brouillon", "effective_date": "2026-01-05",
            "body": "## 1 Objet\n\nTexte **revu** par les RH.\n\n- un point\n", "key_points": ""}
    data.update(extra)
    return data


def test_hr_previews_then_saves_a_draft_and_the_hash_is_taken_at_publication(
        app, login_as, make_user):
    hr_user = make_user("hr")
    version = _draft(hr_user)
    hr = login_as(user=hr_user)
    page = hr.get(f"/acknowledgements/policies/{version.id}/edit").get_data(as_text=True)
    assert "Premier jet." in page

    preview = hr.submit(f"/acknowledgements/policies/{version.id}/edit",
                        _edit_form(preview="1"))
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Texte <strong>revu</strong> par les RH." in text and "<li>un point</li>" in text
    db.session.refresh(version)
    assert "Premier jet." in version.body  # a preview saves nothing

    saved = hr.submit(f"/acknowledgements/policies/{version.id}/edit", _edit_form())
    assert saved.status_code == 302
    db.session.refresh(version)
    assert "Texte **revu** par les RH." in version.body and version.content_sha256 is None
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "policy.draft_updated"))
    assert entry is not None and entry.after["body_sha256"] == body_sha256(version.body)

    hr.submit(f"/acknowledgements/policies/{version.id}/publish")
    db.session.refresh(version)
    assert version.content_sha256 == body_sha256(version.body)


def test_an_empty_text_is_refused_and_nothing_is_lost(app, login_as, make_user):
    hr_user = make_user("hr")
    version = _draft(hr_user)
    hr = login_as(user=hr_user)
    response = hr.submit(f"/acknowledgements/policies/{version.id}/edit",
                         _edit_form(body="", title="Nouveau titre"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nouveau titre" in page  # what was typed is kept
    db.session.refresh(version)
    assert version.title == "Politique" and "Premier jet." in version.body


def test_a_published_version_cannot_be_edited(app, login_as, make_user, published):
    campaign = published()
    version = campaign.policy_version
    before = version.body
    hr = login_as("hr")
    assert hr.get(f"/acknowledgements/policies/{version.id}/edit").status_code == 302
    response = hr.submit(f"/acknowledgements/policies/{version.id}/edit", _edit_form())
    assert response.status_code == 302
    db.session.refresh(version)
    assert version.body == before
    assert login_as("employee").get(
        f"/acknowledgements/policies/{version.id}/edit").status_code == 403


def test_a_version_effective_later_is_upcoming_not_in_force(app, login_as, make_user):
    from hr_social.clock import local_today

    hr_user = make_user("hr")
    version = policy_services.create_version(
        hr_user, title="Politique", version_label="future",
        effective_date=local_today() + dt.timedelta(days=30), body="## 1 Objet\n\nTexte.\n")
    campaign = policy_services.publish_version(hr_user, version)
    db.session.commit()
    hr = login_as(user=hr_user)
    listing = hr.get("/acknowledgements/policies").get_data(as_text=True)
    assert 'data-state="upcoming">à venir<' in listing and 'data-state="in_force"' not in listing
    page = hr.get(f"/acknowledgements/campaigns/{campaign.id}").get_data(as_text=True)
    assert "À venir" in page and "Version en vigueur" not in page
    ack = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.person_id == hr_user.person_id))
    reading = hr.get(f"/acknowledgements/{ack.id}/policy").get_data(as_text=True)
    assert "à venir" in reading and "en vigueur le" not in reading
