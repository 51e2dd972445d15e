"""Sign-in (issue 12): invitations, the second step, two-factor enrolment."""

import datetime as dt

from hr_social.db import db, utcnow
from hr_social.people.models import Invitation
from tests.route_expectations import LOGIN, REDIRECT, Route, everyone, only


def build(world):
    now = utcnow()
    invitation = Invitation(person=world.people["outsider"], token_hash="0" * 64,
                            created_at=now, sent_at=now, expires_at=now + dt.timedelta(days=7))
    db.session.add(invitation)
    db.session.commit()
    world.invitation = invitation


ROUTES = [
    Route("invitations.index", "/people/invitations", only("hr", "admin")),
    # Nobody ticked: refused with its message (422).
    Route("invitations.send", "/people/invitations", only("hr", "admin", allowed=422),
          "POST"),
    Route("invitations.resend", lambda w: f"/people/invitations/{w.invitation.id}/resend",
          only("hr", "admin", allowed=REDIRECT), "POST"),
    # An unknown link: gone for the visitor; a logged-in user is sent home.
    Route("invitations.accept", "/invitation/not-a-token", everyone(REDIRECT, anonymous=410)),
    # Without a right password first, the code page sends back to the login page.
    Route("two_factor.code", "/login/code", everyone(LOGIN, anonymous=LOGIN)),
    Route("two_factor.enrol", "/account/two-factor", everyone(200)),
    Route("two_factor.reset", lambda w: f"/admin/users/{w.users['employee'].id}/two-factor/reset",
          only("admin", allowed=REDIRECT), "POST"),
    # A service without anyone pending: nobody to invite; nothing to print (refused, 422).
    Route("acknowledgements_offline.invite",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}/offline/invite"
                    f"?service={w.services['empty'].id}", only("hr", allowed=REDIRECT), "POST"),
    Route("acknowledgements_offline.print_copies",
          lambda w: f"/acknowledgements/campaigns/{w.campaign.id}/offline/print"
                    f"?service={w.services['empty'].id}", only("hr", allowed=422), "POST"),
]
