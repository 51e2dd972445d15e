"""`flask demo seed` builds a believable municipality; `flask demo logins` lists the accounts."""

from collections import Counter

from sqlalchemy import func, select

from hr_social.db import db
from hr_social.organisation.models import OrganisationSettings
from hr_social.people.models import Person, PersonKind, Service, User
from tests.conftest import login


def test_demo_seed_then_logins(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "12 services, 300 personnes, 6 comptes" in result.output
    db.session.remove()
    assert OrganisationSettings.current().name == "Ville de Baie-Comeau"
    assert "Baie-Comeau" in OrganisationSettings.current().address
    names = set(db.session.scalars(select(Service.name)))
    assert {"Direction générale", "Division des communications", "Travaux publics",
            "Service des technologies de l'information"} <= names
    people = db.session.scalars(select(Person)).all()
    assert len(people) == 300
    assert set(Counter(p.kind for p in people)) == set(PersonKind)
    assert 1 <= sum(not p.is_active for p in people) <= 20
    assert sum(p.manager_id is None for p in people) == 1  # only the DG
    # Inclusive job titles: each person's title takes the form of their first name.
    from hr_social.people import demo

    pairs = [pair for titles in demo.TITLES.values() for pair in titles]
    pairs += [demo.DG_TITLE, demo.LEAD_TITLE, *(demo.head_title(n) for _c, n, _s in demo.SERVICES)]
    feminine = {f for f, m in pairs if f != m}
    masculine = {m for f, m in pairs if f != m}
    assert {p.job_title for p in people} <= {title for pair in pairs for title in pair}
    for person in people:
        if person.job_title in feminine:
            assert person.first_name in demo.WOMEN, (person.first_name, person.job_title)
        if person.job_title in masculine:
            assert person.first_name in demo.MEN, (person.first_name, person.job_title)
    assert any(p.job_title == "Conseillère en ressources humaines" for p in people)

    users = {u.username: u for u in db.session.scalars(select(User))}
    assert users["dg"].person.service.name == "Direction générale"
    assert users["communications"].person.service.name == "Division des communications"
    manager = users["gestionnaire"].person
    team = db.session.scalars(Person.team_ids_query(manager.id)).all()
    assert users["employe"].person_id in team and len(team) >= 5

    result = runner.invoke(args=["demo", "logins"])
    assert "Identifiant\u00a0: gestionnaire" in result.output
    assert "Mot de passe\u00a0: Demo-Gestion-2026" in result.output
    assert "absent" not in result.output
    app.test_client_class = type(app.test_client())
    from tests.conftest import Client

    app.test_client_class = Client
    client = login(app.test_client(), users["rh"], "Demo-RessHum-2026")
    assert client.get("/people/?q=Tremblay").status_code == 200

    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "non chargées" in again.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Person)) == 300


def test_demo_logins_on_an_empty_database_say_so(app):
    result = app.test_cli_runner().invoke(args=["demo", "logins"])
    assert "absent de cette base" in result.output
    for password in ("Demo-Employe-2026", "Demo-Admin-2026!"):
        assert password in result.output and len(password) >= 12
