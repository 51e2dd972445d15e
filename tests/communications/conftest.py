from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from hr_social.access_requests.models import Platform
from hr_social.communications import register
from hr_social.communications.models import (
    AccountChangeRequest,
    LogoAuthorization,
    OfficialAccount,
)
from hr_social.communications.services import local_today
from hr_social.db import db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(data: bytes = PNG, name: str = "visuel.png") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def days(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


@pytest.fixture
def comms(app, make_service, make_person, make_user):
    """Communications, the DG, two people of the leisure service, one of another service."""
    division = make_service("Division des communications", "COM")
    leisure = make_service("Service de la culture et des loisirs", "LOI")
    elsewhere = make_service("Travaux publics", "TP")
    facebook = Platform(name="Facebook", category="social")
    db.session.add(facebook)
    db.session.commit()
    made = {
        "division": division, "leisure": leisure, "elsewhere": elsewhere,
        "facebook": facebook,
        "comm": make_user("employee", "communications", service=division, username="comm",
                          email="comm@ville.test"),
        "comm2": make_user("employee", "communications", service=division,
                           username="comm2"),
        "dg": make_user("employee", "dg", username="dg", email="dg@ville.test"),
        "employee": make_user("employee", service=leisure, username="emile",
                              email="emile@ville.test"),
        "colleague": make_user("employee", service=leisure, username="colette"),
        "outsider": make_user("employee", service=elsewhere, username="oscar"),
    }
    made["account"] = register.add_account(
        made["comm"], platform_id=facebook.id, display_name="Bibliothèque Alice-Lane",
        url="https://www.facebook.com/bibliotheque-test", service_id=leisure.id)
    db.session.commit()
    return made


def logo_fields(**overrides) -> dict:
    fields = dict(purpose="Affiche du festival d'été", medium="printed", account_id=None,
                  medium_detail="Affiches au centre-ville", audience="Citoyens",
                  starts_on=days(1), ends_on=days(60))
    fields.update(overrides)
    return fields


@pytest.fixture
def ask_logo(comms):
    from hr_social.communications import services as ops

    def factory(user=None, **overrides):
        authorization = ops.ask_logo(user or comms["employee"], visual=upload(),
                                     **logo_fields(**overrides))
        db.session.commit()
        return authorization

    return factory


__all__ = ["AccountChangeRequest", "LogoAuthorization", "OfficialAccount"]
