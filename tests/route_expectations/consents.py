import datetime as dt
import io

from werkzeug.datastructures import FileStorage

from hr_social.consents import publications as pubs
from hr_social.consents import services as ops
from hr_social.db import db
from tests.route_expectations import REDIRECT, Route, everyone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(name):
    return FileStorage(io.BytesIO(PDF), filename=name)


def build(world):
    employee = world.users["employee"]
    today = ops.today()

    def consent(name, sign=True):
        found = ops.record_consent(employee, ops.ConsentInput(
            person_name=name, category="citizen", contact="418 555-0100", kind="article",
            description="Article sur la fête", purpose="Site Web", channels=["website"],
            valid_from=today - dt.timedelta(days=5)), files=[_file("article.pdf")])
        if sign:
            ops.sign_on_paper(employee, found, signed_on=today, scan_file=_file("scan.pdf"))
        return found

    def publish(found):
        return pubs.record_publication(employee, pubs.PublicationInput(
            channel="website", published_on=today, media_description="Article",
            consent_ids=[str(found.id)], people=[found.person_name]))

    world.consent = consent("Julie Route")
    world.consent_file = ops.media_of(world.consent)[0]
    world.unsigned_consent = consent("Hugo Route", sign=False)
    world.publication = publish(world.consent)
    withdrawn = consent("Xavier Route")
    publish(withdrawn)
    ops.withdraw(employee, withdrawn, withdrawn_on=today, way="email")
    world.takedown = db.session.scalars(pubs.pending_takedowns()).first()
    db.session.commit()


# Personal details: communications, HR and the collector (the employee); others 404.
SEE = everyone(200, manager=404, dg=404, admin=404)


def _consent(suffix="", name="consent"):
    return lambda w: f"/consents/{getattr(w, name).id}{suffix}"


ROUTES = [
    Route("consents.index", "/consents/", everyone(200)),
    Route("consents.new", "/consents/new", everyone(200)),
    Route("consents.coverage_check", "/consents/coverage?person=route&channel=website",
          everyone(200)),
    Route("consents.show", _consent(), SEE),
    Route("consents.file", lambda w: f"/consents/{w.consent.id}/files/{w.consent_file.id}",
          SEE),
    Route("consents.form_pdf", _consent("/form.pdf", "unsigned_consent"), SEE),
    Route("consents.paper", _consent("/paper", "unsigned_consent"), SEE),
    Route("consents.sign", _consent("/sign", "unsigned_consent"), SEE),
    Route("consents.withdraw", _consent("/withdraw"), SEE),
    Route("consents.publications", "/consents/publications", everyone(200)),
    Route("consents.publication_new", "/consents/publications/new", everyone(200)),
    Route("consents.publication", lambda w: f"/consents/publications/{w.publication.id}", SEE),
    Route("consents.takedowns", "/consents/takedowns", everyone(200)),
    Route("consents.takedown_removed",
          lambda w: f"/consents/takedowns/{w.takedown.id}/removed",
          everyone(REDIRECT, manager=404, dg=404, admin=404), "POST",
          lambda w: {"removed_on": ops.today().isoformat()}),
]
