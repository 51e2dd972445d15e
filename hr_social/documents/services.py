"""Issuing official documents and the public verification of their codes.

Operations only flush: the caller commits once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from flask import current_app
from sqlalchemy import delete, func, select, update

from hr_social.db import db, utcnow
from hr_social.documents import registry
from hr_social.documents.codes import CODE_LENGTH, new_code, normalise_code
from hr_social.documents.models import IssuedDocument, VerificationAttempt


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def issue(subject_type: str, subject_id: int, kind: str, *,
          issued_at: dt.datetime | None = None, sha256: str | None = None) -> IssuedDocument:
    """A new verification code for a document about a registered subject."""
    if not registry.is_registered(subject_type):
        raise ValueError(f"unregistered document subject type: {subject_type!r}")
    document = IssuedDocument(code=new_code(), subject_type=subject_type,
                              subject_id=subject_id, kind=kind,
                              issued_at=issued_at or utcnow(), sha256=sha256)
    db.session.add(document)
    db.session.flush()
    return document


def issued_for(subject_type: str, subject_id: int):
    """``select()`` of the documents issued for one subject, oldest first."""
    return (select(IssuedDocument).where(IssuedDocument.subject_type == subject_type,
                                         IssuedDocument.subject_id == subject_id)
            .order_by(IssuedDocument.id))


def copy_sha256(html: str) -> str:
    """The SHA-256 of "the copy" of a document printed in a batch: the document rendered on
    its own from the same HTML (WeasyPrint's output is deterministic), i.e. the very file
    that printing it alone gives. A merged batch file is not the copy of any one document.

    Bulk printing gets the same digests from its worker processes
    (``pdf.render_many_with_copies``: each laid-out document written alone, no second
    layout); tests/documents/test_copy_hashes.py checks they equal this function's.
    """
    from hr_social import pdf

    return sha256(pdf.html_to_pdf(html))


def keep_copy_hashes(issued_ids: list[int], digests: list[str]) -> None:
    """Bulk printing: each issued document keeps its copy's hash, ``digests`` in the same
    order as ``issued_ids`` (from ``pdf.render_many_with_copies``, equal to
    ``copy_sha256``). Call it after rendering, outside the transaction that issued the
    codes; the caller commits (a job: with its result)."""
    if len(digests) != len(issued_ids):
        raise ValueError("one copy hash per issued document")
    for issued_id, digest in zip(issued_ids, digests, strict=True):
        db.session.execute(update(IssuedDocument).where(IssuedDocument.id == issued_id)
                           .values(sha256=digest).execution_options(synchronize_session=False))


# ---- public verification -------------------------------------------------------------------

def throttled(address: str) -> bool:
    config = current_app.config
    since = utcnow() - dt.timedelta(minutes=config["ACK_VERIFY_WINDOW_MINUTES"])
    count = db.session.scalar(select(func.count(VerificationAttempt.id)).where(
        VerificationAttempt.address == address, VerificationAttempt.at >= since))
    return count >= config["ACK_VERIFY_MAX_ATTEMPTS"]


def purge_verification_attempts(now: dt.datetime | None = None) -> int:
    """Forget look-ups older than a day: only the throttling window reads them, and the
    table would otherwise grow with every visit of the public page (daily cron)."""
    window = dt.timedelta(minutes=current_app.config["ACK_VERIFY_WINDOW_MINUTES"])
    cutoff = (now or utcnow()) - max(window, dt.timedelta(days=1))
    return db.session.execute(delete(VerificationAttempt).where(
        VerificationAttempt.at < cutoff)).rowcount


_DUMMY_HASH = "0" * 64


def verify(code_text: str, address: str, uploaded: bytes | None = None):
    """Look a code up (and compare a dropped file), in the same time found or not.

    Returns (document or None, its ``registry.Description`` or None, file_matches):
    file_matches is None when no file was dropped, or when the document cannot be
    compared byte for byte.
    """
    started = time.monotonic()
    code = normalise_code(code_text)
    document = db.session.scalar(select(IssuedDocument).where(IssuedDocument.code == code)) \
        if len(code) == CODE_LENGTH else None
    # Read what the page shows now, inside the timed part; a subject that is gone is a miss.
    description = registry.describe(document) if document is not None else None
    if description is None:
        document = None
    db.session.add(VerificationAttempt(address=(address or "?")[:64], at=utcnow(),
                                       found=document is not None))
    matches = None
    if uploaded is not None:
        # Hash and compare in every case (same work found or not); only a document whose
        # hash was kept can say "same" or "different", otherwise the answer stays None.
        comparable = document is not None and document.can_be_compared \
            and description.comparable
        same = hmac.compare_digest(sha256(uploaded),
                                   document.sha256 if comparable else _DUMMY_HASH)
        matches = same if comparable else None
    db.session.flush()
    floor = current_app.config["ACK_VERIFY_MIN_SECONDS"]
    remaining = floor - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)  # a miss answers no faster than a hit
    return document, description, matches
