"""The organisation's calendar: "today" is the date in its time zone, not the server's.

Every "not in the future" check and every due date uses ``local_today()``: a server in UTC
would otherwise refuse a departure dated today after 20 h in Québec.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from hr_social.config import DEFAULTS


def organisation_zone() -> ZoneInfo:
    """The ORGANISATION_TIMEZONE setting (its default outside an application context)."""
    key = "ORGANISATION_TIMEZONE"
    return ZoneInfo(current_app.config[key] if has_app_context() else DEFAULTS[key])


def local_today() -> dt.date:
    return dt.datetime.now(organisation_zone()).date()
