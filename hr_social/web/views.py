"""Dashboard, language choice and health check."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from hr_social.db import db
from hr_social.i18n import LOCALES
from hr_social.permissions import login_required_any, public
from hr_social.web.dashboard import home_for, record_visit
from hr_social.web.security import safe_next_path

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
@login_required_any
def dashboard():
    """The home: what the person must act on (oldest first, one-click actions inline), what
    happened since their last visit, number cards to each queue. At most three statements
    (web/dashboard.py)."""
    # First: a new sitting moves where the news start. Written with the first query's
    # autoflush, committed once the page is made (committing now would reload the user).
    record_visit(current_user)
    home = home_for(current_user)
    page = render_template("main/dashboard.html", home=home, cards=home.cards)
    db.session.commit()
    return page


@blueprint.post("/locale/<code>")
@public
def set_locale(code: str):
    # CSRFProtect checks the token; choosing a language twice is harmless.
    if code in LOCALES:
        session["locale"] = code
        if current_user.is_authenticated:
            current_user.preferred_locale = code
        db.session.commit()
    return redirect(safe_next_path(request.form.get("next")) or url_for("main.dashboard"))


@blueprint.get("/health")
@public
def health():
    return {"status": "ok"}
