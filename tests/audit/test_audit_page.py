"""HR and the administrator read and filter the audit trail; nobody can edit it."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from hr_social.audit import services as audit_services
from hr_social.audit.services import record
from hr_social.db import db


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def history(app, monkeypatch):
    """Three entries at known moments (UTC)."""
    moments = iter([
        dt.datetime(2026, 7, 1, 16, 5, tzinfo=dt.UTC),   # 12 h 05 in Toronto (EDT)
        dt.datetime(2026, 7, 2, 2, 30, tzinfo=dt.UTC),   # 2026-07-01 22 h 30 in Toronto
        dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC),  # 10 h 00 in Toronto (EST)
    ])
    monkeypatch.setattr(audit_services, "utcnow", lambda: next(moments))
    record("access_request.decided", target_type="access_requests", target_id=1,
           target_label="Demande d'accès de Gaston Lagaffe", before={"state": "submitted"},
           after={"state": "decided"})
    record("photo_release.recorded", target_type="photo_releases", target_id=2,
           target_label="Autorisation de Jeanne Dupont")
    record("access_request.withdrawn", target_type="access_requests", target_id=3,
           target_label="Demande d'accès de Prunelle")
    db.session.commit()
    monkeypatch.undo()


def test_hr_reads_the_trail_in_toronto_time(login_as, history):
    page = _text(login_as("hr").get("/audit/"))
    assert "2026-07-01 12\u00a0h\u00a005" in page
    assert "2026-07-01 22\u00a0h\u00a030" in page
    assert "2026-12-03 10\u00a0h\u00a000" in page
    # In words: what happened and what changed, no action code nor column name.
    table = page.split("<table>")[1]
    assert "Décision rendue" in table and "access_request" not in table
    assert "Statut\u00a0: En attente de décision → Décidée" in page


def test_the_administrator_reads_it_too_and_others_may_not(login_as, history):
    assert login_as("admin").get("/audit/").status_code == 200
    for role in ("employee", "manager", "dg", "communications"):
        assert login_as(role).get("/audit/").status_code == 403


def test_filters_by_person_or_object(login_as, history):
    page = _text(login_as("hr").get("/audit/?q=lagaffe"))
    assert "Gaston Lagaffe" in page and "Jeanne Dupont" not in page


def test_filters_by_action_prefix(login_as, history):
    page = _text(login_as("hr").get("/audit/?action=access_request."))
    assert "Gaston Lagaffe" in page and "Prunelle" in page and "Jeanne Dupont" not in page


def test_dates_are_days_in_toronto(login_as, history):
    client = login_as("hr")
    july_first = _text(client.get("/audit/?from=2026-07-01&to=2026-07-01"))
    assert "Gaston Lagaffe" in july_first
    assert "Jeanne Dupont" in july_first, "22 h 30 in Toronto is still July 1st"
    assert "Prunelle" not in july_first
    december = _text(client.get("/audit/?from=2026-12-01"))
    assert "Prunelle" in december and "Gaston" not in december


def test_a_bad_date_is_ignored_rather_than_an_error(login_as, history):
    response = login_as("hr").get("/audit/?from=hier&to=2026-13-45")
    assert response.status_code == 200 and "Prunelle" in _text(response)


def test_no_match_shows_an_empty_state(login_as, history):
    page = _text(login_as("hr").get("/audit/?q=introuvable"))
    assert "Aucune entrée ne correspond à ces critères." in page


def test_the_trail_has_no_editing_endpoint(app, login_as, history):
    audit_rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("audit.")]
    assert audit_rules and all(rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in audit_rules)
    admin = login_as("admin")
    for method in (admin.post, admin.put, admin.delete):
        assert method("/audit/").status_code == 405


def test_user_text_in_the_trail_is_escaped(login_as, app):
    record("test.event", target_type="essai", target_id=1,
           target_label='<script>alert("x")</script>')
    db.session.commit()
    page = login_as("hr").get("/audit/").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_a_long_trail_is_paged(login_as, app):
    for n in range(60):
        record("test.event", target_type="essai", target_id=n, target_label=f"Objet n° {n}")
    db.session.commit()
    client = login_as("hr")
    first = _text(client.get("/audit/"))
    assert "Page 1 sur 2" in first and "Objet n° 59" in first and "Objet n° 5<" not in first
    second = _text(client.get("/audit/?page=2"))
    assert "Objet n° 5<" in second and "Page 2 sur 2" in second
    assert "Page 2 sur 2" in _text(client.get("/audit/?page=99"))
    assert "Page 1 sur 2" in _text(client.get("/audit/?page=abc"))


def test_the_export_follows_the_filters_and_defuses_formulas(login_as, history):
    record("test.event", target_type="essai", target_id=9, target_label="=HYPERLINK(\"x\")")
    db.session.commit()
    response = login_as("hr").get("/audit/export.csv?action=access_request.")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Gaston Lagaffe" in text and "Prunelle" in text and "Jeanne Dupont" not in text
    assert "Décision rendue" in text and "state,submitted,decided" in text
    everything = login_as("hr").get("/audit/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in everything and ",=HYPERLINK" not in everything
