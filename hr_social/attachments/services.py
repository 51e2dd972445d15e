"""Storing uploads safely: the type comes from the bytes, never from the name or browser."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from hr_social.attachments.models import Attachment
from hr_social.db import db, utcnow
from hr_social.errors import DomainError

# Magic numbers of the only formats we accept.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
# video/mp4 is sniffed by the consents domain (its signature is not a prefix); SVG is never
# sniffed from an upload: only files shipped with the code (the demo logo).
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg",
              "video/mp4": "mp4", "image/svg+xml": "svg"}


class UploadRejected(DomainError):
    """The message is in the user's language and safe to show."""


def sniff_type(data: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if any(data.startswith(prefix) for prefix in prefixes):
            return content_type
    return None


def upload_root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _storage_path(sha256: str) -> Path:
    return upload_root() / sha256[:2] / sha256


def read_upload(file_storage, allowed: set[str]) -> tuple[bytes, str]:
    """Read an uploaded file within the size limit and check its type by content."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.read(limit + 1)
    if not data:
        raise UploadRejected(_("Le fichier est vide."))
    if len(data) > limit:
        raise UploadRejected(
            _("Le fichier dépasse la taille permise (%(mb)d Mo).", mb=limit // (1024 * 1024))
        )
    content_type = sniff_type(data)
    if content_type not in allowed:
        names = ", ".join(sorted(EXTENSIONS[t].upper() for t in allowed))
        raise UploadRejected(_("Format de fichier refusé. Formats acceptés : %(f)s.", f=names))
    return data, content_type


def clean_filename(name: str | None, content_type: str) -> str:
    stem = re.sub(r"[^\w.\- ]+", "_", Path(name or "fichier").stem, flags=re.UNICODE)[:100]
    return f"{stem or 'fichier'}.{EXTENSIONS[content_type]}"


def store(file_storage, allowed: set[str], *, uploaded_by=None, subject=None) -> Attachment:
    data, content_type = read_upload(file_storage, allowed)
    return store_bytes(data, content_type, file_storage.filename, uploaded_by=uploaded_by,
                       subject=subject)


def store_bytes(data: bytes, content_type: str, name: str | None, *, uploaded_by=None,
                subject=None) -> Attachment:
    digest = hashlib.sha256(data).hexdigest()
    path = _storage_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # atomic: a reader never sees half a file
    attachment = Attachment(
        sha256=digest, content_type=content_type, size_bytes=len(data),
        original_name=clean_filename(name, content_type),
        subject_type=subject.__tablename__ if subject is not None else None,
        subject_id=subject.id if subject is not None else None,
        uploaded_by_id=uploaded_by.id if uploaded_by is not None else None,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def read_bytes(attachment: Attachment) -> bytes:
    return _storage_path(attachment.sha256).read_bytes()


def file_path(attachment: Attachment) -> Path:
    return _storage_path(attachment.sha256)


def remove_files(subject_type: str, subject_id: int) -> int:
    """Erase from storage the files attached to a subject (retention): each row is kept,
    marked removed and renamed (a name can say too much). Files are stored once per content,
    so a file another subject still uses stays on disk. The files leave the disk once the
    transaction is committed (a rollback keeps them). Returns how many were removed."""
    attachments = db.session.scalars(select(Attachment).where(
        Attachment.subject_type == subject_type, Attachment.subject_id == subject_id,
        Attachment.removed_at.is_(None))).all()
    now = utcnow()
    for attachment in attachments:
        attachment.removed_at = now
        extension = EXTENSIONS.get(attachment.content_type, "bin")
        attachment.original_name = f"fichier-supprime.{extension}"
    db.session.flush()
    for digest in {a.sha256 for a in attachments}:
        still_used = db.session.scalar(select(Attachment.id).where(
            Attachment.sha256 == digest, Attachment.removed_at.is_(None)).limit(1))
        if still_used is None:
            db.session.info.setdefault(_UNLINK_AFTER_COMMIT, set()).add(digest)
    return len(attachments)


_UNLINK_AFTER_COMMIT = "attachments_to_unlink"


@event.listens_for(Session, "after_commit")
def _unlink_removed(session) -> None:
    """The rows saying "removed" are committed: now the files may go."""
    for digest in session.info.pop(_UNLINK_AFTER_COMMIT, ()):
        if has_app_context():
            _storage_path(digest).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep_files(session) -> None:
    session.info.pop(_UNLINK_AFTER_COMMIT, None)
