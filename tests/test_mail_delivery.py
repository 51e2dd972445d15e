"""Queued e-mail leaves after the commit: through SMTP, or into the outbox folder."""

from __future__ import annotations

import smtplib
from pathlib import Path

import pytest
from sqlalchemy import select

from hr_social.db import db
from hr_social.mail import services as mail
from hr_social.mail.models import OutgoingEmail


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would have been sent."""

    sent: list = []
    fail_with: Exception | None = None

    def __init__(self, host, port, timeout):
        self.host, self.port, self.calls = host, port, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def quit(self):
        self.calls.append("quit")

    def close(self):
        pass

    def starttls(self):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user))

    def send_message(self, email):
        if FakeSMTP.fail_with:
            raise FakeSMTP.fail_with
        FakeSMTP.sent.append((self.host, self.calls, email))


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail_with = [], None
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.ville.test", SMTP_USER="rh", SMTP_PASSWORD="x")
    return FakeSMTP


def _queue(to="marie@ville.test", subject="Votre demande", body="Bonjour,\n\nVoici."):
    message = mail.queue_mail(to, subject, body)
    db.session.commit()
    return message


def test_without_smtp_mail_lands_in_the_outbox_folder(app):
    _queue()
    assert mail.deliver_queued() == 1
    message = db.session.scalars(select(OutgoingEmail)).one()
    assert message.status == "sent" and message.sent_at is not None
    eml = Path(app.instance_path) / "outbox" / message.outbox_file
    content = eml.read_text()
    assert "To: marie@ville.test" in content and "Subject: Votre demande" in content


def test_with_smtp_mail_is_sent_with_starttls_and_login(smtp):
    _queue()
    assert mail.deliver_queued() == 1
    [(host, calls, email)] = smtp.sent
    assert host == "smtp.ville.test" and calls[:2] == ["starttls", ("login", "rh")]
    assert email["To"] == "marie@ville.test"


def test_a_failed_delivery_is_retried_later_and_later_then_given_up(smtp):
    import datetime as dt

    from hr_social.db import utcnow

    smtp.fail_with = smtplib.SMTPException("serveur indisponible")
    _queue()
    now, delays = utcnow(), []
    for _ in range(mail.MAX_ATTEMPTS - 1):
        assert mail.deliver_queued(now=now) == 0
        message = db.session.scalars(select(OutgoingEmail)).one()
        assert message.status == "queued" and "indisponible" in message.error
        delays.append(message.next_attempt_at - now)
        assert mail.deliver_queued(now=now) == 0  # not before its time
        assert db.session.scalars(select(OutgoingEmail)).one().attempts == len(delays)
        now = message.next_attempt_at + dt.timedelta(seconds=1)
        db.session.rollback()
    assert delays == sorted(delays) and delays[0] >= dt.timedelta(minutes=1)
    mail.deliver_queued(now=now)
    message = db.session.scalars(select(OutgoingEmail)).one()
    assert message.status == "failed" and message.attempts == mail.MAX_ATTEMPTS


def test_nothing_is_queued_without_an_address_or_without_a_commit(app):
    assert mail.queue_mail(None, "Sujet", "Corps") is None
    mail.queue_mail("a@ville.test", "Sujet", "Corps")
    db.session.rollback()
    assert mail.deliver_queued() == 0


def test_flask_mail_deliver_reports_how_many_left(app):
    _queue()
    _queue(to="paul@ville.test")
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "2 courriel(s) envoyé(s)." in result.output


def test_the_administrator_searches_the_outgoing_mail(app, login_as):
    _queue(subject="Accès accordé")
    _queue(to="paul@ville.test", subject="Rappel d'attestation")
    mail.deliver_queued()
    admin = login_as("admin")
    page = admin.get("/admin/outbox/?q=paul").get_data(as_text=True)
    assert "paul@ville.test" in page and "marie@ville.test" not in page
    assert "marie@ville.test" in admin.get("/admin/outbox/?status=sent").get_data(as_text=True)
    assert login_as("hr").get("/admin/outbox/").status_code == 403


def test_a_message_left_half_sent_by_a_crashed_worker_goes_out_later(app):
    import datetime as dt

    from hr_social.db import utcnow

    message = _queue()
    message.status, message.attempts = "sending", 1
    message.claimed_at = utcnow() - dt.timedelta(minutes=11)
    fresh = _queue(to="luc@ville.test")
    fresh.status, fresh.claimed_at = "sending", utcnow()  # another worker is on it now
    db.session.commit()
    assert mail.deliver_queued() == 1
    db.session.expire_all()
    assert (message.status, message.attempts) == ("sent", 2)
    assert fresh.status == "sending"
