from __future__ import annotations

import base64
import datetime as dt
import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from hr_social.access_requests.models import Platform
from hr_social.communications import register
from hr_social.consents import services as ops
from hr_social.db import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def jpeg(with_exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (32, 24), (200, 30, 30))
    out = io.BytesIO()
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "AppareilMarque"  # Make
        exif[0x0110] = "ModeleX200"  # Model
        exif[0x0112] = 6  # Orientation (kept)
        exif[0x0131] = "LogicielPhoto"  # Software
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = "N", (49.0, 13.0, 0.0)
        gps[3], gps[4] = "W", (68.0, 9.0, 0.0)
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def signature_png(drawn: bool = True) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (200, 80), (0, 0, 0, 0))
    if drawn:
        ImageDraw.Draw(image).line((10, 40, 190, 30), fill=(10, 10, 10, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def days(n: int) -> dt.date:
    return ops.today() + dt.timedelta(days=n)


@pytest.fixture
def world(app, make_service, make_user):
    division = make_service("Division des communications", "COM")
    facebook = Platform(name="Facebook", category="social")
    db.session.add(facebook)
    db.session.commit()
    made = {
        "comm": make_user("employee", "communications", service=division, username="comm"),
        "hr": make_user("employee", "hr", username="rh", email="rh@ville.test"),
        "collector": make_user("employee", username="colin"),
        "other": make_user("employee", username="oscar"),
        "manager": make_user("employee", "manager", username="manon"),
        "dg": make_user("employee", "dg", username="dg"),
        "admin": make_user("employee", "admin", username="admin"),
    }
    made["account"] = register.add_account(
        made["comm"], platform_id=facebook.id, display_name="Natation VBC",
        url="https://www.facebook.com/natation-test", service_id=division.id)
    made["other_account"] = register.add_account(
        made["comm"], platform_id=facebook.id, display_name="Bibliothèque",
        url="https://www.facebook.com/biblio-test", service_id=division.id)
    db.session.commit()
    return made


def consent_input(world, **overrides) -> ops.ConsentInput:
    fields = dict(person_name="Jeanne Côté-Émond", category="citizen",
                  contact="jeanne@exemple.test", kind="photo",
                  description="Photo au bain libre", purpose="Promotion de la piscine",
                  event_name="Bains libres d'été", event_on=days(-3),
                  channels=[f"account:{world['account'].id}", "website"],
                  valid_from=days(-10), valid_until=days(60))
    fields.update(overrides)
    return ops.ConsentInput(**fields)


@pytest.fixture
def new_consent(world):
    def factory(user=None, files=None, sign=True, **overrides):
        consent = ops.record_consent(user or world["collector"], consent_input(world, **overrides),
                                     files=files if files is not None
                                     else [upload(jpeg(), "photo.jpg")])
        if sign:
            ops.sign_on_paper(user or world["collector"], consent, signed_on=days(-5),
                              scan_file=upload(PDF, "scan.pdf"))
        db.session.commit()
        return consent

    return factory
