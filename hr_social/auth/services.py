"""Login, throttling and server-side sessions."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import secrets

from flask import current_app, flash, has_request_context, session
from flask_babel import gettext as _
from sqlalchemy import Date, String, bindparam, delete, event, inspect, or_, select, update
from sqlalchemy.orm import Session, joinedload

from hr_social.audit.services import record
from hr_social.auth import directory as _directory
from hr_social.auth import throttle
from hr_social.auth.models import LoginAttempt, LoginLink, LoginThrottle, UserSession
from hr_social.auth.passwords import hash_password, verify_password
from hr_social.auth.throttle import Throttle
from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.delegation import in_force_for, note_no_delegation
from hr_social.errors import DomainError
from hr_social.people.models import Person, User

SESSION_KEY = "sid"
# A login's last-seen time is written at most this often (it costs a write).
_TOUCH_EVERY = dt.timedelta(seconds=60)


class LoginRefused(DomainError):
    """Bad credentials or throttled; the message is safe to show."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def check_throttle(username: str, address: str) -> Throttle | None:
    """The wait still imposed on this account (in the address's scope) or on this address;
    reads only (the login reserves its attempt with ``throttle.reserve``)."""
    return (throttle.waiting(throttle.address_key(address))
            or throttle.waiting(throttle.account_key(username, address)))


def throttle_message(wait: Throttle) -> str:
    minutes = max(1, math.ceil(wait.retry_after_seconds / 60))
    return _(
        "Trop de tentatives de connexion. Pour votre sécurité, réessayez dans %(minutes)d "
        "minute(s).",
        minutes=minutes,
    )


def authenticate(username: str, password: str, address: str) -> User:
    """Return the user or raise LoginRefused; every attempt is counted, and counted before
    the password is hashed (see auth/throttle.py), so parallel requests cannot overrun."""
    config = current_app.config
    username = username.strip().lower()
    by_address = throttle.address_key(address)
    account = throttle.account_key(username, address)
    wait = throttle.waiting(by_address) or throttle.reserve(
        account, config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    if wait:
        db.session.rollback()
        raise LoginRefused(throttle_message(wait), retry_after=wait.retry_after_seconds)
    db.session.commit()  # the reservation holds for every other request from now on
    user = User.by_username(username)
    if _directory.handles(user):  # issue 12: LDAP / Active Directory sign-in
        user, valid = _directory_sign_in(username, password)
    else:
        valid = verify_password(user.password_hash if user else None, password)
    succeeded = bool(user and valid and user.is_active)
    db.session.add(LoginAttempt(username=username, ip_address=address, succeeded=succeeded))
    if not succeeded:
        throttle.count_failure(by_address, config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
        record("user.login_failed", target_type="users", target_id=user.id if user else None,
               target_label=username, actor=None, system_label=username)
        db.session.commit()  # the failed attempt must count even though the request fails
        raise LoginRefused(_("Nom d'utilisateur ou mot de passe incorrect."))
    throttle.clear(account)
    return user


def _directory_sign_in(username: str, password: str):
    """The directory's answer; a refusal it explains (down, no such person…) is audited
    alone (nothing else of this attempt is kept) and shown as is."""
    try:
        return _directory.sign_in(username, password)
    except (_directory.DirectoryRefusal, _directory.DirectoryUnavailable) as refusal:
        db.session.rollback()
        down = isinstance(refusal, _directory.DirectoryUnavailable)
        record("user.directory_sign_in_refused",
               target_type="users", target_label=username, actor=None, system_label=username,
               after={"reason": "unavailable", "error": str(refusal)[:200]} if down
               else {"reason": refusal.reason, **refusal.details})
        db.session.commit()
        if down:
            raise LoginRefused(_("L'annuaire de l'organisation ne répond pas : réessayez dans "
                                 "quelques minutes. Les comptes locaux (administration) "
                                 "fonctionnent toujours.")) from None
        raise LoginRefused(str(refusal)) from None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, address: str | None, user_agent: str | None) -> UserSession:
    token = secrets.token_urlsafe(32)
    login = UserSession(
        token_hash=_token_hash(token), user=user, ip_address=address,
        user_agent=(user_agent or "")[:300] or None,
    )
    db.session.add(login)
    user.last_login_at = utcnow()
    session.clear()  # a fresh cookie: nothing from before the login survives
    session[SESSION_KEY] = token
    session.permanent = True
    record("user.logged_in", target=user, actor=user)
    return login


def _expired(login: UserSession, now: dt.datetime) -> str | None:
    config = current_app.config
    if now - login.last_seen_at > dt.timedelta(minutes=config["SESSION_IDLE_MINUTES"]):
        return "idle_timeout"
    if now - login.created_at > dt.timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]):
        return "absolute_timeout"
    return None


@functools.cache
def _login_statement():
    """Every page pays this: the login, its user, person and roles in one statement, and
    whether a DG delegation names the user (most pages ask; nearly nobody has one). Built
    once per process with bound parameters: building and keying it cost more than running
    it."""
    user = joinedload(UserSession.user)
    today = bindparam("today", type_=Date)
    return (
        select(UserSession, in_force_for(UserSession.user_id, today).label("delegated"))
        .where(UserSession.token_hash == bindparam("token_hash", type_=String),
               UserSession.ended_at.is_(None))
        .options(user.joinedload(User.person), user.joinedload(User.roles))
    )


