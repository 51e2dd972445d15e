"""Configuration: defaults, then the environment, then explicit overrides (tests)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "ORGANISATION_TIMEZONE": "America/Toronto",
    "BABEL_DEFAULT_LOCALE": "fr_CA",
    "BABEL_DEFAULT_TIMEZONE": "America/Toronto",
    "SUPPORTED_LOCALES": ("fr_CA", "en"),
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "UPLOAD_MAX_BYTES": 8 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "hr_social_session",
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_ABSOLUTE_HOURS": 10,
    # The cookie is signed again only when the session changes (log-in, flash, language):
    # it lives SESSION_ABSOLUTE_HOURS from the log-in, and the idle and absolute limits are
    # checked on the server (user_sessions) at every page anyway (issue 15, item 7).
    "SESSION_REFRESH_EACH_REQUEST": False,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_THROTTLE_WINDOW_MINUTES": 15,  # longest wait between two checks (auth/throttle.py)
    "LOGIN_DELAY_BASE_SECONDS": 30,  # first wait past the free failures, doubled each time
    "LOGIN_FAILURE_MEMORY_HOURS": 24,  # failures forgotten after this long without one
    # Networks (CIDR, comma-separated) counted per account only, in their own scope.
    "LOGIN_TRUSTED_NETWORKS": "",
    "LOGIN_LINK_MINUTES": 15,  # life of a sign-in link sent by e-mail
    "LOGIN_LINKS_PER_HOUR": 3,  # links one account may be sent in an hour
    "PASSWORD_MIN_LENGTH": 12,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "PREFERRED_URL_SCHEME": "http",
    "HSTS": False,
    "SMTP_HOST": "",
    "SMTP_PORT": 587,
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_STARTTLS": True,
    "MAIL_SENDER": "hr-social@localhost",
    # "background": after each commit that queued mail the jobs runner delivers it (thread
    # or RQ, as for jobs); "cron": only `flask mail deliver` does. Never the request itself.
    "MAIL_DELIVERY": "background",
    "BASE_URL": "http://127.0.0.1:5000",
    "PAGE_SIZE": 25,
    # Each process keeps the organisation's name and logo this long (docs/operations.md).
    "ORGANISATION_BRAND_CACHE_SECONDS": 30,
    "REDIS_URL": "",
    # Access requests (policy §4): review period of a grant, notice before it ends, delays
    # after which an undecided request is flagged to the DG, then closed as not decided.
    "ACCESS_REVIEW_MONTHS": 12,
    "ACCESS_EXPIRY_NOTICE_DAYS": 30,
    "ACCESS_FLAG_AFTER_DAYS": 30,
    "ACCESS_CLOSE_AFTER_DAYS": 60,
    # PDFs and background jobs (acknowledgements; see docs/pdf.md).
    "PDF_WARM_AT_START": True,
    "PDF_WORKERS": 2,
    "PDF_GROUP_SIZE": 25,
    "JOBS_RUNNER": "thread",
    "ACK_POLICY_MAX_BYTES": 1024 * 1024,
    "ACK_PDF_VARIANT": "pdf/a-3b",
    "ACK_SEAL_KEY": "",
    "ACK_SEAL_CERT": "",
    "ACK_VERIFY_MAX_ATTEMPTS": 30,
    "ACK_VERIFY_WINDOW_MINUTES": 15,
    "ACK_VERIFY_MIN_SECONDS": 0.3,
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust
    # (nginx in front of gunicorn: 1). 0 trusts none: the client address is the socket's.
    "TRUSTED_PROXIES": 0,
    "BACKUP_DIR": "",  # default: <instance>/backups
    "PG_DUMP": "",  # default: found on PATH
    "PG_RESTORE": "",
    # Scratch databases made by `flask backup --verify` on PostgreSQL start with this.
    "BACKUP_VERIFY_DB_PREFIX": "hr_social_verify_",
    # Sign-in (docs/operations.md, "Connexion"). Invitation links live this many days.
    "INVITATION_DAYS": 7,
    # Roles that must enrol a TOTP authenticator before using the application (the DG's
    # delegates too, while acting as DG); TWO_FACTOR_EVERYONE extends it to every login.
    "TWO_FACTOR_ROLES": "hr,dg,admin,privacy",
    "TWO_FACTOR_EVERYONE": False,
    "TWO_FACTOR_ISSUER": "hr_social",
    # Directory sign-in (LDAP / Active Directory): off while LDAP_URL is empty.
    "LDAP_URL": "",
    "LDAP_BIND_DN": "",
    "LDAP_BIND_PASSWORD": "",
    "LDAP_BASE_DN": "",
    "LDAP_USER_FILTER": "(uid={username})",
    "LDAP_EMPLOYEE_NUMBER_ATTRIBUTE": "employeeNumber",
    "LDAP_EMAIL_ATTRIBUTE": "mail",
    "LDAP_MATCH_BY": "employee_number",  # or "email"
    "LDAP_GROUP_BASE_DN": "",
    "LDAP_GROUP_FILTER": "(&(objectClass=groupOfNames)(member={dn}))",
    "LDAP_GROUP_ROLES": "",  # "cn=rh,ou=groupes,dc=ville,dc=qc=hr;cn=gest,…=manager"
    "LDAP_START_TLS": False,
    "LDAP_TLS_VERIFY": True,
    "LDAP_CA_FILE": "",
    "LDAP_TIMEOUT_SECONDS": 5,
    # Audit chain anchors (docs/operations.md). The key never goes in the database: default
    # <instance>/audit_hmac_key (created 0600); checkpoints default to
    # <instance>/audit-checkpoints.jsonl; an address receives a copy of each checkpoint.
    "AUDIT_HMAC_KEY": "",
    "AUDIT_CHECKPOINT_FILE": "",
    "AUDIT_CHECKPOINT_EMAIL": "",
}

# Environment variables read as they are (strings) or converted.
ENV_STRINGS = (
    "SECRET_KEY", "SMTP_HOST", "SMTP_USER", "SMTP_PASSWORD", "MAIL_SENDER", "BASE_URL",
    "REDIS_URL", "ORGANISATION_TIMEZONE", "BACKUP_DIR", "PG_DUMP", "PG_RESTORE",
    "BACKUP_VERIFY_DB_PREFIX", "AUDIT_HMAC_KEY", "AUDIT_CHECKPOINT_FILE",
    "AUDIT_CHECKPOINT_EMAIL", "LOGIN_TRUSTED_NETWORKS", "MAIL_DELIVERY",
    "TWO_FACTOR_ROLES", "TWO_FACTOR_ISSUER", "LDAP_URL",
    "LDAP_BIND_DN", "LDAP_BIND_PASSWORD", "LDAP_BASE_DN", "LDAP_USER_FILTER",
    "LDAP_EMPLOYEE_NUMBER_ATTRIBUTE", "LDAP_EMAIL_ATTRIBUTE", "LDAP_MATCH_BY",
    "LDAP_GROUP_BASE_DN", "LDAP_GROUP_FILTER", "LDAP_GROUP_ROLES", "LDAP_CA_FILE",
)
ENV_INTS = (
    "SMTP_PORT", "SESSION_IDLE_MINUTES", "SESSION_ABSOLUTE_HOURS", "MAX_CONTENT_LENGTH",
    "UPLOAD_MAX_BYTES", "PAGE_SIZE", "LOGIN_MAX_FAILURES_PER_ACCOUNT",
    "LOGIN_MAX_FAILURES_PER_ADDRESS", "LOGIN_THROTTLE_WINDOW_MINUTES", "PASSWORD_MIN_LENGTH",
    "TRUSTED_PROXIES", "ACCESS_REVIEW_MONTHS", "ACCESS_EXPIRY_NOTICE_DAYS",
    "ACCESS_FLAG_AFTER_DAYS", "ACCESS_CLOSE_AFTER_DAYS", "LOGIN_DELAY_BASE_SECONDS",
    "LOGIN_FAILURE_MEMORY_HOURS", "LOGIN_LINK_MINUTES", "LOGIN_LINKS_PER_HOUR",
    "INVITATION_DAYS", "LDAP_TIMEOUT_SECONDS", "ORGANISATION_BRAND_CACHE_SECONDS",
)
ENV_BOOLS = ("HSTS", "SMTP_STARTTLS", "SESSION_COOKIE_SECURE", "TWO_FACTOR_EVERYONE",
             "LDAP_START_TLS", "LDAP_TLS_VERIFY")


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def load_config(app, overrides: dict | None = None) -> None:
    app.config.update(DEFAULTS)
    env = os.environ
    for name in ENV_STRINGS:
        if env.get(name):
            app.config[name] = env[name]
    for name in ENV_INTS:
        if env.get(name):
            app.config[name] = int(env[name])
    for name in ENV_BOOLS:
        if env.get(name):
            app.config[name] = _bool(env[name])
    default_db = "sqlite:///" + str(Path(app.instance_path) / "hr_social.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = env.get("DATABASE_URL") or default_db
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path) / "secret_key")
    # Flask already defines SESSION_COOKIE_SECURE (False), so setdefault would never apply:
    # an explicit value (environment or overrides) wins, else HTTPS deployments get it.
    explicit = bool(env.get("SESSION_COOKIE_SECURE")) or "SESSION_COOKIE_SECURE" in (
        overrides or {}
    )
    if not explicit:
        app.config["SESSION_COOKIE_SECURE"] = app.config["BASE_URL"].startswith("https://")
    if app.config["BASE_URL"].startswith("https://"):
        app.config["PREFERRED_URL_SCHEME"] = "https"
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_ABSOLUTE_HOURS"] * 3600


def instance_secret(path: Path) -> str:
    """Read the instance secret, creating it (mode 0600) on first run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()
