"""Demo data: the official accounts listed in section 8 of the policy (platform, name,
address, managing service) with a few administrators, and requests in several states."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from hr_social.communications import register
from hr_social.communications import services as ops
from hr_social.db import db
from hr_social.demo import DemoContext, demo_seeder

# (platform in the catalogue, display name, address, managing service code)
OFFICIAL_ACCOUNTS = (
    ("Facebook", "VBC", "https://www.facebook.com/VilledeBaieComeau", "COMM"),
    ("Facebook", "Bibliothèque Alice-Lane", "https://www.facebook.com/bibliothequealicelane",
     "CULT"),
    ("Facebook", "Bande estivale", "https://www.facebook.com/bandeestivaleVBC", "CULT"),
    ("Facebook", "Natation VBC", "https://www.facebook.com/NatationVBC", "CULT"),
    ("Facebook", "L'Alternative", "https://www.facebook.com/sallexpositionalternative", "CULT"),
    ("X (Twitter)", "VBC", "https://twitter.com/VilleBaieComeau", "COMM"),
    ("YouTube", "VBC", "https://www.youtube.com/channel/UCG6N_ON0v0vPc4Q5fikFfRA", "COMM"),
)

# A tiny valid PNG (1×1, white) standing for a mock-up.
DEMO_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408"
    "d763f8ffff3f0005fe02fea7d6a4a00000000049454e44ae426082")


def _mockup(name: str) -> FileStorage:
    return FileStorage(io.BytesIO(DEMO_PNG), filename=name)


def _platform(name):
    model = register.platform_model()
    return db.session.scalar(select(model).where(model.name == name))


def _accounts(ctx: DemoContext) -> list:
    accounts = []
    for platform_name, display_name, url, code in OFFICIAL_ACCOUNTS:
        platform, service = _platform(platform_name), ctx.services.get(code)
        if platform is None or service is None:
            continue
        account = register.add_account(None, platform_id=platform.id, display_name=display_name,
                                       url=url, service_id=service.id)
        staff = [p for p in ctx.people if p.service_id == service.id and p.is_active]
        if staff:
            register.add_administrator(None, account, ctx.rng.choice(staff))
        accounts.append(account)
    return accounts


def _logo_requests(ctx: DemoContext, accounts) -> None:
    users, today = ctx.users, ops.local_today()
    comm, dg = users.get("communications"), users.get("dg")
    askers = [users.get(role) for role in ("employee", "manager", "hr")]
    if comm is None or dg is None or None in askers:
        return
    employee, manager, hr = askers
    period = dict(starts_on=today + dt.timedelta(days=7), ends_on=today + dt.timedelta(days=90))
    ops.ask_logo(employee, visual=_mockup("affiche-course.png"), medium="printed",
                 purpose="Affiche de la course familiale du parc des Pionniers",
                 account_id=None, medium_detail="Affiches dans les commerces",
                 audience="Familles de la région", **period)
    shared = ops.ask_logo(manager, visual=_mockup("bandeau.png"), medium="official_account",
                          purpose="Bandeau de la saison des spectacles extérieurs",
                          account_id=accounts[2].id if len(accounts) > 2 else None,
                          medium_detail=None, audience="Abonnés de la page", **period)
    ops.authorize_logo(comm, shared, conditions="Logo en couleur, coin inférieur droit")
    changes = ops.ask_logo(employee, visual=_mockup("chandail.png"), medium="partner",
                           purpose="Chandails des bénévoles du tournoi de soccer",
                           account_id=None, medium_detail="Club de soccer partenaire",
                           audience="Participants et spectateurs", **period)
    ops.request_changes(comm, changes, "Joignez la maquette du dos du chandail.")
    escalated = ops.ask_logo(hr, visual=_mockup("offre-emploi.png"), medium="professional_account",
                             purpose="Offres d'emploi publiées sur un réseau professionnel",
                             account_id=None, medium_detail="Page carrière du service",
                             audience="Personnes en recherche d'emploi", **period)
    ops.escalate(comm, escalated, "Usage récurrent : la Direction générale décide.")


def _change_requests(ctx: DemoContext, accounts) -> None:
    comm, dg, employee = (ctx.users.get(r) for r in ("communications", "dg", "employee"))
    if comm is None or dg is None or employee is None or not accounts:
        return
    done = ops.ask_change(comm, account_id=accounts[-2].id, kind="description",
                          proposed_text="Ajouter les heures d'ouverture de l'hôtel de ville.",
                          wanted_on=None)
    ops.approve_change(dg, done)
    ops.mark_done(comm, done, result="Description mise à jour.", result_url=accounts[-2].url)
    ops.ask_change(comm, account_id=accounts[0].id, kind="cover_image",
                   proposed_text="Image de couverture de l'hiver", wanted_on=None,
                   files=[_mockup("couverture.png")])
    platform = _platform("Instagram") or _platform("Facebook")
    service = ctx.services.get("LOIS") or accounts[0].managing_service
    ops.ask_change(employee, account_id=None, kind="new_account", wanted_on=None,
                   proposed_text="Un compte pour les camps de jour de l'été.",
                   new_platform_id=platform.id, new_display_name="Camps de jour VBC",
                   new_service_id=service.id)


@demo_seeder(60)
def seed_communications(ctx: DemoContext) -> None:
    accounts = _accounts(ctx)
    _logo_requests(ctx, accounts)
    _change_requests(ctx, accounts)
    db.session.flush()
