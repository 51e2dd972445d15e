"""HR imports the payroll export: all or nothing, with a per-line French report."""

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from hr_social.db import db
from hr_social.people import events
from hr_social.people.models import Person, PersonKind
from tests.people.helpers import audit, people_count, text

HEADER = "matricule,prenom,nom,courriel,service,gestionnaire,type"


@pytest.fixture
def hr(login_as):
    return login_as("hr")


@pytest.fixture
def city(make_service):
    return {"GREF": make_service("Greffe", "GREF"),
            "TI": make_service("Service des technologies de l'information", "TI")}


def upload(client, content, *, dry_run=False, name="personnes.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    form = {"file": (io.BytesIO(data), name)}
    if dry_run:
        form["dry_run"] = "y"
    return client.submit("/people/import", form, content_type="multipart/form-data")


def csv_lines(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


GOOD = csv_lines(
    "1001,Geneviève,Côté,genevieve.cote@ville.test,GREF,,employé",
    "1002,Éric,Bélanger,eric.belanger@ville.test,Greffe,1001,Stagiaire",
    "1003,Rosalie,Émond,rosalie.emond@ville.test,TI,1004,bénévole",
    "1004,Luc,Lévesque,luc.levesque@ville.test,service des technologies de l'information,,"
    "contractuel",
)


def imported() -> int:
    """People that came from a file (the factories number theirs E00001…)."""
    return db.session.scalar(select(func.count()).select_from(Person).where(
        Person.employee_number.not_like("E%")))


def by_number(number):
    return db.session.scalar(select(Person).where(Person.employee_number == number))


def test_hr_imports_a_file_and_reimporting_it_changes_nothing(hr, city):
    response = upload(hr, GOOD)
    assert response.status_code == 200
    assert "Import terminé : 4 création(s), 0 mise(s) à jour, 0 sans changement." in text(response)
    eric = by_number("1002")
    assert eric.full_name == "Éric Bélanger" and eric.kind is PersonKind.intern
    assert eric.manager.employee_number == "1001" and eric.service_id == city["GREF"].id
    # A manager listed later in the file than their report is still found.
    assert by_number("1003").manager.employee_number == "1004"
    assert by_number("1004").kind is PersonKind.contractor
    assert by_number("1003").kind is PersonKind.volunteer
    assert len(audit("person.created")) == 4
    (summary,) = audit("people_import.completed")
    assert '"created": 4' in summary.after_json and "personnes.csv" in summary.after_json
    again = upload(hr, GOOD)
    assert "0 création(s), 0 mise(s) à jour, 4 sans changement" in text(again)
    assert len(audit("person.created")) == 4 and audit("person.updated") == []


def test_reimport_updates_by_employee_number(hr, city, make_person):
    upload(hr, GOOD)
    changed = GOOD.replace("1002,Éric,Bélanger,eric.belanger@ville.test,Greffe,1001,Stagiaire",
                           "1002,Éric,Bélanger,eric.belanger@ville.test,TI,1004,employé")
    seen = []

    def receive(sender, **kwargs):
        seen.append((sender.employee_number, kwargs["old_service_id"], kwargs["new_service_id"]))

    preview = text(upload(hr, changed, dry_run=True))
    assert ("service : Greffe → Service des technologies de l'information ; "
            "gestionnaire : 1001 → 1004 ; type : Stagiaire → Employé·e") in preview
    events.person_service_changed.connect(receive)
    try:
        response = upload(hr, changed)
    finally:
        events.person_service_changed.disconnect(receive)
    assert "0 création(s), 1 mise(s) à jour, 3 sans changement" in text(response)
    eric = by_number("1002")
    assert eric.service_id == city["TI"].id and eric.manager.employee_number == "1004"
    (event,) = audit("person.updated")
    assert '"kind": "intern"' in event.before_json and '"kind": "employee"' in event.after_json
    assert seen == [("1002", city["GREF"].id, city["TI"].id)]


def test_dry_run_shows_changes_and_writes_nothing(hr, city):
    response = upload(hr, GOOD, dry_run=True)
    page = text(response)
    assert "Simulation : 4 création(s)" in page and "Rien n'a été enregistré." in page
    assert "Geneviève" in page and "création" in page
    assert imported() == 0
    assert audit("people_import.completed") == [] and audit("person.created") == []
    # The same file can then be imported for real.
    assert "Import terminé : 4 création(s)" in text(upload(hr, GOOD))


def test_windows_1252_file_with_accents_and_semicolons(hr, city):
    content = csv_lines(
        "2001;Véronique;Lévesque;veronique.levesque@ville.test;Greffe;;Employé",
        "2002;François;Gagné;francois.gagne@ville.test;GREF;2001;Bénévole",
        header="Matricule;Prénom;Nom;Courriel;Service;Gestionnaire;Type")
    response = upload(hr, content.encode("cp1252"))
    assert "2 création(s)" in text(response)
    assert by_number("2001").full_name == "Véronique Lévesque"
    assert by_number("2002").full_name == "François Gagné"
    assert by_number("2002").kind is PersonKind.volunteer


def test_utf8_with_bom_and_upper_case_headers(hr, city):
    content = csv_lines("3001,Noémie,Thériault,noemie@ville.test,GREF,,EMPLOYÉ",
                        header="MATRICULE,PRÉNOM,NOM,COURRIEL,SERVICE,GESTIONNAIRE,TYPE")
    response = upload(hr, b"\xef\xbb\xbf" + content.encode("utf-8"))
    assert "1 création(s)" in text(response)
    assert by_number("3001").first_name == "Noémie"


def test_departures_and_returns_follow_the_file(hr, city, make_user):
    upload(hr, GOOD)
    user = make_user("employee", person=by_number("1003"), username="rosalie")
    departed = csv_lines(
        "1003,Rosalie,Émond,rosalie.emond@ville.test,TI,1004,bénévole,parti,2025-06-30",
        header=HEADER + ",statut,date_depart")
    seen = []

    def receive(sender, **kwargs):
        seen.append(sender.employee_number)

    events.person_departed.connect(receive)
    try:
        response = upload(hr, departed)
    finally:
        events.person_departed.disconnect(receive)
    assert "1 mise(s) à jour" in text(response)
    rosalie = by_number("1003")
    assert not rosalie.is_active and rosalie.departed_on == dt.date(2025, 6, 30)
    assert seen == ["1003"] and len(audit("person.departed")) == 1
    db.session.refresh(user)
    back = csv_lines("1003,Rosalie,Émond,rosalie.emond@ville.test,TI,1004,bénévole,actif,",
                     header=HEADER + ",statut,date_depart")
    upload(hr, back)
    assert by_number("1003").is_active and len(audit("person.reactivated")) == 1


@pytest.mark.parametrize(("content", "expected"), [
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,", header="matricule,prenom,nom,courriel,service,"
               "gestionnaire"), "Ligne 1 : colonne(s) obligatoire(s) manquante(s) : type."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé",
               "1001,Bob,Roy,bob@ville.test,GREF,,employé"),
     "Ligne 3 : matricule 1001 en double (déjà à la ligne 2)."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé",
               "1002,Bob,Roy,pas-un-courriel,GREF,,employé"),
     "Ligne 3 : courriel invalide « pas-un-courriel »."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,Voirie,,employé"),
     "Ligne 2 : service inconnu « Voirie »"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,9999,employé"),
     "Ligne 2 : gestionnaire inconnu (matricule 9999)"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,1002,employé",
               "1002,Bob,Roy,bob@ville.test,GREF,1001,employé"),
     "Ligne 2 : cycle dans la chaîne des gestionnaires (1001 → 1002 → 1001)."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,1001,employé"),
     "Ligne 2 : une personne ne peut pas être sa propre gestionnaire."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,pompier"), "Ligne 2 : type inconnu « pompier »"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF"), "Ligne 2 : colonnes manquantes"),
    (csv_lines("1001,,Roy,ann@ville.test,GREF,,employé"), "Ligne 2 : prénom manquant."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,,,employé"), "Ligne 2 : service manquant."),
    (csv_lines("1001,Ann,,ann@ville.test,GREF,,employé"), "Ligne 2 : nom manquant."),
    ("matricule\n1001\n", "Ligne 1 : colonne(s) obligatoire(s) manquante(s) : prenom, nom,"),
    (csv_lines(",Ann,Roy,ann@ville.test,GREF,,employé"), "Ligne 2 : Le matricule est obligatoire."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,parti,",
               header=HEADER + ",statut,date_depart"),
     "Ligne 2 : date de départ manquante pour une personne partie."),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,,31-31-2020",
               header=HEADER + ",statut,date_depart"),
     "Ligne 2 : date de départ invalide « 31-31-2020 »"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,en vacances,",
               header=HEADER + ",statut,date_depart"), "Ligne 2 : statut inconnu « en vacances »"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,actif,2024-01-01",
               header=HEADER + ",statut,date_depart"), "mais une date de départ est donnée"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,parti,2999-01-01",
               header=HEADER + ",statut,date_depart"), "ne peut pas être dans le futur"),
    (csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé",
               "1002,Bob,Roy,ANN@ville.test,GREF,,employé"),
     "Ligne 3 : courriel ann@ville.test en double (déjà à la ligne 2)."),
    (csv_lines(), "Le fichier ne contient aucune personne"),
    ("", "Le fichier est vide."),
    (b"matricule,prenom\n1001,\x81\x8d\n", "Encodage illisible"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "Encodage illisible"),
    # An unterminated quote swallows the rest of the file into one field.
    ('matricule,prenom,nom,courriel,service,gestionnaire,type\n1001,"Ann,Roy\n',
     "Ligne 2 : colonnes manquantes (2 valeur(s) au lieu d'au moins 7)."),
])
def test_a_bad_file_is_reported_line_by_line_and_nothing_is_imported(
        hr, city, content, expected, app):
    app.config["PEOPLE_IMPORT_MAX_BYTES"] = 4096
    valid_row = "\n5000,Valide,Personne,valide@ville.test,GREF,,employé\n"
    if isinstance(content, str) and content.startswith("matricule") and \
            "aucune personne" not in expected:
        content = content.rstrip("\n") + valid_row  # the good row is not imported either
    response = upload(hr, content)
    page = text(response)
    assert expected in page, page[page.find("Résultat"):][:800]
    assert re.search(r"Import refusé : \d+ erreur\(s\), rien n'a été importé\.", page)
    assert imported() == 0
    assert audit("people_import.completed") == [] and audit("person.created") == []


