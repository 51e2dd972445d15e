"""Queue e-mails with the change; a worker delivers them, never the user's request.

Delivery runs in `flask mail deliver` (cron) and, after each commit that queued mail, in the
jobs runner (a thread of the web process, or an RQ worker when REDIS_URL is set): one SMTP
connection per batch, each message claimed before it is sent (so it leaves once), retried
with growing delays. Without SMTP settings every message is written as an .eml file under
instance/outbox (listed on an admin page), so a laptop install and the tests see exactly
what would leave.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, has_app_context, render_template
from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from hr_social.attachments.services import read_bytes
from hr_social.db import db, utcnow
from hr_social.jobs.runner import background_task, run_task
from hr_social.mail.models import OutgoingEmail

MAX_ATTEMPTS = 5
# Delay before the next try, after the 1st, 2nd… failed attempt (a relay that is down for an
# hour does not turn into a storm of reconnections).
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
           dt.timedelta(hours=2))
# A worker that died while sending leaves its claim; far longer than an SMTP timeout (20 s).
STALE_CLAIM = dt.timedelta(minutes=10)
DELIVERY_TASK = "mail.deliver"


def queue_mail(to_address: str | None, subject: str, body: str, *,
               subject_type: str | None = None, subject_id=None,
               attachment=None) -> OutgoingEmail | None:
    """Add a message to the session; it leaves only if the transaction commits.

    ``subject_type`` / ``subject_id`` name what the message is about (an audit target
    type): a confidential type's messages are shown on the outbox page to its readers only.
    ``attachment`` (an ``Attachment``) is sent with the message.
    """
    if not to_address:
        return None
    message = OutgoingEmail(to_address=to_address, subject=subject[:250], body=body,
                            subject_type=subject_type,
                            subject_id=None if subject_id is None else str(subject_id),
                            attachment_id=getattr(attachment, "id", None))
    db.session.add(message)
    db.session.info["mail_queued"] = True
    return message


def queue_template(to_address: str | None, subject: str, template: str, *,
                   subject_type: str | None = None, subject_id=None, attachment=None,
                   **context):
    """Body from templates/mail/<template>.txt (plain text, French first), signed with
    templates/mail/_signature.txt (the organisation's name from its settings)."""
    body = render_template(f"mail/{template}.txt", **context).rstrip("\n")
    body = f"{body}\n\n{render_template('mail/_signature.txt').rstrip()}\n"
    return queue_mail(to_address, subject, body, subject_type=subject_type,
                      subject_id=subject_id, attachment=attachment)


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
        message.attachment_id = None
    db.session.flush()
    return len(messages)


@event.listens_for(Session, "after_commit")
def _wake_worker(session) -> None:
    """Mail was committed: hand its delivery to the jobs runner (the request goes on)."""
    if not session.info.pop("mail_queued", False) or not has_app_context():
        return
    if current_app.config.get("MAIL_DELIVERY", "background") == "background":
        run_task(DELIVERY_TASK)


@event.listens_for(Session, "after_rollback")
def _forget_queued(session) -> None:
    session.info.pop("mail_queued", None)


@background_task(DELIVERY_TASK)
def deliver_in_background() -> int:
    return deliver_queued()


def _build(message: OutgoingEmail) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(domain="hr-social")
    email.set_content(message.body)
    attachment = message.attachment
    if attachment is not None and attachment.removed_at is None:
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(read_bytes(attachment), maintype=maintype, subtype=subtype,
                             filename=attachment.original_name)
    return email


def outbox_dir() -> Path:
    return Path(current_app.instance_path) / "outbox"


class RelayUnavailable(smtplib.SMTPException):
    """No connection to the relay: the rest of the batch waits for the next run."""


class Relay:
    """One SMTP connection for a whole batch, opened at the first message; a failure closes
    it and the next message opens a fresh one (a relay that drops the link mid-batch)."""

    def __init__(self, config):
        self.config, self.smtp = config, None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=20)
        try:
            if config.get("SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: OutgoingEmail) -> str | None:
        email = _build(message)
        if not self.config.get("SMTP_HOST"):
            folder = outbox_dir()
            folder.mkdir(parents=True, exist_ok=True)
            name = f"{message.id:08d}.eml"
            (folder / name).write_bytes(email.as_bytes())
            return name
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except (OSError, smtplib.SMTPException) as error:
                raise RelayUnavailable(str(error) or type(error).__name__) from error
        try:
            self.smtp.send_message(email)
        except (OSError, smtplib.SMTPException):
            self.close()
            raise
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


def _due(now: dt.datetime):
    return (OutgoingEmail.status == "queued",
            or_(OutgoingEmail.next_attempt_at.is_(None), OutgoingEmail.next_attempt_at <= now))


def _failed(message: OutgoingEmail, error: Exception, now: dt.datetime) -> None:
    message.error = str(error)[:500] or type(error).__name__
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        return
    message.status = "queued"
    message.next_attempt_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]


def deliver_queued(limit: int = 200, now: dt.datetime | None = None) -> int:
    """Send what is due through one connection; a failure waits for its next try."""
    release_stale_claims()
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutgoingEmail.id).where(*_due(now)).order_by(OutgoingEmail.id).limit(limit)
    ).all()
    db.session.commit()
    sent = 0
    with Relay(current_app.config) as relay:
        for message_id in ids:
            if not _claim(message_id):
                continue  # another worker has it
            message = db.session.get(OutgoingEmail, message_id)
            try:
                message.outbox_file = relay.send(message)
            except (OSError, smtplib.SMTPException) as error:
                _failed(message, error, now)
                if isinstance(error, RelayUnavailable):
                    db.session.commit()
                    break  # do not knock on a closed door once per message
            else:
                message.status, message.sent_at = "sent", utcnow()
                sent += 1
            db.session.commit()
    return sent
