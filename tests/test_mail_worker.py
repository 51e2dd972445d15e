"""A real SMTP relay (aiosmtpd on a loopback port): no request waits on mail; a worker sends
each message exactly once, through one connection, even when the relay drops it mid-batch."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from hr_social.db import db, utcnow
from hr_social.mail import services as mail
from hr_social.mail.models import OutgoingEmail


class Relay:
    """Records every message it accepts; can hold each one, or hang up on one of them."""

    def __init__(self):
        self.received: list[str] = []
        self.sessions = 0
        self.hang_up_on: set[str] = set()  # recipients whose DATA gets the line cut
        self.hold = threading.Event()
        self.hold.set()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        to = envelope.rcpt_tos[0]
        if to in self.hang_up_on:
            self.hang_up_on.discard(to)  # once: the next try goes through
            server.transport.close()
            return "421 closing"
        while not self.hold.is_set():  # a slow relay (the event loop is the relay's own)
            await asyncio.sleep(0.05)
        self.received.append(to)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def relay(app):
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_STARTTLS=False,
                      SMTP_USER="")
    yield handler
    handler.hold.set()
    # A delivery thread of this test may run once more (asked again meanwhile): let it end
    # before the next test queues mail on the same application, or it would send that too.
    for thread in threading.enumerate():
        if thread.name.startswith("task-"):
            thread.join(timeout=60)
    controller.stop()


def _queue(*recipients):
    for to in recipients:
        mail.queue_mail(to, f"Message pour {to}", "Bonjour,\n\nUn message.")
    db.session.commit()


def _statuses() -> dict[str, str]:
    db.session.rollback()
    return {m.to_address: m.status for m in db.session.scalars(select(OutgoingEmail))}


def _submit_access_request(client) -> float:
    from hr_social.access_requests.models import Platform

    platform = Platform(name="Facebook", category="social")
    db.session.add(platform)
    db.session.commit()
    started = time.monotonic()
    response = client.submit("/access-requests/new", {
        "platforms": [str(platform.id)], "purpose": "Répondre aux citoyens.",
        "on_workstation": "y", "submit_request": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return time.monotonic() - started


@pytest.fixture
def requester(login_as, make_user, make_person):
    make_user("employee", "dg", email="dg@ville.test")
    manager = make_person("Gisèle", "Gestion", email="gestion@ville.test")
    return login_as("employee", manager=manager)


def test_the_request_answers_and_cron_delivers_afterwards(app, relay, requester):
    app.config.update(MAIL_DELIVERY="cron")
    _submit_access_request(requester)
    assert relay.received == [] and set(_statuses().values()) == {"queued"}
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert "2 courriel(s) envoyé(s)." in result.output
    assert sorted(relay.received) == ["dg@ville.test", "gestion@ville.test"]
    assert relay.sessions == 1  # one connection for the batch
    app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert len(relay.received) == 2  # never twice


def test_a_slow_relay_does_not_slow_the_request_the_worker_thread_delivers(
        app, relay, requester):
    app.config.update(MAIL_DELIVERY="background", JOBS_RUNNER="thread")
    relay.hold.clear()  # the relay sits on every message until released
    elapsed = _submit_access_request(requester)
    assert elapsed < 5 and relay.received == []
    relay.hold.set()
    deadline = time.monotonic() + 30
    while len(relay.received) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(relay.received) == ["dg@ville.test", "gestion@ville.test"]
    while set(_statuses().values()) != {"sent"} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(_statuses().values()) == {"sent"}


def test_a_relay_that_hangs_up_mid_batch_loses_nothing_and_sends_nothing_twice(app, relay):
    recipients = [f"p{n}@ville.test" for n in range(6)]
    _queue(*recipients)
    relay.hang_up_on = {"p2@ville.test"}
    now = utcnow()
    assert mail.deliver_queued(now=now) == 5
    assert relay.received == [r for r in recipients if r != "p2@ville.test"]
    assert relay.sessions == 2  # reconnected once after the cut, not once per message
    statuses = _statuses()
    assert statuses.pop("p2@ville.test") == "queued" and set(statuses.values()) == {"sent"}
    assert mail.deliver_queued(now=now) == 0  # its next try is not due yet
    assert mail.deliver_queued(now=now + dt.timedelta(minutes=2)) == 1
    assert sorted(relay.received) == sorted(recipients)
    assert set(_statuses().values()) == {"sent"}


def test_a_relay_that_is_down_stops_the_batch_and_delivery_resumes(app, relay):
    _queue("a@ville.test", "b@ville.test", "c@ville.test")
    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = _free_port()  # nobody listens there
    assert mail.deliver_queued() == 0
    db.session.rollback()
    attempts = {m.to_address: m.attempts for m in db.session.scalars(select(OutgoingEmail))}
    assert attempts == {"a@ville.test": 1, "b@ville.test": 0, "c@ville.test": 0}
    app.config["SMTP_PORT"] = port
    assert mail.deliver_queued(now=utcnow() + dt.timedelta(minutes=2)) == 3
    assert sorted(relay.received) == ["a@ville.test", "b@ville.test", "c@ville.test"]
