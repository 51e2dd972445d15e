import datetime as dt
import secrets

from hr_social.db import db
from hr_social.records import holds, incidents
from tests.route_expectations import REDIRECT, Route, only

READERS = only("hr", "dg")
HOLDERS = only("hr", "dg", allowed=REDIRECT)
ACK = "acknowledgements.acknowledgement"


def build(world):
    hr = world.users["hr"]
    world.hold = holds.place_hold(hr, kind="grievance", reference="G-1",
                                  person=world.people["report"])
    world.incident = incidents.save_incident(hr, description="Courriel mal adressé.",
                                             discovered_on=dt.date(2026, 1, 5))
    db.session.commit()


def _rule_form(world):
    prefix = "people-person"
    return {f"{prefix}-period_months": "84", f"{prefix}-event": "departure",
            f"{prefix}-disposition": "anonymise",
            f"{prefix}-submission_key": secrets.token_urlsafe(16)}


ROUTES = [
    Route("records.schedule", "/records/retention", READERS),
    Route("records.preview", "/records/retention/preview", READERS),
    Route("records.disposals", "/records/disposals", READERS),
    Route("records.save_rule", "/records/retention/people.person",
          only("hr", allowed=REDIRECT), method="POST", data=_rule_form),
    Route("records.hold_list", "/records/holds", READERS),
    Route("records.place_hold", "/records/holds", HOLDERS, method="POST",
          data={"kind": "lawsuit", "reference": "500-17", "record_type": ACK,
                "record_id": "1"}),
    Route("records.lift_hold", lambda w: f"/records/holds/{w.hold.id}/lift", HOLDERS,
          method="POST", data={"reason": "Grief réglé."}),
    # The privacy officer (role "privacy") is checked in tests/records/test_incidents.py.
    Route("records.incidents_index", "/records/incidents", only("hr")),
    Route("records.incident_new", "/records/incidents/new", only("hr")),
    Route("records.incident_show", lambda w: f"/records/incidents/{w.incident.id}",
          only("hr")),
    Route("records.incidents_csv", "/records/incidents.csv", only("hr")),
]
