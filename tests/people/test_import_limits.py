"""Every column's limit is checked before writing, from the model's own definition: the dry
run and the real import agree, and nothing over-long reaches the database (issue 11, item 3)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hr_social.column_limits import ColumnLimitError, column_errors
from hr_social.db import db
from hr_social.people.models import Person, Service
from tests.people.helpers import text
from tests.people.test_import import HEADER, csv_lines, upload

LONG_NAME = "A" * 101


@pytest.fixture
def greffe(make_service):
    return make_service("Greffe", "GREF")


def _imported() -> int:
    return db.session.scalar(select(func.count()).select_from(Person).where(
        Person.employee_number == "7001"))


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_over_long_first_name_is_refused_by_the_dry_run_and_the_import(login_as, greffe,
                                                                           dry_run):
    hr = login_as("hr")
    content = csv_lines(f"7001,{LONG_NAME},Côté,long@ville.test,GREF,,employé")
    response = upload(hr, content, dry_run=dry_run)
    assert response.status_code in (200, 422)
    page = text(response)
    assert "Ligne 2 : prénom : 100 caractères au plus (101 donnés)." in page
    assert "rien n'a été importé" in page
    assert _imported() == 0


def test_the_command_line_import_reports_the_same_line(app, greffe, tmp_path):
    path = tmp_path / "personnes.csv"
    path.write_text(csv_lines(f"7001,Léa,{'B' * 150},long@ville.test,GREF,,employé",
                              header=HEADER), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["people", "import", str(path)])
    assert result.exit_code != 0
    assert "Ligne 2 : nom : 100 caractères au plus (150 donnés)." in result.output
    assert "Traceback" not in result.output
    assert _imported() == 0


def test_limits_come_from_the_model_columns():
    errors = column_errors(Person, {"first_name": "x" * 101, "last_name": "ok",
                                    "email": None, "employee_number": None, "unknown": 1})
    assert set(errors) == {"first_name", "employee_number"}
    assert "100 caractères" in errors["first_name"]
    assert column_errors(Service, {"name": "a\x00b"}) == {"name": "caractère nul interdit."}


def test_no_path_can_write_a_value_longer_than_its_column(app):
    db.session.add(Service(code="LONG", name="S" * 151))
    with pytest.raises(ColumnLimitError, match="150 caractères au plus"):
        db.session.commit()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Service)) == 0


def test_a_form_checks_the_columns_it_fills(login_as, make_service, monkeypatch):
    """The form's own Length is not what protects the column: the model is."""
    from hr_social.people.forms import ServiceForm

    monkeypatch.setattr(ServiceForm.name.kwargs["validators"][1], "max", 10_000)
    hr = login_as("hr")
    response = hr.submit("/services/new", {"code": "LONG", "name": "S" * 151})
    assert "150 caractères au plus (151 donnés)." in text(response)
    assert db.session.scalar(select(Service).where(Service.code == "LONG")) is None