def test_every_error_of_the_file_is_listed(hr, city):
    content = csv_lines("1001,Ann,Roy,mauvais,GREF,,employé",
                        "1002,Bob,Roy,bob@ville.test,Voirie,,employé",
                        "1003,Cid,Roy,cid@ville.test,GREF,,employé")
    page = text(upload(hr, content))
    assert "Import refusé : 2 erreur(s), rien n'a été importé." in page
    assert "Ligne 2 : courriel invalide" in page and "Ligne 3 : service inconnu" in page
    assert imported() == 0


def test_conflicts_with_people_already_known(hr, city, make_person):
    make_person("Déjà", "Là", employee_number="7000", email="pris@ville.test",
                service=city["GREF"])
    make_person("Parti", "Depuis", employee_number="7001", service=city["GREF"],
                is_active=False, departed_on=dt.date(2024, 1, 1))
    count = people_count()
    page = text(upload(hr, csv_lines("1001,Ann,Roy,pris@ville.test,GREF,,employé",
                                     "1002,Bob,Roy,bob@ville.test,GREF,7001,employé")))
    assert "Ligne 2 : le courriel pris@ville.test est déjà utilisé par Déjà Là" in page
    assert "Ligne 3 : le gestionnaire (matricule 7001) a quitté l'organisation." in page
    assert people_count() == count


