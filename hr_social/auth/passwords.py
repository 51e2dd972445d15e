"""Argon2id password hashing (argon2-cffi), parameters from configuration."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

# A hash to verify against when the account does not exist, so timing reveals nothing.
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_KIB", 65536),
        parallelism=config.get("ARGON2_PARALLELISM", 4),
    )


COMMON_PASSWORDS = {"motdepasse123", "password1234", "azertyuiop12"}


def password_error(value: str | None) -> str | None:
    """The password rule, shared by the forms, the account services and the CLI."""
    value = value or ""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(value) < minimum:
        return _("Le mot de passe doit compter au moins %(n)d caractères.", n=minimum)
    if value.lower() in COMMON_PASSWORDS:
        return _("Ce mot de passe est trop courant.")
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or hasher.hash(_DUMMY_PASSWORD), password)
    except (VerificationError, InvalidHashError):
        return False
