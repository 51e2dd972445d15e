"""Queue e-mails with the change, deliver them after the commit.

Without SMTP settings every message is written as an .eml file under instance/outbox
(listed on an admin page), so a laptop install and the tests see exactly what would leave.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import after_this_request, current_app, has_request_context, render_template
from sqlalchemy import select, update

from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail

MAX_ATTEMPTS = 5
# A worker that died while sending leaves its claim; far longer than an SMTP timeout (20 s).
STALE_CLAIM = dt.timedelta(minutes=10)


def queue_mail(to_address: str | None, subject: str, body: str, *,
               subject_type: str | None = None, subject_id=None) -> OutgoingEmail | None:
    """Add a message to the session; it leaves only if the transaction commits.

    ``subject_type`` / ``subject_id`` name what the message is about (an audit target
    type): a confidential type's messages are shown on the outbox page to its readers only.
    """
    if not to_address:
        return None
    message = OutgoingEmail(to_address=to_address, subject=subject[:250], body=body,
                            subject_type=subject_type,
                            subject_id=None if subject_id is None else str(subject_id))
    db.session.add(message)
    if has_request_context():
        _deliver_after_request()
    return message


def queue_template(to_address: str | None, subject: str, template: str, *,
                   subject_type: str | None = None, subject_id=None, **context):
    """Body from templates/mail/<template>.txt (plain text, French first)."""
    body = render_template(f"mail/{template}.txt", **context)
    return queue_mail(to_address, subject, body, subject_type=subject_type,
                      subject_id=subject_id)


REDACTED = "[supprimé]"


def redact(subject_type: str, subject_id) -> int:
    """Blank the subject and body of every message about one object (an amnesty, an
    erasure) and remove their .eml copies; the rows stay, so the count and dates remain."""
    messages = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.subject_type == subject_type,
        OutgoingEmail.subject_id == str(subject_id))).all()
    for message in messages:
        if message.outbox_file:
            (outbox_dir() / message.outbox_file).unlink(missing_ok=True)
        message.subject, message.body = REDACTED, REDACTED
    db.session.flush()
    return len(messages)


def _deliver_after_request() -> None:
    @after_this_request
    def deliver(response):
        deliver_queued()
        return response


def _build(message: OutgoingEmail) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(domain="hr-social")
    email.set_content(message.body)
    return email


def outbox_dir() -> Path:
    return Path(current_app.instance_path) / "outbox"


def _send(message: OutgoingEmail) -> str | None:
    config = current_app.config
    email = _build(message)
    if not config.get("SMTP_HOST"):
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{message.id:08d}.eml"
        (folder / name).write_bytes(email.as_bytes())
        return name
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(email)
    return None


def _claim(message_id: int) -> bool:
    """Only one worker sends a given message."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == message_id, OutgoingEmail.status == "queued")
        .values(status="sending", attempts=OutgoingEmail.attempts + 1, claimed_at=utcnow())
    )
    db.session.commit()
    return result.rowcount == 1


def release_stale_claims() -> int:
    """Queue again what a crashed worker left half-sent (its attempt still counts)."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.status == "sending",
               OutgoingEmail.claimed_at < utcnow() - STALE_CLAIM)
        .values(status="queued")
    )
    db.session.commit()
    return result.rowcount


def deliver_queued(limit: int = 200) -> int:
    """Send what is queued; a failure is kept for a later `flask mail deliver`."""
    release_stale_claims()
    ids = db.session.scalars(
        select(OutgoingEmail.id).where(OutgoingEmail.status == "queued")
        .order_by(OutgoingEmail.id).limit(limit)
    ).all()
    sent = 0
    for message_id in ids:
        if not _claim(message_id):
            continue
        message = db.session.get(OutgoingEmail, message_id)
        try:
            message.outbox_file = _send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.error = str(error)[:500]
            message.status = "failed" if message.attempts >= MAX_ATTEMPTS else "queued"
        else:
            message.status, message.sent_at = "sent", utcnow()
            sent += 1
        db.session.commit()
    return sent
