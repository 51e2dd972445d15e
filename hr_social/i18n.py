"""Locale choice and Quebec date formats.

Interface strings are written in French in the source (French first: a missing translation
still reads as French to the users who matter most); the English catalogue translates them.
"""

from __future__ import annotations

import datetime as dt
import functools
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import flask_babel
import flask_wtf.i18n
from babel import support
from flask import current_app, has_request_context, session
from flask.globals import _cv_app
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

LOCALES = {"fr_CA": "Français", "en": "English"}


def select_locale() -> str:
    if not has_request_context():  # CLI jobs and cron e-mails: the organisation's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.preferred_locale:
        return current_user.preferred_locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else current_app.config["BABEL_DEFAULT_LOCALE"]


def local_time(value: dt.datetime) -> dt.datetime:
    return value.astimezone(ZoneInfo(current_app.config["ORGANISATION_TIMEZONE"]))


def date_filter(value) -> str:
    """2026-11-26 in French (the Quebec standard numeric date), 'Nov 26, 2026' in English."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = local_time(value).date()
    if str(get_locale()).startswith("fr"):
        return value.isoformat()
    return format_date(value, "medium")


def datetime_filter(value) -> str:
    """2026-11-26 14 h 05 in French (non-breaking spaces: the time stays on one line);
    local time of the organisation."""
    if value is None:
        return "—"
    if str(get_locale()).startswith("fr"):
        local = local_time(value)
        return f"{local:%Y-%m-%d} {local.hour}\u00a0h\u00a0{local.minute:02d}"
    return format_datetime(value, "medium")


def _babel_context() -> SimpleNamespace | None:
    """flask_babel's per-request namespace (``g._flask_babel``), reached through Flask's
    context variable. flask_babel's own ``_get_current_context`` goes through the ``g``
    proxy three times and runs about three times per translated string: some 400 calls and
    1,200 proxy look-ups per page, the largest share of a page's CPU after the template
    itself (issue 15, item 7). Same namespace, same answers, without the proxies."""
    context = _cv_app.get(None)
    if context is None:
        return None
    try:
        return context.g._flask_babel
    except AttributeError:
        namespace = context.g._flask_babel = SimpleNamespace()
        return namespace


@functools.cache
def _wtforms_catalogue(locale: str):
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def _wtforms_translations():
    if not has_request_context():
        return None
    return _wtforms_catalogue(str(get_locale()))


def init_app(app) -> None:
    # flask_babel looks its per-request namespace up through this module-level function
    # (get_locale, get_domain, Domain.get_translations); the faster equivalent replaces it.
    flask_babel._get_current_context = _babel_context
    # Flask-WTF read WTForms' catalogue from disk at every request holding a form (0.3 ms):
    # it is read once per language and process instead.
    flask_wtf.i18n._get_translations = _wtforms_translations
    app.jinja_env.filters["date_qc"] = date_filter
    app.jinja_env.filters["datetime_qc"] = datetime_filter
    app.jinja_env.filters["thousands"] = flask_babel.format_decimal  # « 1 000 », "1,000"
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())

    from hr_social.permissions import role_labels
    from hr_social.web.navigation import nav_for

    app.jinja_env.filters["role_labels"] = role_labels

    from hr_social import typography
    from hr_social.extensions import babel

    typography.install(app, babel)  # « d'André », not « de André »

    app.jinja_env.globals["nav_for"] = nav_for
