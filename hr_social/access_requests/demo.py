"""Demo data: the platform catalogue and a few requests in various states."""

from __future__ import annotations

from sqlalchemy import select

from hr_social.access_requests.models import Platform
from hr_social.db import db
from hr_social.demo import DemoContext, demo_seeder

CATALOGUE = (
    ("Facebook", "social", "*.facebook.com"),
    ("X (Twitter)", "social", "*.x.com, *.twitter.com"),
    ("LinkedIn", "professional", "*.linkedin.com"),
    ("YouTube", "video", "*.youtube.com"),
    ("Instagram", "social", "*.instagram.com"),
    ("TikTok", "video", "*.tiktok.com"),
    ("Blogues (WordPress, Blogger)", "blog", "*.wordpress.com, *.blogspot.com"),
)

PURPOSES = (
    "Répondre aux questions des citoyens sur l'horaire de la piscine municipale.",
    "Publier les avis de travaux de voirie du quartier et suivre les réactions.",
    "Faire la promotion des activités de la bibliothèque auprès des familles.",
    "Veille des mentions de la Ville pendant la saison des festivals.",
)


@demo_seeder(50)
def seed_access_requests(ctx: DemoContext) -> None:
    from hr_social.access_requests import services as ops

    for name, category, pattern in CATALOGUE:
        if not db.session.scalar(select(Platform.id).where(Platform.name == name)):
            db.session.add(Platform(name=name, category=category, address_pattern=pattern))
    db.session.flush()
    platforms = db.session.scalars(select(Platform).order_by(Platform.id)).all()
    dg = ctx.users.get("dg")
    requesters = [u for u in ctx.users.values()
                  if u.person is not None and not u.has_role("dg")][:4]
    for index, user in enumerate(requesters):
        wanted = [platforms[index % len(platforms)].id, platforms[(index + 3) % len(platforms)].id]
        request = ops.create_request(user, platform_ids=wanted, purpose=PURPOSES[index % 4],
                                     other_devices="Téléphone cellulaire de la Ville"
                                     if index % 2 else None, submit=index != 3)
        if index in (0, 1) and dg is not None:
            decisions = {item.id: ops.ItemDecision(
                grant=index == 0 or n == 0, conditions="Heures de bureau seulement",
                reason="Usage non lié aux fonctions") for n, item in enumerate(request.items)}
            ops.decide_request(dg, request, decisions=decisions)
    # Requests waiting for their manager's recommendation, then the DG's decision.
    waiting = [ops.create_request(user, platform_ids=[platform.id], purpose=PURPOSES[2],
                                  submit=True)
               for role, platform in (("employee", platforms[1]), ("admin", platforms[2]))
               if (user := ctx.users.get(role)) is not None and user.person is not None]
    manager = ctx.users.get("manager")
    if waiting and manager is not None and waiting[-1].requester.is_in_team_of(manager.person):
        ops.recommend(manager, waiting[-1], opinion="favourable",
                      text="Utile pour annoncer les pannes du réseau informatique.")
    db.session.flush()
