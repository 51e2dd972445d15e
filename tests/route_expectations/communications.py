import datetime as dt
import io

from werkzeug.datastructures import FileStorage

from hr_social.access_requests.models import Platform
from hr_social.attachments.models import Attachment
from hr_social.communications import register
from hr_social.communications import services as ops
from hr_social.db import db
from tests.route_expectations import REDIRECT, Route, everyone, only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _png():
    return FileStorage(io.BytesIO(PNG), filename="visuel.png")


def build(world):
    comm, dg, employee = world.users["communications"], world.users["dg"], world.users["employee"]
    platform = Platform(name="Facebook (communications)", category="social")
    db.session.add(platform)
    db.session.flush()
    account = register.add_account(comm, platform_id=platform.id, display_name="Page du service",
                                   url="https://www.facebook.com/page-du-service",
                                   service_id=world.services["home"].id)
    register.add_administrator(comm, account, world.people["report"])
    world.comm_account = account
    world.comm_holder = account.administrators[0]
    today = ops.local_today()

    def logo():
        return ops.ask_logo(employee, visual=_png(), purpose="Affiche", medium="printed",
                            account_id=None, medium_detail="Affiche", audience="Citoyens",
                            starts_on=today, ends_on=today + dt.timedelta(days=30))

    world.logo = logo()
    world.logo_changes = ops.request_changes(comm, logo(), "Autre visuel")
    world.logo_authorized = ops.authorize_logo(comm, logo())
    world.logo_withdrawable = logo()

    def change(kind="description"):
        return ops.ask_change(employee, account_id=account.id, kind=kind,
                              proposed_text="Nouvelle description", wanted_on=None,
                              files=[_png()])

    world.change = change()
    world.change_file = db.session.query(Attachment).filter_by(
        subject_type="account_change_requests", subject_id=world.change.id).one()
    world.change_changes = ops.request_changes(comm, change(), "Plus court")
    world.change_approved = ops.approve_change(dg, change())
    world.change_withdrawable = change()
    done = ops.mark_done(employee, ops.approve_change(dg, change()), result="Fait",
                         screenshot=_png())
    world.history_entry = [e for e in account.history if e.change_request_id == done.id][-1]
    world.history_file = db.session.query(Attachment).filter_by(
        subject_type="official_account_history", subject_id=world.history_entry.id).one()
    db.session.commit()


def _url(name, suffix=""):
    kind = "logo" if name.startswith("logo") else "changes"
    return lambda w: f"/communications/{kind}/{getattr(w, name).id}{suffix}"


def _account(suffix=""):
    return lambda w: f"/communications/accounts/{w.comm_account.id}{suffix}"


LOGO_SEE = dict(employee=200, communications=200, dg=200, manager=404, hr=404, admin=404)
# Requests about an account are also seen by the people of its managing service.
CHANGE_SEE = dict(LOGO_SEE, manager=200)
COMM_ONLY = only("communications")

ROUTES = [
    Route("communications.accounts", "/communications/accounts", everyone(200)),
    Route("communications.official", "/communications/official?q=page",
          everyone(200, anonymous=200)),
    Route("communications.account", _account(), everyone(200)),
    Route("communications.account_new", "/communications/accounts/new", COMM_ONLY),
    Route("communications.account_edit", _account("/edit"), COMM_ONLY),
    Route("communications.account_status", _account("/status"),
          only("communications", allowed=REDIRECT), "POST", {"status": "dormant"}),
    Route("communications.administrator_add", _account("/administrators"),
          only("communications", allowed=REDIRECT), "POST",
          lambda w: {"person": w.people["manager"].id}),
    Route("communications.administrator_remove",
          lambda w: f"/communications/accounts/{w.comm_account.id}/administrators/"
                    f"{w.comm_holder.id}/remove",
          only("communications", allowed=REDIRECT), "POST"),
    Route("communications.history_file",
          lambda w: f"/communications/accounts/{w.comm_account.id}/history/"
                    f"{w.history_entry.id}/files/{w.history_file.id}", everyone(200)),
    Route("communications.logo_index", "/communications/logo/", everyone(200)),
    Route("communications.logo_new", "/communications/logo/new", everyone(200)),
    Route("communications.in_force", "/communications/authorizations", everyone(200)),
    Route("communications.logo_show", _url("logo"), everyone(200, **LOGO_SEE)),
    Route("communications.logo_visual",
          lambda w: f"/communications/logo/{w.logo.id}/visuals/{w.logo.visuals[0].id}",
          everyone(200, **LOGO_SEE)),
    Route("communications.logo_decide", _url("logo", "/decide"),
          everyone(200, **dict(LOGO_SEE, employee=403))),
    Route("communications.logo_edit", _url("logo_changes", "/edit"),
          everyone(200, **dict(LOGO_SEE, communications=403, dg=403))),
    Route("communications.logo_letter", _url("logo_authorized", "/letter.pdf"),
          everyone(200, **LOGO_SEE)),
    Route("communications.logo_withdraw", _url("logo_withdrawable", "/withdraw"),
          everyone(REDIRECT, **dict(LOGO_SEE, employee=REDIRECT, communications=403,
                                    dg=403)), "POST"),
    Route("communications.change_index", "/communications/changes/", everyone(200)),
    Route("communications.change_new", "/communications/changes/new", everyone(200)),
    Route("communications.change_show", _url("change"), everyone(200, **CHANGE_SEE)),
    Route("communications.change_file",
          lambda w: f"/communications/changes/{w.change.id}/files/{w.change_file.id}",
          everyone(200, **CHANGE_SEE)),
    Route("communications.change_decide", _url("change", "/decide"),
          everyone(200, **dict(CHANGE_SEE, employee=403, manager=403))),
    Route("communications.change_edit", _url("change_changes", "/edit"),
          everyone(200, **dict(CHANGE_SEE, manager=403, communications=403, dg=403))),
    Route("communications.change_withdraw", _url("change_withdrawable", "/withdraw"),
          everyone(REDIRECT, **dict(CHANGE_SEE, employee=REDIRECT, manager=403,
                                    communications=403, dg=403)), "POST"),
    Route("communications.change_done", _url("change_approved", "/done"),
          # The requester, a colleague of the managing service, or communications.
          everyone(REDIRECT, **dict(CHANGE_SEE, employee=REDIRECT, communications=REDIRECT,
                                    manager=REDIRECT, dg=403)), "POST",
          {"result": "Fait", "result_url": "https://www.facebook.com/page-du-service"}),
]