def test_a_cycle_through_people_already_known_is_refused(hr, city, make_person):
    top = make_person("Haut", "Placé", employee_number="8000", service=city["GREF"])
    make_person("Bas", "Placé", employee_number="8001", service=city["GREF"], manager=top)
    page = text(upload(hr, csv_lines("8000,Haut,Placé,haut@ville.test,GREF,8001,employé")))
    assert "cycle dans la chaîne des gestionnaires (8000 → 8001 → 8000)" in page
    db.session.refresh(top)
    assert top.manager_id is None


def test_an_oversize_upload_is_refused(hr, city, app):
    app.config["PEOPLE_IMPORT_MAX_BYTES"] = 1024
    page = text(upload(hr, GOOD + "x" * 2000))
    assert "Le fichier dépasse la taille permise (1 Ko)." in page
    assert imported() == 0


def test_a_body_over_the_request_limit_gets_the_413_page(hr, city, app):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = upload(hr, GOOD + "x" * 5000)
    assert response.status_code == 413
    assert imported() == 0


def test_no_file_chosen(hr):
    response = hr.submit("/people/import", {}, content_type="multipart/form-data")
    assert "Choisissez un fichier CSV." in text(response)


def test_only_hr_imports(login_as, city):
    for role in ("admin", "manager", "dg"):
        assert upload(login_as(role), GOOD).status_code == 403
    assert imported() == 0


