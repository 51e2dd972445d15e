"""Every action the code base can record reads as French words, through one renderer; the
audit page filters by a list of labelled actions; a sentence never shows what the reader
may not see."""

from __future__ import annotations

import html
import re
from pathlib import Path

from hr_social.audit import sentences as words
from hr_social.audit.confidentiality import register_target_type
from hr_social.audit.services import record
from hr_social.db import db

SOURCE = Path(__file__).resolve().parents[2] / "hr_social"
LITERAL = re.compile(r"""record\(\s*"([a-z_]+\.[a-z_]+)"|"""
                     r"""action(?::\s*str)?\s*=\s*"([a-z_]+\.[a-z_]+)\"""")
BUILT = re.compile(r"""record\(\s*f"([^"]+)\"""")
# The actions whose code is built at run time, and where their variable part comes from.
BUILT_SITES = {
    "{workflow.name}.{t.audit_verb}",  # every workflow transition: read from the models
    "access_grant.{item.state}",  # access_requests/workflows.py: granted or refused
    "discipline_case.{kind}_added",  # discipline/services.add_entry: the entry kinds
    "discipline_case.{change.kind}",  # discipline/amnesty.py: Change(case, "<kind>", ...)
}


def _sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py")}


def _workflow_codes() -> set[str]:
    codes = set()
    for mapper in db.Model.registry.mappers:
        workflow = getattr(mapper.class_, "workflow", None)
        if workflow is not None and hasattr(workflow, "transitions"):
            codes |= {f"{workflow.name}.{t.audit_verb}" for t in workflow.transitions}
    return codes


def recordable_actions() -> set[str]:
    from hr_social.discipline.entries import ENTRY_KINDS

    texts = _sources()
    codes = {a or b for text in texts.values() for a, b in LITERAL.findall(text)}
    built = {site for text in texts.values() for site in BUILT.findall(text)}
    assert built == BUILT_SITES, "a new built action code: list where its parts come from"
    codes |= _workflow_codes()
    codes |= {"access_grant.granted", "access_grant.refused"}
    codes |= {f"discipline_case.{kind}_added" for kind in ENTRY_KINDS}
    amnesty = texts[SOURCE / "discipline" / "amnesty.py"]
    codes |= {f"discipline_case.{kind}" for kind in re.findall(r'Change\(case, "(\w+)"', amnesty)}
    return codes


def test_every_action_the_code_can_record_has_french_words(app):
    codes = recordable_actions()
    assert len(codes) > 100 and "discipline_case.amnestied" in codes
    assert "access_request.submitted" in codes and "user.two_factor_code_replayed" in codes
    missing = sorted(codes - words.known_actions())
    assert missing == [], "actions with no French sentence"
    with app.test_request_context():
        for code in codes:
            label = words.action_label(code)
            assert "_" not in label and "." not in label.rstrip("."), (code, label)


def test_old_names_read_like_the_new_ones(app):
    with app.test_request_context():
        assert words.action_label("access_request.decide") == "Décision rendue"
        assert words.action_label("access_request.decided") == "Décision rendue"
        unknown = words.action_label("essai.inconnu")
        assert unknown.startswith("Autre action")


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_audit_filter_lists_actions_in_french_and_finds_old_names(login_as, app):
    record("access_request.decided", target_type="access_requests", target_id=1,
           target_label="Demande de Gaston Lagaffe")
    record("access_request.decide", target_type="access_requests", target_id=2,
           target_label="Demande de Prunelle")
    record("access_request.withdrawn", target_type="access_requests", target_id=3,
           target_label="Demande de Jeanne Dupont")
    db.session.commit()
    client = login_as("hr")
    page = _text(client.get("/audit/"))
    assert '<select id="action" name="action">' in page
    assert '<option value="access_request.decided">Décision rendue</option>' in page
    assert '<optgroup label="Demandes d\'accès">' in page
    assert "access_request." not in page.split('<select id="action"')[0]
    chosen = _text(client.get("/audit/?action=access_request.decided"))
    assert "Gaston Lagaffe" in chosen and "Prunelle" in chosen
    assert "Jeanne Dupont" not in chosen
    assert '<option value="access_request.decided" selected>' in chosen


def test_a_sentence_never_shows_what_the_reader_may_not_see(login_as, app):
    register_target_type("test_secret", readers=("dg",), confidential=True)
    words.register_fields("test_secret", {"count": "Nombre"}, type_label="dossier secret")
    record("test_secret.opened", target_type="test_secret", target_id=7,
           target_label="Ne doit pas paraître", after={"count": 42})
    db.session.commit()
    page = _text(login_as("hr").get("/audit/"))
    assert "Entrée confidentielle (dossier secret)" in page
    assert "42" not in page.split("<tbody>")[1] and "Ne doit pas paraître" not in page
    from hr_social.audit.models import AuditEvent

    event = db.session.scalars(db.select(AuditEvent).filter_by(target_type="test_secret")).one()
    with app.test_request_context():
        hidden = words.sentence(event, None)
        assert hidden.hidden and hidden.changes == [] and hidden.subject is None


def test_values_read_as_words(app, make_person):
    person = make_person("Françoise", "Lapointe")
    record("person.updated", person, before={"is_active": True, "kind": "employee"},
           after={"is_active": False, "kind": "contractor"})
    db.session.commit()
    from hr_social.audit.models import AuditEvent

    event = db.session.scalars(db.select(AuditEvent)).one()
    with app.test_request_context():
        sentence = words.sentence(event, None)
    assert sentence.label == "Fiche de la personne modifiée"
    assert ("Active", "oui", "non") in sentence.changes
    assert ("Type", "Employé·e", "Contractuel·le") in sentence.changes
