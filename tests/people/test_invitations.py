"""Invitations: HR invites people without a login in bulk; each chooses a password once."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from hr_social.db import db, utcnow
from hr_social.mail.models import OutgoingEmail
from hr_social.people.models import Invitation, User
from tests.people.helpers import audit, text

NEW_PASSWORD = "une phrase de passe solide"


def _link_for(email: str) -> str:
    message = db.session.scalars(select(OutgoingEmail).where(
        OutgoingEmail.to_address == email).order_by(OutgoingEmail.id.desc())).first()
    return re.search(r"http://\S+(/invitation/\S+)", message.body).group(1)


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_hr_invites_the_ticked_people_and_each_chooses_a_password(client, login_as,
                                                                  make_person):
    hr = login_as("hr")
    ana, ben = make_person("Ana"), make_person("Ben")
    response = hr.submit("/people/invitations", data={"scope": "selected",
                                                       "person_ids": [ana.id, ben.id]})
    assert response.status_code == 302
    assert "Invitations envoyées : 2" in text(hr.get("/people/invitations"))
    link = _link_for(ana.email)
    page = client.get(link)
    assert page.status_code == 200 and "Ana" in text(page)
    answer = client.submit(link, data={"username": "ana.b", "new_password": NEW_PASSWORD,
                                       "confirm": NEW_PASSWORD})
    assert answer.status_code == 302
    user = User.by_username("ana.b")
    assert user.person_id == ana.id and user.role_names == {"employee"}
    assert client.post("/login", data={"username": "ana.b",
                                       "password": NEW_PASSWORD}).status_code == 302
    assert len(audit("invitation.accepted")) == 1


def test_select_all_matching_invites_only_active_people_without_login_of_the_filter(
        login_as, make_person, make_service, make_user):
    roads, parks = make_service("Voirie"), make_service("Parcs")
    first, second = make_person("Un", service=roads), make_person("Deux", service=roads)
    make_person("Ailleurs", service=parks)
    make_user("employee", service=roads)  # has a login already: not invited
    hr = login_as("hr")
    hr.submit("/people/invitations", data={"scope": "matching", "service": roads.id,
                                           "status": "active"})
    invited = {i.person_id for i in db.session.scalars(select(Invitation))}
    assert invited == {first.id, second.id}


def test_a_link_used_twice_is_refused_with_a_message_and_audited(client, login_as,
                                                                 make_person):
    person = make_person("Line")
    login_as("hr").submit("/people/invitations", data={"person_ids": [person.id]})
    link = _link_for(person.email)
    form = {"username": "line", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.submit(link, data=form).status_code == 302
    again = client.submit(link, data={**form, "username": "line2"})
    assert again.status_code == 410
    assert "Ce lien a déjà servi" in text(again)
    assert User.by_username("line2") is None
    assert [e.after_json for e in audit("invitation.refused")] == ['{"reason": "used"}']


def test_an_expired_link_is_refused_and_can_be_sent_again(client, login_as, make_person):
    person = make_person("Exp")
    hr = login_as("hr")
    hr.submit("/people/invitations", data={"person_ids": [person.id]})
    old_link = _link_for(person.email)
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.expires_at = utcnow() - dt.timedelta(minutes=1)
    db.session.commit()
    refused = client.get(old_link)
    assert refused.status_code == 410 and "Ce lien a expiré" in text(refused)
    assert "Expirée" in text(hr.get("/people/invitations?status=expired"))
    hr.submit(f"/people/invitations/{invitation.id}/resend")
    new_link = _link_for(person.email)
    assert new_link != old_link
    assert client.get(new_link).status_code == 200
    assert client.get(old_link).status_code == 410  # the older e-mail no longer works


def test_a_departure_cancels_the_invitation(client, login_as, make_person):
    person = make_person("Partante")
    hr = login_as("hr")
    hr.submit("/people/invitations", data={"person_ids": [person.id]})
    link = _link_for(person.email)
    from hr_social.people.services import local_today

    hr.submit(f"/people/{person.id}/depart", data={"departed_on": local_today().isoformat()})
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.cancel_reason == "person_departed"
    users = _users()
    page = client.submit(link, data={"username": "partante", "new_password": NEW_PASSWORD,
                                     "confirm": NEW_PASSWORD})
    assert page.status_code == 410 and "annulée" in text(page)
    assert _users() == users
    assert len(audit("invitation.cancelled")) == 1


def test_a_weak_password_or_a_taken_username_creates_nothing(client, login_as, make_person,
                                                            make_user):
    taken = make_user("employee", username="prise")
    person = make_person("Faible")
    login_as("hr").submit("/people/invitations", data={"person_ids": [person.id]})
    link = _link_for(person.email)
    users = _users()
    weak = client.submit(link, data={"username": "faible", "new_password": "court",
                                     "confirm": "court"})
    assert weak.status_code == 422 and "au moins 12 caractères" in text(weak)
    clash = client.submit(link, data={"username": taken.username, "new_password": NEW_PASSWORD,
                                      "confirm": NEW_PASSWORD})
    assert clash.status_code == 422 and "déjà pris" in text(clash)
    assert _users() == users
    assert db.session.scalars(select(Invitation)).one().accepted_at is None


def test_people_who_cannot_be_invited_are_named_and_skipped(login_as, make_person, make_user):
    no_mail = make_person("Sans")
    no_mail.email = None
    db.session.commit()
    has_login = make_user("employee").person
    hr = login_as("hr")
    response = hr.submit("/people/invitations", data={"person_ids": [no_mail.id, has_login.id]},
                         follow_redirects=True)
    page = text(response)
    assert "n'a pas de courriel" in page and "a déjà un compte" in page
    assert db.session.scalars(select(Invitation)).all() == []


def test_an_employee_cannot_invite_and_nothing_is_sent(login_as, make_person):
    person = make_person()
    assert login_as("employee").submit("/people/invitations",
                                       data={"person_ids": [person.id]}).status_code == 403
    assert db.session.scalars(select(Invitation)).all() == []


def test_the_people_list_offers_the_invitation_to_hr(login_as, make_person):
    make_person("Cochable")
    page = text(login_as("hr").get("/people/?login=none"))
    assert 'name="person_ids"' in page
    assert "Inviter toutes les personnes correspondantes" in page


def test_the_admin_outbox_never_shows_the_token_of_an_invitation(login_as, make_person):
    """Whoever holds the link signs in as the person: the outbox page masks it."""
    hr = login_as("hr")
    ana = make_person("Ana")
    assert hr.submit("/people/invitations", data={"scope": "selected",
                                                   "person_ids": [ana.id]}).status_code == 302
    token = _link_for(ana.email).rsplit("/", 1)[1]
    admin = login_as("admin")
    page = text(admin.get("/admin/outbox/"))
    assert ana.email in page and "/invitation/••••••" in page
    assert token not in page