def current_login() -> UserSession | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = db.session.execute(_login_statement(), {
        "token_hash": _token_hash(token), "today": local_today()}).unique().first()
    if row is None:
        return None
    login, delegated = row
    if not delegated:
        note_no_delegation(login.user_id)
    return login


def load_session_user() -> User | None:
    """Flask-Login request loader: the cookie is only valid while its session row lives."""
    login = current_login()
    if login is None:
        return None
    now = utcnow()
    reason = _expired(login, now)
    if reason or not login.user.is_active:
        login.ended_at, login.ended_reason = now, reason or "account_inactive"
        db.session.commit()
        session.pop(SESSION_KEY, None)
        if reason and has_request_context():
            flash(_("Votre session a expiré. Reconnectez-vous pour continuer."), "info")
        return None
    if now - login.last_seen_at > _TOUCH_EVERY:
        login.last_seen_at = now
        db.session.commit()
    return login.user


def end_current_session(reason: str = "logout") -> None:
    login = current_login()
    if login is not None:
        login.ended_at, login.ended_reason = utcnow(), reason
        record("user.logged_out", target=login.user, actor=login.user)
    session.clear()


def end_all_sessions(user: User, reason: str, keep: UserSession | None = None) -> int:
    statement = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    return db.session.execute(statement).rowcount


def set_password(actor, user: User, *, new_password: str,
                 keep: UserSession | None = None) -> int:
    """Set a new password and end every session of the user but ``keep``: whoever held a
    cookie obtained with the old password is out. Returns the number of sessions ended."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    ended = end_all_sessions(user, "password_changed", keep=keep)
    record("user.password_changed", target=user, actor=actor or user,
           after={"other_sessions_ended": ended})
    return ended


def change_own_password(user: User, *, current: str, new_password: str,
                        address: str = "unknown") -> int:
    """Change one's own password; every other session of the user ends, this one stays.

    Wrong current passwords count like failed logins (see ``count_failed_reauth``), so a
    borrowed or stolen session cannot be used to guess the password at leisure."""
    wait = check_throttle(user.username, address)
    if wait:
        raise LoginRefused(throttle_message(wait), retry_after=wait.retry_after_seconds)
    if not verify_password(user.password_hash, current):
        raise LoginRefused(_("Le mot de passe actuel est incorrect."))
    return set_password(user, user, new_password=new_password, keep=current_login())


def count_failed_reauth(user: User, address: str) -> None:
    """A wrong current password, counted in its own transaction (the change was rolled
    back) against the account and the address."""
    db.session.add(LoginAttempt(username=user.username, ip_address=address, succeeded=False))
    config = current_app.config
    throttle.count_failure(throttle.account_key(user.username, address),
                           config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    throttle.count_failure(throttle.address_key(address),
                           config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    record("user.reauth_failed", target=user, actor=user)


@event.listens_for(Session, "before_flush")
def _end_sessions_of_deactivated(db_session, _flush_context, _instances) -> None:
    """A disabled account or a departed person loses every open session at once, whoever
    made the change and through whichever service: re-enabling the account later must not
    revive a cookie captured before."""
    user_ids, person_ids = set(), set()
    for obj in db_session.dirty:
        if isinstance(obj, User) and _turned_false(obj, "is_enabled") and obj.id:
            user_ids.add(obj.id)
        elif isinstance(obj, Person) and _turned_false(obj, "is_active") and obj.id:
            person_ids.add(obj.id)
    if not (user_ids or person_ids):
        return
    owners = select(User.id).where(User.person_id.in_(person_ids))
    table = UserSession.__table__
    db_session.connection().execute(
        update(table)
        .where(table.c.ended_at.is_(None),
               table.c.user_id.in_(user_ids) | table.c.user_id.in_(owners))
        .values(ended_at=utcnow(), ended_reason="account_inactive")
    )


def _turned_false(obj, attribute: str) -> bool:
    history = inspect(obj).attrs[attribute].history
    return bool(history.added) and history.added[-1] is False


def purge_old_records(days: int) -> dict[str, int]:
    """Delete login traces older than ``days``: ended sessions, login attempts and used
    one-time form keys. (A form older than the CSRF token's life cannot be posted anyway.)
    The audit trail keeps the logins themselves."""
    from hr_social.web.models import UsedSubmissionKey

    cutoff = utcnow() - dt.timedelta(days=days)
    sessions = db.session.execute(delete(UserSession).where(
        UserSession.ended_at.is_not(None), UserSession.ended_at < cutoff)).rowcount
    attempts = db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff)).rowcount
    # Counters with nothing left to count, links long expired: traces of attempts too.
    attempts += db.session.execute(delete(LoginThrottle).where(or_(
        LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at < cutoff))).rowcount
    attempts += db.session.execute(
        delete(LoginLink).where(LoginLink.expires_at < cutoff)).rowcount
    keys = db.session.execute(
        delete(UsedSubmissionKey).where(UsedSubmissionKey.used_at < cutoff)).rowcount
    return {"sessions": sessions, "attempts": attempts, "keys": keys}
