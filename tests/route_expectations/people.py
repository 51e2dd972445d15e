"""People, services and user accounts: HR manages people and services, admin the logins."""

import datetime as dt

from hr_social.db import db
from hr_social.people.models import Person, Service, User
from tests.route_expectations import REDIRECT, Route, only


def build(world):
    home = world.services["home"]
    world.services["empty"] = Service(code="VIDE", name="Service vide")
    world.services["closed"] = Service(code="FERME", name="Service fermé", is_active=False)
    world.people["leaver"] = Person(employee_number="LEAVE1", first_name="Léo", last_name="Départ",
                                    service=home)
    world.people["former"] = Person(employee_number="GONE1", first_name="Fanny", last_name="Partie",
                                    service=home, is_active=False,
                                    departed_on=dt.date(2025, 5, 1))
    db.session.add_all([world.services["empty"], world.services["closed"],
                        world.people["leaver"], world.people["former"]])
    db.session.commit()
    world.users["target"] = world.users["employee"]
    disabled = User(username="desactive", password_hash="x", is_enabled=False)
    db.session.add(disabled)
    db.session.commit()
    world.users["disabled"] = disabled


def _today(_world):
    from hr_social.clock import local_today

    return {"departed_on": local_today().isoformat()}


HR = only("hr")
HR_REDIRECT = only("hr", allowed=REDIRECT)
ADMIN = only("admin")
ADMIN_REDIRECT = only("admin", allowed=REDIRECT)

ROUTES = [
    Route("people.create", "/people/new", HR),
    Route("people.edit", lambda w: f"/people/{w.people['report'].id}/edit", HR),
    Route("people.import_csv", "/people/import", HR),
    Route("people.depart", lambda w: f"/people/{w.people['leaver'].id}/depart", HR_REDIRECT,
          "POST", _today),
    Route("people.reactivate", lambda w: f"/people/{w.people['former'].id}/reactivate",
          HR_REDIRECT, "POST"),
    Route("services.index", "/services/", only("hr", "admin")),
    Route("services.create", "/services/new", HR),
    Route("services.edit", lambda w: f"/services/{w.services['home'].id}/edit", HR),
    Route("services.deactivate", lambda w: f"/services/{w.services['empty'].id}/deactivate",
          HR_REDIRECT, "POST"),
    Route("services.reactivate", lambda w: f"/services/{w.services['closed'].id}/reactivate",
          HR_REDIRECT, "POST"),
    Route("users.index", "/admin/users/", ADMIN),
    Route("users.create", "/admin/users/new", ADMIN),
    Route("users.edit", lambda w: f"/admin/users/{w.users['target'].id}", ADMIN),
    # An empty password form is re-displayed with its errors (422); nothing changes.
    Route("users.reset_password", lambda w: f"/admin/users/{w.users['target'].id}/password",
          only("admin", allowed=422), "POST"),
    Route("users.enable", lambda w: f"/admin/users/{w.users['disabled'].id}/enable",
          ADMIN_REDIRECT, "POST"),
    Route("users.disable", lambda w: f"/admin/users/{w.users['disabled'].id}/disable",
          ADMIN_REDIRECT, "POST"),
]
