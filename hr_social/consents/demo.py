"""Demo data: about forty consents (some of minors, some withdrawn with their take-downs, some
expired, a few awaiting their signature) and publications on the official accounts of the
register (section 8). Names and events are invented for the demo."""

from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from hr_social.consents import publications as pubs
from hr_social.consents import services as ops
from hr_social.consents.models import TakeDown, account_model
from hr_social.db import db, utcnow
from hr_social.demo import DemoContext, demo_seeder

FIRST = ("Léa", "Mathis", "Chloé", "Félix", "Zoé", "Éloïse", "Jérémie", "Noémie", "Olivier",
         "Maëlle", "Gabriel", "Rosalie", "Thomas", "Anaïs")
LAST = ("Gagnon", "Bouchard", "Côté", "Lévesque", "Pelletier", "Bélanger", "Ouellet",
        "Fortin", "Savard", "Boudreault")
EVENTS = (("Fête nationale au parc des Pionniers", "photo"),
          ("Bains libres à la piscine municipale", "photo"),
          ("Heure du conte à la bibliothèque", "video"),
          ("Corvée de nettoyage des berges", "photo"),
          ("Témoignage sur le service de collecte", "comment"),
          ("Portrait d'un fournisseur local", "article"))
CATEGORIES = ("citizen", "visitor", "taxpayer", "supplier", "citizen", "other")
DEMO_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def _jpeg(n: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (40 + n * 5, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def _media(kind: str, n: int) -> list[FileStorage]:
    if kind == "photo":
        return [_file(_jpeg(n), f"photo-{n}.jpg")]
    if kind == "video":
        return [_file(DEMO_MP4, f"video-{n}.mp4")]
    return [_file(DEMO_PDF, f"texte-{n}.pdf")]


def _consent(ctx, collector, n, channels, *, start, end, minor=False):
    event, kind = EVENTS[n % len(EVENTS)]
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 3) % len(LAST)]}"
    data = ops.ConsentInput(
        person_name=name, category=CATEGORIES[n % len(CATEGORIES)],
        contact=f"{name.split()[0].lower()}.{n}@exemple.test", is_minor=minor,
        guardian_name=f"{FIRST[(n + 5) % len(FIRST)]} {LAST[(n * 3) % len(LAST)]}"
        if minor else "", guardian_relationship="Mère" if n % 2 else "Père",
        guardian_contact="418 555-0100" if minor else "", kind=kind,
        description=f"{kind.capitalize()} prise lors de l'activité « {event} ».",
        purpose="Promotion des activités municipales", event_name=event,
        event_on=start, channels=channels, valid_from=start, valid_until=end)
    consent = ops.record_consent(collector, data, files=_media(kind, n))
    return consent


@demo_seeder(80)
def seed_consents(ctx: DemoContext) -> None:
    comm, employee = ctx.users.get("communications"), ctx.users.get("employee")
    if comm is None or employee is None:
        return
    model = account_model()
    accounts = db.session.scalars(select(model).where(model.status == "active")
                                  .order_by(model.id)).all()
    if not accounts:
        return
    today = ops.today()
    channel_sets = [["website", f"account:{accounts[0].id}"],
                    [f"account:{a.id}" for a in accounts[:3]],
                    ["print", f"account:{accounts[-1].id}"]]
    valid, withdrawn = [], []
    for n in range(40):
        collector = comm if n % 3 else employee
        channels = channel_sets[n % len(channel_sets)]
        expired = n % 10 == 7
        start = today - dt.timedelta(days=400 if expired else 60 + n)
        end = start + dt.timedelta(days=180) if expired else (
            None if n % 4 == 0 else today + dt.timedelta(days=10 + 20 * (n % 12)))
        consent = _consent(ctx, collector, n, channels, start=start, end=end,
                           minor=n % 5 == 1)
        if n % 13 == 12:
            continue  # awaiting its signature
        ops.sign_on_paper(collector, consent, signed_on=start,
                          scan_file=_file(DEMO_PDF, f"formulaire-signe-{n}.pdf"))
        if not expired:
            (withdrawn if n % 9 == 4 else valid).append(consent)
    for n, consent in enumerate(valid[:12] + withdrawn):
        channel = consent.channels[0]
        pubs.record_publication(comm, pubs.PublicationInput(
            channel=channel.key, published_on=today - dt.timedelta(days=n % 20),
            url=f"https://www.facebook.com/VilledeBaieComeau/posts/{1000 + n}"
            if channel.kind == "account" else "",
            media_description=f"{consent.kind_label} de l'activité « {consent.event_name} »",
            consent_ids=[str(consent.id)], people=[consent.person_name]))
    for n, consent in enumerate(withdrawn):
        ops.withdraw(comm, consent, withdrawn_on=today, way="email" if n % 2 else "phone")
    # Some take-downs have waited a while: the overdue ones show on the dashboard.
    db.session.execute(update(TakeDown).where(TakeDown.id.in_(
        select(TakeDown.id).order_by(TakeDown.id).limit(2).scalar_subquery()))
        .values(listed_at=utcnow() - dt.timedelta(days=6))
        .execution_options(synchronize_session=False))
    db.session.flush()
