"""Response headers and redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user.is_authenticated or request.endpoint in {"auth.login"}:
        headers["Cache-Control"] = "no-store"
    return response


def safe_next_path(target: str | None) -> str | None:
    """An internal path to go back to after login, or None.

    Browsers treat a backslash as a slash, so `/\\evil` and `\\/evil` are as external as
    `//evil`: refuse any backslash, control character, scheme or host.
    """
    if not target or len(target) > 2000:
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
