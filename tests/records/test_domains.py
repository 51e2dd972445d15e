"""Each domain's own purge, called by the schedule: access requests, logo authorizations
(their files gone from storage) and disciplinary cases (the amnesty's own purge)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hr_social.access_requests.models import AccessItem, AccessRequest, Platform
from hr_social.attachments.models import Attachment
from hr_social.attachments.services import file_path, store_bytes
from hr_social.audit.services import verify_chain
from hr_social.communications.models import LogoAuthorization, LogoVisual
from hr_social.db import db
from hr_social.discipline.amnesty import DESTROYED
from hr_social.discipline.models import Case
from hr_social.mail.models import OutgoingEmail
from hr_social.mail.services import queue_mail
from hr_social.records import disposal, retention
from hr_social.records.models import Disposal
from tests.discipline.conftest import policy, report, sanctioned, team  # noqa: F401
from tests.records.conftest import rule

DECIDED = dt.datetime(2030, 3, 1, 15, tzinfo=dt.UTC)


def run(app):
    result = app.test_cli_runner().invoke(args=["records", "dispose"])
    db.session.rollback()
    assert result.exit_code == 0, result.output
    return result


def access_request(person, decider, item_state="refused", is_open=False):
    platform = Platform(name=f"Plateforme {person.id}")
    db.session.add(platform)
    db.session.flush()
    request = AccessRequest(requester_id=person.id, purpose="Veille des commentaires.",
                            state="decided", submitted_at=DECIDED, decided_at=DECIDED,
                            decided_by_id=decider.id, outcome="refused")
    granted = {"granted_at": DECIDED, "review_on": dt.date(2040, 1, 1)} if is_open else {}
    request.items.append(AccessItem(platform_id=platform.id, person_id=person.id,
                                    state=item_state, is_open=is_open,
                                    refusal_reason="Pas nécessaire.", **granted))
    db.session.add(request)
    db.session.commit()
    return request


def test_a_closed_access_request_is_destroyed_with_its_mail(app, clock, staff, make_person):
    person = make_person()
    closed = access_request(person, staff["dg"])
    current = access_request(make_person(), staff["dg"], item_state="granted",
                             is_open=True)
    queue_mail("x@ville.test", "Votre demande", "Refusée : pas nécessaire.",
               subject_type="access_requests", subject_id=closed.id)
    db.session.commit()
    clock(dt.date(2032, 3, 1))  # 24 months after the decision
    run(app)
    assert db.session.get(AccessRequest, closed.id) is None
    assert db.session.scalar(select(AccessItem).where(AccessItem.request_id == closed.id)) \
        is None
    assert db.session.get(AccessRequest, current.id) is not None, "a current grant stays"
    mail = db.session.scalar(select(OutgoingEmail))
    assert "pas nécessaire" not in mail.body
    assert verify_chain().ok


def test_the_day_before_the_period_ends_nothing_goes(app, clock, staff, make_person):
    access_request(make_person(), staff["dg"])
    clock(dt.date(2032, 2, 29))
    assert [p for p in disposal.plan(retention.today())
            if p.rule.record_type.code == "access_requests.request"] == []


def test_a_logo_authorization_past_its_validity_loses_its_visual(app, clock, staff,
                                                                  make_person):
    person = make_person()
    authorization = LogoAuthorization(
        requester_id=person.id, purpose="Affiche", medium="printed", audience="Citoyens",
        starts_on=dt.date(2029, 1, 1), ends_on=dt.date(2029, 12, 31), state="authorized",
        decided_at=DECIDED, decided_by_id=staff["communications"].id,
        valid_until=dt.date(2029, 12, 31))
    db.session.add(authorization)
    db.session.flush()
    png = store_bytes(b"\x89PNG\r\n\x1a\n visuel", "image/png", "visuel.png",
                      subject=authorization)
    db.session.add(LogoVisual(authorization_id=authorization.id, round=1,
                              attachment_id=png.id))
    db.session.commit()
    path = file_path(png)
    clock(dt.date(2032, 12, 31))  # 36 months after the end of validity
    run(app)
    assert db.session.get(LogoAuthorization, authorization.id) is None
    assert not path.exists()
    assert db.session.get(Attachment, png.id).removed_at is not None
    assert db.session.scalar(select(Disposal.event)) == "end_of_validity"


def test_a_case_is_purged_by_the_disciplines_own_operation(app, clock, staff, team,  # noqa: F811
                                                          report):  # noqa: F811
    rule("discipline.case", 6, "amnesty", "destroy", staff["hr"])
    case = sanctioned(team, report(facts_on=dt.date(2031, 3, 10)))
    scan = store_bytes(b"%PDF-1.4 preuve", "application/pdf", "preuve.pdf", subject=case)
    queue_mail("emile@ville.test", "Avis disciplinaire", "Une publication dénigrante.",
               subject_type="discipline_cases", subject_id=case.id)
    db.session.commit()
    path = file_path(scan)
    clock(dt.date(2032, 9, 9))  # amnestied 2032-03-10; six months later is 2032-09-10
    run(app)
    assert db.session.get(Case, case.id).text_destroyed_on is None
    clock(dt.date(2032, 9, 10))
    run(app)
    case = db.session.get(Case, case.id)
    assert case.facts == DESTROYED and case.text_destroyed_on == dt.date(2032, 9, 10)
    assert not path.exists()
    assert "dénigrante" not in db.session.scalar(select(OutgoingEmail.body))
    entry = db.session.scalar(select(Disposal))
    assert (entry.event_on, entry.files_removed) == (dt.date(2032, 3, 10), 1)
    # The amnesty job, which shares the purge, finds nothing left to destroy.
    assert db.session.get(Case, case.id).text_destroyed_on == dt.date(2032, 9, 10)
    assert verify_chain().ok
