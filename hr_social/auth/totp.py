"""Two-factor sign-in (TOTP, RFC 6238) with single-use recovery codes.

Who must enrol: the roles of TWO_FACTOR_ROLES (hr, dg, admin by default), everyone when
TWO_FACTOR_EVERYONE is on, and whoever a domain declares through ``two_factor_rule`` (the
DG's delegates while they act as DG: access_requests registers that rule, auth imports no
domain). Codes of the previous, current and next 30-second step are accepted; a step is
accepted once (``users.totp_last_step``), so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable

import pyotp
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from hr_social.audit.services import record
from hr_social.auth.models import RecoveryCode
from hr_social.db import db, utcnow
from hr_social.errors import DomainError
from hr_social.people.models import User

RECOVERY_CODES = 10
# Recovery codes: 10 characters of an alphabet without look-alikes (about 49 bits each).
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_extra_rules: list[Callable[[User], bool]] = []


class CodeRefused(DomainError):
    """A wrong, replayed or malformed code; the message is safe to show. The caller rolls
    back, then audits ``action`` and counts the failure."""

    def __init__(self, message: str, action: str = "user.two_factor_failed"):
        super().__init__(field_errors={"code": message})
        self.action = action


def two_factor_rule(rule: Callable[[User], bool]) -> Callable[[User], bool]:
    """Register ``rule(user) -> bool``: True when this user must use two-factor sign-in."""
    _extra_rules.append(rule)
    return rule


def required_roles() -> set[str]:
    roles = current_app.config.get("TWO_FACTOR_ROLES") or ""
    return {r.strip() for r in roles.split(",") if r.strip()}


def required_for(user: User) -> bool:
    if current_app.config.get("TWO_FACTOR_EVERYONE") or user.role_names & required_roles():
        return True
    return any(rule(user) for rule in _extra_rules)


def _fernet():
    """The secrets are stored encrypted with a key derived from SECRET_KEY: a copy of the
    database alone (a backup) does not give anyone the codes."""
    import base64

    from cryptography.fernet import Fernet

    key = hashlib.sha256(b"hr_social totp|" + current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key.digest()))


def _stored(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _secret_of(user: User) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt((user.totp_secret or "").encode()).decode()
    except InvalidToken:
        # SECRET_KEY changed since enrolment: only a reset helps (admin or CLI).
        raise CodeRefused(_("Votre validation en deux étapes doit être configurée de nouveau : "
                            "demandez-le à l'administration.")) from None


def is_enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def needs_enrolment(user: User) -> bool:
    return not is_enrolled(user) and required_for(user)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    issuer = current_app.config.get("TWO_FACTOR_ISSUER") or "hr_social"
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=issuer)


def qr_code(user: User, secret: str) -> str:
    from hr_social.documents.codes import qr_data_uri

    return qr_data_uri(provisioning_uri(user, secret))


def _matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The 30-second step (previous, current or next) whose code this is, or None."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = clock() if now is None else now
    current = totp.timecode(_utc(now))
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def clock() -> float:
    """The time codes are checked against (tests freeze it)."""
    return time.time()


def _utc(timestamp: float):
    import datetime as dt

    return dt.datetime.fromtimestamp(timestamp, dt.UTC)


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def confirm_enrolment(user: User, secret: str, code: str, now: float | None = None) -> list[str]:
    """Turn two-factor on once the authenticator shows a valid code; returns the recovery
    codes (shown once, stored hashed)."""
    step = _matching_step(secret, code, now)
    if step is None:
        raise CodeRefused(_("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et "
                            "tapez le code à 6 chiffres affiché maintenant."))
    user.totp_secret, user.totp_enabled_at = _stored(secret), utcnow()
    user.totp_last_step = step
    codes = _new_recovery_codes(user)
    db.session.flush()
    record("user.two_factor_enrolled", target=user, actor=user,
           after={"recovery_codes": len(codes)})
    return codes


def verify(user: User, code: str, now: float | None = None) -> str:
    """Check a sign-in code: a TOTP code of an unused step, or an unused recovery code.
    Returns "totp" or "recovery"; raises CodeRefused (the caller counts the failure)."""
    text = (code or "").strip()
    if any(ch.isalpha() for ch in text):
        return _use_recovery_code(user, text)
    step = _matching_step(_secret_of(user), text, now)
    if step is None:
        raise CodeRefused(_("Code incorrect ou expiré."))
    # Conditional update: of two requests racing with the same code, one wins.
    claimed = db.session.execute(
        update(User).where(User.id == user.id)
        .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise CodeRefused(_("Ce code a déjà servi : attendez le suivant (30 secondes) et "
                            "tapez-le."), action="user.two_factor_code_replayed")
    db.session.refresh(user)
    return "totp"


def _use_recovery_code(user: User, text: str) -> str:
    found = db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(text),
        RecoveryCode.used_at.is_(None))).first()
    if found is None:
        raise CodeRefused(_("Code de récupération incorrect ou déjà utilisé."),
                          action="user.recovery_code_refused")
    used = db.session.execute(update(RecoveryCode).where(
        RecoveryCode.id == found.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if used != 1:
        raise CodeRefused(_("Code de récupération incorrect ou déjà utilisé."),
                          action="user.recovery_code_refused")
    left = remaining_recovery_codes(user)
    record("user.recovery_code_used", target=user, actor=user, after={"remaining": left})
    return "recovery"


def remaining_recovery_codes(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def reset(actor, user: User) -> None:
    """An administrator removes a lost authenticator: the user enrols again at next login."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    db.session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)).values(used_at=utcnow()))
    db.session.flush()
    record("user.two_factor_reset", target=user, actor=actor)
