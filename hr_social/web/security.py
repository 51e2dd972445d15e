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


def init_app(app) -> None:
    """Headers on every response (errors and static files included) and, behind a reverse
    proxy, the client's real address: login throttling counts per address."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.after_request(set_security_headers)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    # Static files are the same for everyone (and need no session lookup); pages shown to a
    # logged-in user, and the login form, must not stay in a shared or back-button cache.
    if request.endpoint != "static" and (
        request.endpoint == "auth.login" or current_user.is_authenticated
    ):
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