def test_import_form_has_the_expected_fields(hr):
    page = text(hr.get("/people/import"))
    assert 'name="file"' in page and 'name="dry_run"' in page and ">Importer</button>" in page


def test_a_runaway_quoted_field_is_reported(hr, city):
    content = csv_lines('1001,"Ann' + "x" * 140_000)
    page = text(upload(hr, content))
    assert "Ligne 2 : CSV mal formé" in page
    assert imported() == 0


def test_cli_import_with_dry_run_then_for_real(app, city, tmp_path):
    path = tmp_path / "paie.csv"
    path.write_bytes(GOOD.replace(",", ";").encode("cp1252"))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["people", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Simulation : 4 création(s)" in result.output
    assert "Ligne 2 : 1001 Geneviève Côté — création" in result.output
    db.session.remove()
    assert imported() == 0
    result = runner.invoke(args=["people", "import", str(path)])
    assert "Import terminé : 4 création(s)" in result.output
    db.session.remove()
    assert imported() == 4
    (event,) = audit("people_import.completed")
    assert event.actor_label == "Système" and "paie.csv" in event.after_json


def test_cli_import_of_a_bad_file_fails_with_the_report(app, city, tmp_path):
    path = tmp_path / "paie.csv"
    path.write_text(csv_lines("1001,Ann,Roy,mauvais,GREF,,employé"), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["people", "import", str(path)])
    assert result.exit_code == 1
    assert "Ligne 2 : courriel invalide « mauvais »." in result.output
    assert "rien n'a été importé" in result.output
    db.session.remove()
    assert imported() == 0


def test_a_corrected_departure_date_is_recorded(hr, city):
    header = HEADER + ",statut,date_depart"
    upload(hr, csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,parti,2025-01-15",
                         header=header))
    response = upload(hr, csv_lines("1001,Ann,Roy,ann@ville.test,GREF,,employé,,15/02/2025",
                                    header=header))
    assert "1 mise(s) à jour" in text(response)
    assert by_number("1001").departed_on == dt.date(2025, 2, 15)
    (event,) = audit("person.updated")
    assert '"departed_on": "2025-02-15"' in event.after_json
    assert len(audit("person.departed")) == 1


