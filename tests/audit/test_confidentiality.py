"""A confidential target type's details reach only its readers, through every page that
shows the audit trail or the outbox: list, search, detail (the outbox's expanded message)
and export. Administrators (IT) keep the existence of entries, never their content.

Written as a table in the style of tests/route_expectations/: each row is one way of
reading, and every row is checked for the administrator (existence only) and for a user
the readers callable accepts (details). No discipline domain exists yet: the test
registers its own confidential type.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pytest

from hr_social.audit import confidentiality
from hr_social.audit.confidentiality import ConfidentialContentError, changed_fields
from hr_social.audit.models import AuditEvent
from hr_social.audit.services import record
from hr_social.db import db
from hr_social.mail.models import OutgoingEmail
from hr_social.mail.services import REDACTED, queue_mail, redact

SECRET_CASE = "12"      # readable by HR
SEALED_CASE = "13"      # readable by nobody through the pages (the callable says no)
# What must never reach someone the readers refuse.
SECRETS = ("Sanctionné", "test_case.suspended", "suspended", "desire@ville.test",
           "Suspension de trois jours", "retards répétés")


def _readers(user, target_id) -> bool:
    return user.has_role("hr") and target_id != SEALED_CASE


@pytest.fixture
def confidential_type(monkeypatch):
    monkeypatch.setattr(confidentiality, "_TARGET_TYPES", {})
    return confidentiality.register_target_type("test_case", readers=_readers,
                                                confidential=True)


@pytest.fixture
def trail(app, confidential_type, make_user):
    """One confidential case acted on by the person concerned, its e-mail, and an open
    entry and message beside them (which everyone keeps reading)."""
    concerned = make_user("employee", first_name="Désiré", last_name="Sanctionné",
                          username="desire")
    for case in (SECRET_CASE, SEALED_CASE):
        record("test_case.suspended", target_type="test_case", target_id=case,
               target_label="Dossier de Désiré Sanctionné", actor=concerned,
               before={"state": "open"}, after={"state": "suspended"})
    record("access_request.granted", target_type="access_requests", target_id=1,
           target_label="Demande d'accès de Gaston Lagaffe",
           before={"state": "submitted"}, after={"state": "granted"})
    queue_mail("desire@ville.test", "Suspension de trois jours", "Motif : retards répétés.",
               subject_type="test_case", subject_id=SECRET_CASE)
    queue_mail("gaston@ville.test", "Accès accordé", "Votre accès est accordé.")
    db.session.commit()


@dataclass
class Read:
    name: str
    url: str
    shows_existence: str | None  # what the administrator still sees


READS = [
    Read("audit list", "/audit/", "Entrée confidentielle (test_case)"),
    Read("audit search by name", "/audit/?q=Sanctionn", None),
    Read("audit search by action", "/audit/?action=test_case.", None),
    Read("audit filter by type", "/audit/?target_type=test_case",
         "Entrée confidentielle (test_case)"),
    Read("audit export", "/audit/export.csv", "Détails confidentiels"),
    Read("audit export of a search", "/audit/export.csv?q=Sanctionn", None),
    Read("outbox list (messages expanded)", "/admin/outbox/", "Courriel confidentiel"),
    Read("outbox search by address", "/admin/outbox/?q=desire", None),
    Read("outbox search by subject", "/admin/outbox/?q=Suspension", None),
]


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("read", READS, ids=lambda r: r.name)
def test_the_administrator_sees_existence_not_details(login_as, trail, read):
    page = _text(login_as("admin").get(read.url))
    leaked = [secret for secret in SECRETS if secret in page]
    assert leaked == [], f"{read.name} shows {leaked}"
    if read.shows_existence:
        assert read.shows_existence in page


@pytest.mark.parametrize("read", READS, ids=lambda r: r.name)
def test_a_reader_accepted_by_the_callable_sees_the_details(login_as, make_user, trail, read):
    # The outbox is the administrators' page: the reader holds both roles.
    reader = make_user("employee", "hr", "admin", username="lectrice")
    page = _text(login_as(user=reader).get(read.url))
    expected = (("Sanctionné", "test_case.suspended") if read.url.startswith("/audit")
                else ("desire@ville.test", "Suspension de trois jours", "retards répétés"))
    missing = [text for text in expected if text not in page]
    assert missing == [], f"{read.name} hides {missing} from a reader"


def test_the_callable_decides_case_by_case(login_as, trail):
    page = _text(login_as("hr").get("/audit/"))
    assert page.count("test_case.suspended") == 1, "case 12 readable, case 13 not"
    assert "test_case n° 12" in page and "test_case n° 13" not in page
    assert page.count("Entrée confidentielle (test_case)") == 1
    assert "Gaston Lagaffe" in page


def test_open_entries_stay_readable_by_the_administrator(login_as, trail):
    client = login_as("admin")
    page = _text(client.get("/audit/"))
    assert "Statut\u00a0: En attente de décision → granted" in page
    assert "Gaston Lagaffe" in _text(client.get("/audit/?q=Lagaffe"))
    assert "Votre accès est accordé." in _text(client.get("/admin/outbox/?q=gaston"))


def test_a_confidential_entry_refuses_free_text_and_writes_nothing(app, confidential_type):
    with pytest.raises(ConfidentialContentError, match="reason"):
        record("test_case.noted", target_type="test_case", target_id=12,
               after={"state": "open", "reason": "Propos déplacés sur Facebook"})
    with pytest.raises(ConfidentialContentError):
        record("test_case.noted", target_type="test_case", target_id=12,
               after={"state": "une phrase entière en texte libre"})
    db.session.rollback()
    assert db.session.query(AuditEvent).count() == 0


def test_a_confidential_entry_keeps_ids_states_and_field_names_only(app, confidential_type):
    event = record("test_case.edited", target_type="test_case", target_id=12,
                   target_label="Dossier de Désiré Sanctionné",
                   before={"state": "open", "handler_id": 4},
                   after={"state": "open", "handler_id": 5,
                          **changed_fields("reason", "facts")})
    db.session.commit()
    assert event.target_label is None, "a label is free text: the domain's row keeps it"
    assert event.after == {"state": "open", "handler_id": 5,
                           "changed_fields": ["facts", "reason"]}


def test_an_unregistered_or_open_type_keeps_its_text(app, confidential_type):
    event = record("photo_release.recorded", target_type="photo_releases", target_id=2,
                   after={"note": "Texte libre permis"}, target_label="Consentement")
    db.session.commit()
    assert event.target_label == "Consentement" and event.after["note"] == "Texte libre permis"


def test_a_confidential_type_must_name_its_readers(confidential_type):
    with pytest.raises(ValueError):
        confidentiality.register_target_type("test_other", confidential=True)


def test_messages_about_an_object_can_be_redacted(app, trail):
    from hr_social.mail.services import deliver_queued, outbox_dir
    deliver_queued()
    message = db.session.query(OutgoingEmail).filter_by(subject_id=SECRET_CASE).one()
    eml = outbox_dir() / message.outbox_file
    assert eml.exists()
    assert redact("test_case", SECRET_CASE) == 1
    db.session.commit()
    db.session.refresh(message)
    assert (message.subject, message.body) == (REDACTED, REDACTED)
    assert not eml.exists()
    other = db.session.query(OutgoingEmail).filter_by(to_address="gaston@ville.test").one()
    assert other.body == "Votre accès est accordé."


def test_readers_given_as_roles(app, monkeypatch, login_as, make_user):
    monkeypatch.setattr(confidentiality, "_TARGET_TYPES", {})
    confidentiality.register_target_type("test_roles", readers=("hr",), confidential=True)
    confidentiality.register_target_type("test_open", readers=("hr",))
    record("test_roles.opened", target_type="test_roles", target_id=1,
           actor=make_user(first_name="Rolande", last_name="Secrète"))
    record("test_open.opened", target_type="test_open", target_id=1, target_label="Ouvert")
    db.session.commit()
    admin, hr = login_as("admin"), login_as("hr")
    assert "Rolande" not in _text(admin.get("/audit/"))
    assert "Ouvert" in _text(admin.get("/audit/?q=Ouvert")), "not confidential: open to all"
    assert "Entrée confidentielle" not in _text(admin.get("/audit/?q=Rolande"))
    assert "Rolande" in _text(hr.get("/audit/?q=Rolande"))
    assert not confidentiality.may_read(None, "test_roles", 1)
