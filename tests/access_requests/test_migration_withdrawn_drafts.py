"""Revision 0008 relaxes a CHECK of access_requests: on SQLite the table is rebuilt, and
the platform items of existing requests must survive it (DROP TABLE would cascade)."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from hr_social.db import db
from tests import test_migrations

empty_database = test_migrations.empty_database  # fixtures: SQLite file, PostgreSQL schema
migration_app = test_migrations.migration_app

ROWS = [
    "INSERT INTO services (id, name, code, is_active, created_at, updated_at) VALUES "
    "(1, 'Loisirs', 'LOI', true, '2026-01-01', '2026-01-01')",
    "INSERT INTO people (id, employee_number, first_name, last_name, email, service_id, kind, "
    "is_active, created_at, updated_at) VALUES (1, 'E1', 'Émile', 'Employé', 'e@ville.test', 1, "
    "'employee', true, '2026-01-01', '2026-01-01')",
    "INSERT INTO platforms (id, name, category, is_active, created_at, updated_at) VALUES "
    "(1, 'Facebook', 'social', true, '2026-01-01', '2026-01-01')",
    "INSERT INTO access_requests (id, requester_id, purpose, on_workstation, state, version, "
    "submitted_at, created_at, updated_at) VALUES (1, 1, 'Piscine', true, 'submitted', 1, "
    "'2026-01-02', '2026-01-01', '2026-01-01')",
    "INSERT INTO access_items (id, request_id, platform_id, person_id, is_open, state, version) "
    "VALUES (1, 1, 1, 1, true, 'pending', 1)",
]


def test_existing_requests_keep_their_items_and_drafts_can_then_be_withdrawn(migration_app):
    upgrade(revision="0004")
    with db.engine.begin() as connection:
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade(revision="0008")
    with db.engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM access_items")) == 1
        connection.execute(text("UPDATE access_requests SET state = 'draft', "
                                "submitted_at = NULL"))
        connection.execute(text("UPDATE access_requests SET state = 'withdrawn'"))
        assert connection.scalar(text("SELECT state FROM access_requests")) == "withdrawn"