def test_the_payroll_file_may_keep_a_manager_who_left_until_hr_reassigns(hr, city,
                                                                         make_person):
    """The person form lets a departed manager stay; so does the import, or one departure
    would block every weekly import until the file is edited by hand."""
    boss = make_person("Gaston", "Chef", employee_number="7001", service=city["GREF"],
                       is_active=False, departed_on=dt.date(2025, 1, 1))
    make_person("Rita", "Équipe", employee_number="7002", service=city["GREF"], manager=boss,
                email="rita@ville.test")
    page = text(upload(hr, csv_lines("7002,Rita,Équipe-Roy,rita@ville.test,GREF,7001,employé")))
    assert "Import refusé" not in page
    rita = by_number("7002")
    assert rita.last_name == "Équipe-Roy" and rita.manager.employee_number == "7001"
    # A departed manager is still refused for someone who did not have them.
    page = text(upload(hr, csv_lines("7003,Paul,Neuf,paul@ville.test,GREF,7001,employé")))
    assert "Ligne 2 : le gestionnaire (matricule 7001) a quitté l'organisation." in page
    assert by_number("7003") is None


def test_nobody_active_is_imported_into_a_deactivated_service(hr, city, make_service,
                                                              make_person):
    closed = make_service("Ancien bureau", "ANC")
    closed.is_active = False
    make_person("Omer", "Ancien", employee_number="7100", service=closed, email="omer@ville.test",
                is_active=False, departed_on=dt.date(2024, 1, 1))
    db.session.commit()
    page = text(upload(hr, csv_lines(
        "7101,Ann,Roy,ann@ville.test,ANC,,employé",
        "7100,Omer,Ancien,omer@ville.test,ANC,,employé,actif,",
        header=HEADER + ",statut,date_depart")))
    assert "Ligne 2 : le service Ancien bureau est désactivé." in page
    assert "Ligne 3 : le service Ancien bureau est désactivé." in page
    assert by_number("7101") is None and not by_number("7100").is_active
    # The departed person's own line, unchanged, still imports.
    page = text(upload(hr, csv_lines("7100,Omer,Ancien,omer@ville.test,ANC,,employé,parti,"
                                     "2024-01-01", header=HEADER + ",statut,date_depart")))
    assert "Import refusé" not in page


def test_hr_cannot_record_their_own_departure_through_a_file(login_as, make_user, city):
    user = make_user("employee", "hr", username="helene", service=city["GREF"])
    person = user.person
    client = login_as(user=user)
    row = (f"{person.employee_number},{person.first_name},{person.last_name},{person.email},"
           f"GREF,,employé,parti,2025-06-30")
    response = upload(client, csv_lines(row, header=HEADER + ",statut,date_depart"))
    assert "vous ne pouvez pas marquer votre propre départ" in text(response)
    db.session.rollback()
    assert db.session.get(Person, person.id).is_active


def test_an_optional_hiring_date_column_is_imported_and_an_empty_cell_keeps_it(hr, city):
    header = HEADER + ",Date d'embauche"
    upload(hr, csv_lines("1001,Geneviève,Côté,genevieve.cote@ville.test,GREF,,employé,"
                         "2018-09-03", header=header))
    assert by_number("1001").hired_on == dt.date(2018, 9, 3)
    # A file without the column, or with the cell empty, leaves the known date alone.
    again = upload(hr, csv_lines("1001,Geneviève,Côté,genevieve.cote@ville.test,GREF,,employé,",
                                 header=header))
    assert "1 sans changement" in text(again)
    upload(hr, GOOD)
    assert by_number("1001").hired_on == dt.date(2018, 9, 3)
    upload(hr, csv_lines("1001,Geneviève,Côté,genevieve.cote@ville.test,GREF,,employé,"
                         "03/10/2018", header=header))
    assert by_number("1001").hired_on == dt.date(2018, 10, 3)
    (event,) = audit("person.updated")
    assert '"hired_on": "2018-10-03"' in event.after_json
    refused = upload(hr, csv_lines("1001,Geneviève,Côté,genevieve.cote@ville.test,GREF,,employé,"
                                   "hier", header=header))
    assert "Ligne 2 : date d'embauche invalide « hier »" in text(refused)
    assert by_number("1001").hired_on == dt.date(2018, 10, 3)
