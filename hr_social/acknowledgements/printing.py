"""Bulk printing: one PDF, one acknowledgement per person, in name order (a job)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hr_social import pdf
from hr_social.acknowledgements import documents
from hr_social.acknowledgements.models import Acknowledgement, AckStatus, Campaign, PolicyVersion
from hr_social.audit.services import record
from hr_social.db import db, french
from hr_social.documents.letter import organisation_context
from hr_social.documents.services import keep_copy_hashes
from hr_social.jobs.runner import job_handler
from hr_social.people.models import Person, User

KIND = "acknowledgements.bulk_print"


def selection(scope: str, *, service_id: int | None = None, campaign_id: int | None = None):
    """The acknowledgements to print, in name order (people who left are never printed)."""
    statement = (select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
                 .options(joinedload(Acknowledgement.person).joinedload(Person.service))
                 .where(Person.is_active.is_(True))
                 .order_by(french(Person.last_name), french(Person.first_name), Person.id))
    if scope == "campaign":
        return statement.where(Acknowledgement.campaign_id == campaign_id,
                               Acknowledgement.status == AckStatus.pending)
    if scope == "offline":  # pending people of a service who cannot sign online
        from hr_social.acknowledgements.offline import offline_pending

        return statement.where(Acknowledgement.id.in_(
            offline_pending(campaign_id, service_id).with_only_columns(Acknowledgement.id)))
    current = PolicyVersion.current()
    campaign_id = current.campaign.id if current and current.campaign else -1
    statement = statement.where(Acknowledgement.campaign_id == campaign_id)
    if scope == "service":
        statement = statement.where(Person.service_id == service_id)
    return statement


def describe(scope: str, service=None, campaign: Campaign | None = None) -> str:
    if scope == "service":
        return _("Impression des accusés — %(s)s", s=service.name)
    if scope == "campaign":
        return _("Impression des accusés en attente — %(c)s", c=str(campaign))
    if scope == "offline":
        return _("Copies papier (sans accès en ligne) — %(s)s, %(c)s", s=service.name,
                 c=str(campaign))
    return _("Impression des accusés — tout le monde")


@job_handler(KIND)
def bulk_print(job, progress):
    params = job.params
    acks = db.session.scalars(selection(params["scope"], service_id=params.get("service_id"),
                                        campaign_id=params.get("campaign_id"))).unique().all()
    if not acks:
        raise ValueError("nothing to print")
    organisation = organisation_context()
    htmls, issued_ids = [], []
    for ack in acks:
        issued = documents.issue(ack, "printed")
        issued_ids.append(issued.id)
        htmls.append(documents.acknowledgement_html(ack, issued, organisation=organisation))
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    record("acknowledgement.bulk_printed", job, after={"count": len(acks)}, actor=actor)
    job.total = len(acks)
    db.session.commit()  # codes issued; the slow part holds no transaction
    progress(0, len(acks))
    config = current_app.config
    data, digests = pdf.render_many_with_copies(
        htmls, workers=config["PDF_WORKERS"], group_size=config["PDF_GROUP_SIZE"],
        progress=progress)
    keep_copy_hashes(issued_ids, digests)  # written with the job's result
    return data, "application/pdf", f"accuses-{job.id}.pdf"

