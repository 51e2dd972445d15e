"""Sign-in links by e-mail: the way in for an owner whose account someone keeps delaying.

Only an account that has reached its free failures may be sent one, at the e-mail address of
its person, at most LOGIN_LINKS_PER_HOUR times an hour. The link is single-use, expires after
LOGIN_LINK_MINUTES, and only the SHA-256 of its token is stored. Opening it shows a button
(mail scanners that fetch links must not use it up); the POST claims it with one conditional
UPDATE, so two clicks cannot open two sessions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from hr_social.audit.services import record
from hr_social.auth import throttle
from hr_social.auth.models import LoginLink
from hr_social.db import db, utcnow
from hr_social.mail.services import queue_template
from hr_social.people.models import User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _recent_links(user: User) -> int:
    since = utcnow() - dt.timedelta(hours=1)
    return db.session.scalar(select(func.count()).select_from(LoginLink).where(
        LoginLink.user_id == user.id, LoginLink.created_at >= since))


def send_login_link(username: str, address: str | None) -> bool:
    """Queue a link for a delayed account that has an e-mail address; the caller shows the
    same answer either way (nobody learns whether an account exists). Only flushes."""
    username = (username or "").strip().lower()[:80]
    user = User.by_username(username) if username else None
    config = current_app.config
    if (user is None or not user.is_active or user.person is None or not user.person.email
            or not throttle.is_delayed(username)
            or _recent_links(user) >= config["LOGIN_LINKS_PER_HOUR"]):
        return False
    token = secrets.token_urlsafe(32)
    minutes = config["LOGIN_LINK_MINUTES"]
    db.session.add(LoginLink(token_hash=_hash(token), user=user, requested_from=address,
                             expires_at=utcnow() + dt.timedelta(minutes=minutes)))
    link = config["BASE_URL"].rstrip("/") + f"/login/link/{token}"
    queue_template(user.person.email, _("Votre lien de connexion à hr_social"),
                   "auth/login_link", user=user, link=link, minutes=minutes, address=address)
    record("user.login_link_sent", target=user, actor=None, system_label=username,
           after={"address": address})
    return True


def usable(token: str) -> bool:
    return db.session.scalar(select(LoginLink.id).where(
        LoginLink.token_hash == _hash(token), LoginLink.used_at.is_(None),
        LoginLink.expires_at > utcnow())) is not None


def claim_login_link(token: str, address: str | None) -> User | None:
    """The user the link signs in, once: None if unknown, used, expired or the account is no
    longer active. Clears the account's delay in this address's scope. Only flushes."""
    now = utcnow()
    claimed = db.session.execute(
        update(LoginLink).where(LoginLink.token_hash == _hash(token), LoginLink.used_at.is_(None),
                                LoginLink.expires_at > now)
        .values(used_at=now).returning(LoginLink.user_id)
        .execution_options(synchronize_session=False)).scalar()
    if claimed is None:
        return None
    user = db.session.get(User, claimed)
    if user is None or not user.is_active:
        return None
    throttle.clear(throttle.account_key(user.username, address))
    record("user.login_link_used", target=user, actor=user, after={"address": address})
    return user
