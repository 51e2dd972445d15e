import datetime as dt

from flask import current_app
from sqlalchemy import select

from hr_social.acknowledgements import documents, policy_services
from hr_social.acknowledgements.models import Acknowledgement, AckStatus
from hr_social.attachments.services import store_bytes
from hr_social.db import db
from hr_social.jobs.models import DONE, Job
from tests.route_expectations import REDIRECT, Route, everyone, only


def build(world):
    current_app.config["ACK_VERIFY_MIN_SECONDS"] = 0
    hr = world.users["hr"]
    version = policy_services.create_version(hr, title="Politique", version_label="v1",
                                             effective_date=dt.date(2026, 1, 5),
                                             body="## 1 Objet\n\nTexte.\n")
    campaign = policy_services.publish_version(hr, version)
    world.campaign = campaign
    world.draft = policy_services.create_version(hr, title="Politique", version_label="v2",
                                                 effective_date=dt.date(2026, 6, 1),
                                                 body="## 1 Objet\n\nTexte revu.\n")
    acks = {a.person_id: a for a in db.session.scalars(select(Acknowledgement))}
    world.ack = acks[world.people["report"].id]
    paper = acks[world.people["outsider"].id]
    scan = store_bytes(b"%PDF-1.4 scan", "application/pdf", "scan.pdf", subject=paper)
    paper.status, paper.paper_signed_on, paper.scan_id = AckStatus.signed_paper, \
        dt.date(2026, 1, 6), scan.id
    world.paper = paper
    world.code = documents.issue(world.ack, "printed").code
    job = Job(kind="acknowledgements.bulk_print", label="Impression", state=DONE,
              created_by_id=hr.id, total=1, done=1)
    db.session.add(job)
    db.session.flush()
    job.result_id = store_bytes(b"%PDF-1.4 lot", "application/pdf", "lot.pdf",
                                subject=job).id
    world.job = job
    db.session.commit()


HR = only("hr")
HR_POST = only("hr", allowed=REDIRECT)
# Posted empty, a form with required fields is refused (422) for HR.
HR_EMPTY_FORM = {**HR_POST, "hr": 422}

ROUTES = [
    Route("acknowledgements.mine", "/acknowledgements/", everyone(200)),
    Route("acknowledgements.read_policy", lambda w: f"/acknowledgements/{w.ack.id}/policy",
          only("employee", "hr", others=404)),
    # After reading: the owner may sign; HR may not sign for them (404), nor anyone else.
    Route("acknowledgements.sign", lambda w: f"/acknowledgements/{w.ack.id}/sign",
          only("employee", others=404)),
    Route("acknowledgements.signed_pdf", lambda w: f"/acknowledgements/{w.paper.id}/signed.pdf",
          only("hr", others=404)),
    Route("acknowledgements.manage", lambda w: f"/acknowledgements/{w.ack.id}/manage", HR),
    Route("acknowledgements.print_one", lambda w: f"/acknowledgements/{w.ack.id}/print", HR,
          "POST"),
    Route("acknowledgements.record_paper", lambda w: f"/acknowledgements/{w.ack.id}/paper",
          HR_EMPTY_FORM, "POST"),
    Route("acknowledgements.record_refusal",
          lambda w: f"/acknowledgements/{w.ack.id}/refusal", HR_EMPTY_FORM, "POST"),
    Route("acknowledgements.follow_up", lambda w: f"/acknowledgements/{w.ack.id}/follow-up",
          HR_EMPTY_FORM, "POST"),
    Route("acknowledgements.policies", "/acknowledgements/policies", HR),
    Route("acknowledgements.new_policy", "/acknowledgements/policies/new", HR),
    Route("acknowledgements.policy", lambda w: f"/acknowledgements/policies/{w.draft.id}", HR),
    Route("acknowledgements.campaign",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}", HR),
    Route("acknowledgements.campaign_settings",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}/settings", HR_EMPTY_FORM, "POST"),
    Route("acknowledgements.bulk_print", "/acknowledgements/print", HR),
    Route("acknowledgements.edit_policy",
          lambda w: f"/acknowledgements/policies/{w.draft.id}/edit", HR),
    Route("acknowledgements.current_campaign", "/acknowledgements/campaigns/current", HR_POST),
    # Before the draft is published (the campaign must still be the one in force).
    Route("acknowledgements.remind",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}/remind", HR_POST, "POST",
          {"scope": "everyone"}),
    Route("acknowledgements.print_campaign",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}/print", HR_POST, "POST"),
    Route("acknowledgements.publish",
          lambda w: f"/acknowledgements/policies/{w.draft.id}/publish", HR_POST, "POST"),
    Route("acknowledgements.close_campaign",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}/close", HR_POST, "POST"),
    Route("documents.verify", "/verify", everyone(200, anonymous=200)),
    Route("documents.verify_code", lambda w: f"/verify/{w.code}",
          everyone(200, anonymous=200)),
    Route("jobs.show", lambda w: f"/jobs/{w.job.id}", only("hr", others=404)),
    Route("jobs.status", lambda w: f"/jobs/{w.job.id}/status", only("hr", others=404)),
    Route("jobs.download", lambda w: f"/jobs/{w.job.id}/download", only("hr", others=404)),
]
