"""The public verification pages: a code (printed or from the QR code) and a dropped file."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from hr_social.db import db
from hr_social.documents import services
from hr_social.documents.forms import VerifyForm
from hr_social.permissions import public

blueprint = Blueprint("documents", __name__)

# Bytes read from a dropped file: official documents are a few pages.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _verify(code: str, uploaded: bytes | None):
    address = request.remote_addr or "?"
    if services.throttled(address):
        return render_template("documents/verify.html", form=VerifyForm(code=code),
                               throttled=True), 429
    document, description, matches = services.verify(code, address, uploaded)
    db.session.commit()
    return render_template("documents/verify.html", form=VerifyForm(code=code),
                           document=document, description=description, matches=matches,
                           looked_up=True), (200 if document else 404)


@blueprint.route("/verify", methods=["GET", "POST"])
@public
def verify():
    form = VerifyForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_UPLOAD_BYTES) if upload and upload.filename else None
        return _verify(form.code.data, data)
    return render_template("documents/verify.html", form=form)


@blueprint.get("/verify/<code>")
@public
def verify_code(code: str):
    return _verify(code[:40], None)
