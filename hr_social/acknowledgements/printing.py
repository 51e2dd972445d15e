"""Bulk printing: one PDF, one acknowledgement per person still to sign, grouped by service
then name, each service opened by a separator page (a job).

Only pending acknowledgements are printed: never a blank form for someone who already signed
or refused."""

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
from hr_social.people.models import Person, Service, User

KIND = "acknowledgements.bulk_print"


def selection(scope: str, *, service_id: int | None = None, campaign_id: int | None = None):
    """The acknowledgements still to sign, by service then name (people who left, signed
    or refused are never printed)."""
    statement = (select(Acknowledgement).join(Person, Person.id == Acknowledgement.person_id)
                 .outerjoin(Service, Service.id == Person.service_id)
                 .options(joinedload(Acknowledgement.person).joinedload(Person.service))
                 .where(Person.is_active.is_(True), Acknowledgement.status == AckStatus.pending)
                 .order_by(french(Service.name), Service.id, french(Person.last_name),
                           french(Person.first_name), Person.id))
    if scope == "campaign":
        return statement.where(Acknowledgement.campaign_id == campaign_id)
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
        return _("Impression des accusés en attente — %(s)s", s=service.name)
    if scope == "campaign":
        return _("Impression des accusés en attente — %(c)s", c=str(campaign))
    if scope == "offline":
        return _("Copies papier (sans accès en ligne) — %(s)s, %(c)s", s=service.name,
                 c=str(campaign))
    return _("Impression des accusés en attente — tout le monde")


def _by_service(acks):
    """[(service or None, [acknowledgements])] in the order of ``selection``."""
    groups: list[tuple[object, list]] = []
    for ack in acks:
        service = ack.person.service
        if not groups or groups[-1][0] is not service:
            groups.append((service, []))
        groups[-1][1].append(ack)
    return groups


@job_handler(KIND)
def bulk_print(job, progress):
    params = job.params
    acks = db.session.scalars(selection(params["scope"], service_id=params.get("service_id"),
                                        campaign_id=params.get("campaign_id"))).unique().all()
    if not acks:
        raise ValueError("nothing to print")
    config = current_app.config
    if len(acks) > config["PDF_GROUP_SIZE"] and config["PDF_WORKERS"] > 1:
        pdf.worker_context()  # the workers' server warms up while the letters are built
    organisation = organisation_context()
    htmls, issued_ids, positions = [], [], []
    for service, group in _by_service(acks):
        htmls.append(pdf.render_html("pdf/service_separator.html", organisation=organisation,
                                     service=service, people=[a.person for a in group]))
        for ack in group:
            issued = documents.issue(ack, "printed")
            issued_ids.append(issued.id)
            positions.append(len(htmls))
            htmls.append(documents.acknowledgement_html(ack, issued,
                                                        organisation=organisation))
    actor = db.session.get(User, job.created_by_id) if job.created_by_id else None
    record("acknowledgement.bulk_printed", job, after={"count": len(acks)}, actor=actor)
    job.total = len(acks)
    db.session.commit()  # codes issued; the slow part holds no transaction
    progress(0, len(acks))
    data, digests = pdf.render_many_with_copies(
        htmls, workers=config["PDF_WORKERS"], group_size=config["PDF_GROUP_SIZE"],
        progress=progress)
    keep_copy_hashes(issued_ids, [digests[i] for i in positions])  # separators have none
    return data, "application/pdf", f"accuses-{job.id}.pdf"

