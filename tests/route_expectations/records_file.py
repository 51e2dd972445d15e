import datetime as dt

from hr_social.db import db
from hr_social.records import requests_services as ops
from tests.route_expectations import REDIRECT, Route, everyone, only


def build(world):
    world.records_request = ops.record_request(
        world.users["hr"], world.people["report"], kind="access",
        received_on=ops.today() - dt.timedelta(days=3), received_via="email",
        asked="Copie de tout mon dossier.")
    db.session.commit()


def _request(tail=""):
    return lambda w: f"/records/requests/{w.records_request.id}{tail}"


def _file(who):
    return lambda w: f"/records/people/{w.people[who].id}"


HR_ONLY = only("hr")

ROUTES = [
    Route("records_file.my_file", "/records/mine", everyone(REDIRECT)),
    # The person, their manager and HR open the file; anyone else: 404.
    Route("records_file.person", _file("report"),
          everyone(404, employee=200, manager=200, hr=200)),
    Route("records_file.person", _file("outsider"), everyone(404, hr=200)),
    Route("records_file.person", "/records/people/999999999999", everyone(404, anonymous=404)),
    Route("records_file.requests", "/records/requests", HR_ONLY),
    Route("records_file.request_new", "/records/requests/new", HR_ONLY),
    Route("records_file.request_new", "/records/requests/new", only("hr", allowed=REDIRECT),
          "POST", lambda w: {"person": str(w.people["outsider"].id), "kind": "correction",
                             "received_on": ops.today().isoformat(), "received_via": "letter",
                             "asked": "Corriger mon adresse."}),
    Route("records_file.request_show", _request(), HR_ONLY),
    Route("records_file.request_show", "/records/requests/999999", only("hr", allowed=404)),
    Route("records_file.request_extend", _request("/extend"), only("hr", allowed=422), "POST"),
    Route("records_file.request_answer", _request("/answer"), only("hr", allowed=422), "POST"),
    Route("records_file.request_correction", _request("/corrections"),
          only("hr", allowed=422), "POST"),
    Route("records_file.request_export", _request("/export.pdf"), HR_ONLY),
]
