from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, send_file, url_for

from hr_social.attachments.services import file_path
from hr_social.jobs.models import DONE, Job
from hr_social.permissions import get_visible_or_404, login_required_any

blueprint = Blueprint("jobs", __name__, url_prefix="/jobs")


@blueprint.get("/<int:job_id>")
@login_required_any
def show(job_id: int):
    return render_template("jobs/show.html", job=get_visible_or_404(Job, job_id))


@blueprint.get("/<int:job_id>/status")
@login_required_any
def status(job_id: int):
    job = get_visible_or_404(Job, job_id)
    download = url_for("jobs.download", job_id=job.id) if job.state == DONE else None
    return jsonify(state=job.state, done=job.done, total=job.total, percent=job.percent,
                   download=download, error=bool(job.error))


@blueprint.get("/<int:job_id>/download")
@login_required_any
def download(job_id: int):
    job = get_visible_or_404(Job, job_id)
    if job.state != DONE or job.result is None:
        abort(404)
    return send_file(file_path(job.result), mimetype=job.result.content_type,
                     as_attachment=True, download_name=job.result.original_name)
