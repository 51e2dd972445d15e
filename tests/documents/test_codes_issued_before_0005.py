"""Codes printed on paper before migration 0005 (issued documents keyed by acknowledgement)
still verify after it (keyed by subject), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io

from flask_migrate import upgrade
from sqlalchemy import text

from hr_social.db import db
from tests.test_migrations import empty_database, migration_app  # noqa: F401 - fixtures

CODE = "K7MNPQ2RSTV3"
NOW = dt.datetime(2026, 1, 6, 14, 5)
SHA = "ab" * 32  # a document printed one at a time kept the hash of its file


def _acknowledgement_with_documents_at_0004(connection) -> None:
    """Rows as the application wrote them at revision 0004 (plain SQL: today's models no
    longer describe that table)."""
    rows = [
        "INSERT INTO services (id, code, name, is_active, created_at, updated_at) "
        "VALUES (1, 'LOI', 'Loisirs', TRUE, :now, :now)",
        "INSERT INTO people (id, employee_number, first_name, last_name, service_id, kind, "
        "is_active, created_at, updated_at) VALUES (1, 'E-100', 'Hélène', 'Lévesque', 1, "
        "'employee', TRUE, :now, :now)",
        "INSERT INTO policy_versions (id, title, version_label, effective_date, body, "
        "key_points, published_at, content_sha256, created_at, updated_at) VALUES (1, "
        "'Politique d''essai', 'v1', '2026-01-05', 'Texte.', '', :now, :sha, :now, :now)",
        "INSERT INTO acknowledgement_campaigns (id, policy_version_id, reminder_count, "
        "reminder_interval_days, created_at, updated_at) VALUES (1, 1, 2, 7, :now, :now)",
        "INSERT INTO acknowledgements (id, campaign_id, person_id, status, reminders_sent, "
        "created_at, updated_at) VALUES (7, 1, 1, 'pending', 0, :now, :now)",
        "INSERT INTO issued_documents (id, code, acknowledgement_id, kind, issued_at, sha256) "
        "VALUES (1, :code, 7, 'printed', :now, :sha)",
        "INSERT INTO issued_documents (id, code, acknowledgement_id, kind, issued_at, sha256) "
        "VALUES (2, 'ZZZZ2222HHHH', 7, 'printed', :now, NULL)",  # a bulk print
    ]
    for row in rows:
        connection.execute(text(row).bindparams(
            **{k: v for k, v in {"now": NOW, "sha": SHA, "code": CODE}.items()
               if f":{k}" in row}))


def test_a_code_issued_before_the_migration_still_verifies(migration_app):  # noqa: F811
    migration_app.config["ACK_VERIFY_MIN_SECONDS"] = 0
    upgrade(revision="0004")
    with db.engine.begin() as connection:
        _acknowledgement_with_documents_at_0004(connection)
    upgrade()
    with db.engine.connect() as connection:
        moved = connection.execute(text(
            "SELECT code, subject_type, subject_id FROM issued_documents ORDER BY id")).all()
    assert [tuple(row) for row in moved] == [(CODE, "acknowledgement", 7),
                                             ("ZZZZ2222HHHH", "acknowledgement", 7)]

    client = migration_app.test_client()
    page = client.get("/verify/K7MN-PQ2R-STV3")
    body = page.get_data(as_text=True)
    assert page.status_code == 200, body[-800:]
    assert "Hélène Lévesque" in body and "Politique d&#39;essai (v1)" in body
    assert "imprimé pour être signé sur papier" in body
    dropped = client.post("/verify", data={"code": CODE, "file": (io.BytesIO(b"%PDF"), "a.pdf")},
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "est pas identique" in dropped  # its hash came along
    bulk = client.get("/verify/ZZZZ2222HHHH").get_data(as_text=True)
    assert "Hélène Lévesque" in bulk and "impression en lot" in bulk
    assert client.get("/verify/ZZZZ2222HHHJ").status_code == 404
