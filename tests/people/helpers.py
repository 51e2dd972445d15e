import html
import json

from sqlalchemy import func, select

from hr_social.audit.models import AuditEvent
from hr_social.db import db
from hr_social.people.models import Person


def audit(action: str) -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def before_after(event: AuditEvent) -> tuple[dict, dict]:
    return json.loads(event.before_json or "{}"), json.loads(event.after_json or "{}")


def people_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Person))


def text(response) -> str:
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))
