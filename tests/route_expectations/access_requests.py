from hr_social.access_requests import services as ops
from hr_social.access_requests.models import Platform
from hr_social.clock import local_today
from hr_social.db import db
from hr_social.delegation.models import DgDelegation
from tests.route_expectations import REDIRECT, Route, everyone, only

# Roles that see the employee's requests: the employee, her manager, HR and the DG.
SEE = dict(employee=200, manager=200, hr=200, dg=200, communications=404, admin=404)


def build(world):
    platforms = [Platform(name=n, category="social") for n in ("Facebook", "LinkedIn",
                                                               "YouTube", "Retirable")]
    db.session.add_all(platforms)
    db.session.flush()
    employee, dg = world.users["employee"], world.users["dg"]
    world.access_request = ops.create_request(employee, platform_ids=[platforms[0].id],
                                              purpose="Page", submit=True)
    world.access_withdrawable = ops.create_request(employee, platform_ids=[platforms[1].id],
                                                   purpose="Page", submit=True)
    world.access_draft = ops.create_request(employee, platform_ids=[platforms[2].id],
                                            purpose="Page")
    decided = ops.create_request(employee, platform_ids=[platforms[3].id], purpose="Blogue",
                                 submit=True)
    ops.decide_request(dg, decided, decisions={decided.items[0].id: ops.ItemDecision(grant=True)})
    world.access_grant = decided.items[0]
    world.access_platform = platforms[3]
    instagram = Platform(name="Instagram", category="social")
    db.session.add(instagram)
    db.session.flush()
    world.access_grantable = ops.create_request(employee, platform_ids=[instagram.id],
                                                purpose="Page", submit=True)
    # Starts next year: it must not give the employee DG powers in these checks.
    next_year = local_today().replace(year=local_today().year + 1)
    world.access_delegation = DgDelegation(dg_user_id=dg.id, delegate_user_id=employee.id,
                                           starts_on=next_year, ends_on=next_year)
    db.session.add(world.access_delegation)
    db.session.commit()


def _req(name, suffix=""):
    return lambda w: f"/access-requests/{getattr(w, name).id}{suffix}"


def _grant(suffix=""):
    return lambda w: f"/access-requests/grants/{w.access_grant.id}{suffix}"


DG_ONLY = only("dg")
MANAGE = dict(anonymous="login", employee=403, manager=403, hr=REDIRECT, dg=REDIRECT,
              communications=404, admin=404)
# Posted empty, a form with required fields is refused (422) for those who may use it.
MANAGE_EMPTY_FORM = {**MANAGE, "hr": 422, "dg": 422}

ROUTES = [
    Route("access_requests.index", "/access-requests/", everyone(200)),
    Route("access_requests.new", "/access-requests/new", everyone(200)),
    Route("access_requests.show", _req("access_request"), everyone(200, **SEE)),
    Route("access_requests.edit", _req("access_draft", "/edit"),
          everyone(403, employee=200, communications=404, admin=404)),
    # The world's request is already submitted: its owner is refused (422), others 403/404.
    Route("access_requests.submit", _req("access_request", "/submit"),
          everyone(403, employee=422, communications=404, admin=404), "POST"),
    Route("access_requests.withdraw", _req("access_withdrawable", "/withdraw"),
          everyone(403, employee=REDIRECT, communications=404, admin=404), "POST"),
    Route("access_requests.recommend", _req("access_request", "/recommend"),
          only("manager", allowed=REDIRECT), "POST", {"opinion": "favourable",
                                                  "recommendation": "Utile"}),
    Route("access_requests.decide", _req("access_request", "/decide"), DG_ONLY),
    Route("access_requests.grant_all", _req("access_grantable", "/grant-all"),
          only("dg", allowed=REDIRECT), "POST"),
    Route("access_requests.queue", "/access-requests/queue", DG_ONLY),
    Route("access_requests.grant", _grant(), everyone(200, **SEE)),
    Route("access_requests.restrict", _grant("/restrict"), MANAGE_EMPTY_FORM, "POST"),
    Route("access_requests.revoke", _grant("/revoke"), MANAGE_EMPTY_FORM, "POST"),
    Route("access_requests.renew", _grant("/renew"), dict(MANAGE, hr=403), "POST"),
    Route("access_requests.propose_renewal", _grant("/propose-renewal"),
          dict(MANAGE, dg=403), "POST"),
    # The world's grant has no renewal proposed: the DG's refusal of one is refused (422).
    Route("access_requests.decline_renewal", _grant("/decline-renewal"),
          dict(MANAGE, hr=403, dg=422), "POST", {"reason": "Non"}),
    Route("access_requests.reviews", "/access-requests/reviews", only("dg", "hr")),
    Route("access_requests.registry", "/access-requests/registry", only("dg", "hr", "admin")),
    Route("access_requests.registry_csv", "/access-requests/registry.csv",
          only("dg", "hr", "admin")),
    Route("access_requests.registry_json", "/access-requests/registry.json",
          only("dg", "hr", "admin")),
    Route("access_requests.platforms", "/access-requests/platforms", only("admin")),
    Route("access_requests.platform_new", "/access-requests/platforms/new", only("admin")),
    Route("access_requests.platform_edit",
          lambda w: f"/access-requests/platforms/{w.access_platform.id}/edit", only("admin")),
    Route("access_requests.platform_retire",
          lambda w: f"/access-requests/platforms/{w.access_platform.id}/retire",
          only("admin", allowed=REDIRECT), "POST"),
    Route("access_requests.delegation", "/access-requests/delegation", DG_ONLY),
    Route("access_requests.delegation_cancel",
          lambda w: f"/access-requests/delegation/{w.access_delegation.id}/cancel",
          only("dg", allowed=REDIRECT), "POST"),
]
