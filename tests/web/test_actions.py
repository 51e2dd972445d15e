"""The one way to refuse a change: DomainError and the perform() view helper."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from werkzeug.exceptions import Forbidden
from wtforms import StringField

from hr_social.db import db
from hr_social.errors import DomainError
from hr_social.people.models import Service
from hr_social.people.services import InvalidChange
from hr_social.web.actions import Outcome, perform
from hr_social.workflow import NotPermitted


class NameForm(FlaskForm):
    name = StringField("Nom")


def test_a_domain_error_keeps_its_message_and_its_field_messages_apart():
    both = DomainError(field_errors={"code": "Code déjà pris.", None: "Rien n'est changé."})
    assert both.message == "Rien n'est changé." and both.field_errors == {
        "code": "Code déjà pris."}
    assert str(both) == "Rien n'est changé."
    fields_only = DomainError(field_errors={"code": "Code déjà pris."})
    assert fields_only.message is None and str(fields_only) == "Code déjà pris."
    assert DomainError("Refusé.").http_status == 422 and NotPermitted("x").http_status == 403


def _change_then_refuse(service):
    service.name = "Nom changé"
    db.session.flush()
    raise InvalidChange("Changement refusé.", field_errors={"name": "Nom refusé."})


def test_a_refused_change_is_rolled_back_shown_and_answered_422(app, make_service):
    service = make_service("Travaux publics")
    with app.test_request_context(method="POST", data={"name": "x"}):
        form = NameForm()
        outcome = perform(form, lambda: _change_then_refuse(service), success="Jamais dit.")
        assert outcome == Outcome(False, status=422)
        assert form.name.errors == ["Nom refusé."]
        assert get_flashed_messages(with_categories=True) == [("error", "Changement refusé.")]
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Travaux publics"


def test_a_button_flashes_the_field_messages_with_their_labels(app, make_service):
    service = make_service()
    with app.test_request_context(method="POST", data={"name": "x"}):
        perform(NameForm(), lambda: _change_then_refuse(service), flash_errors=True)
        assert get_flashed_messages() == ["Changement refusé. Nom\u00a0: Nom refusé."]


def test_a_change_is_committed_once_and_its_success_told(app, make_service):
    service = make_service()
    with app.test_request_context(method="POST", data={"name": "x"}):
        def rename():
            service.name = "Loisirs"
            return service

        outcome = perform(NameForm(), rename, success=lambda s: f"{s.name} enregistré.")
        assert outcome.done and outcome.value is service and outcome.status == 200
        assert get_flashed_messages() == ["Loisirs enregistré."]
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Loisirs"


def test_not_permitted_is_a_403_not_a_message(app):
    def refuse():
        raise NotPermitted("Non.")

    with app.test_request_context(method="POST", data={}), pytest.raises(Forbidden):
        perform(NameForm(), refuse)


def test_a_form_shown_for_the_first_time_is_a_200(app):
    with app.test_request_context(method="GET"):
        assert perform(NameForm(), lambda: pytest.fail("not called")) == Outcome(False)
