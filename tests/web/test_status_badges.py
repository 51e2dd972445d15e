"""Statuses are badges whose tone each domain declares (hr_social/web/status.py); forms
answer in French from the server (novalidate), required fields are marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from hr_social.access_requests.models import AccessRequest, Platform
from hr_social.db import db
from hr_social.web import status
from hr_social.workflow import WorkflowMixin

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _workflow_models():
    found, todo = [], list(WorkflowMixin.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if "workflow" in vars(cls):
            found.append(cls)
    return found


def test_every_state_of_every_workflow_has_a_declared_tone(app):
    models = _workflow_models()
    assert len(models) >= 5
    for model in models:
        entry = status._entry(model)
        assert entry is not None, f"{model.__name__}: no register_status in its wiring"
        assert set(entry.tones) == set(model.workflow.states), model.__name__


def test_an_unknown_tone_is_refused_at_registration():
    with pytest.raises(ValueError):
        status.register_status("test-kind", {"open": "rainbow"})


def test_a_state_is_shown_as_a_badge_of_its_tone(login_as):
    db.session.add(Platform(name="Facebook", category="social"))
    db.session.commit()
    client = login_as("employee")
    platform = db.session.scalars(select(Platform)).one()
    client.submit("/access-requests/new", {
        "platforms": str(platform.id), "purpose": "Répondre aux citoyens.",
        "submit_request": "1"})
    request = db.session.scalars(select(AccessRequest)).one()
    html = client.get(f"/access-requests/{request.id}").get_data(as_text=True)
    assert re.search(r'class="badge badge-pending" data-state="submitted">'
                     r"En attente de décision</span>", html)
    listing = client.get("/access-requests/").get_data(as_text=True)
    assert 'class="badge badge-pending" data-state="pending">En attente</span>' in listing


def test_every_form_leaves_validation_to_the_server():
    """No English browser bubble: every form carries novalidate, the server answers."""
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in re.findall(r"<form\b[^>]*>", path.read_text(encoding="utf-8")):
            if "novalidate" not in tag:
                missing.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert not missing, missing


def test_a_required_field_is_marked_and_its_error_is_french(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<label for="username">[^<]*</label> <span class="required" '
                     r'aria-hidden="true">\*</span>', html)
    response = client.post("/login", data={"username": "", "password": ""})
    text = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in text
    assert 'class="errors" id="username-errors"' in text


def test_a_badge_escapes_what_it_shows():
    from markupsafe import Markup

    from hr_social.web.status import status_badge

    shown = status_badge("no-such-kind", '"><script>', "<b>Refusée</b>", id='x"')
    assert shown == Markup('<span class="badge badge-neutral" data-state="&#34;&gt;&lt;script&gt;"'
                           ' id="x&#34;">&lt;b&gt;Refusée&lt;/b&gt;</span>')
