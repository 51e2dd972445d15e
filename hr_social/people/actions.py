"""The one-button actions of the people screens (deactivate, enable…)."""

from __future__ import annotations

from flask import flash
from flask_login import current_user

from hr_social.db import db
from hr_social.people.services import InvalidChange
from hr_social.web.forms import ActionForm


def run_button(operation, target, success: str) -> None:
    """Check the button's form, apply ``operation(actor, target)``, commit once, say how it
    went; a refused change is rolled back and explained."""
    if not ActionForm().validate_on_submit():
        return
    try:
        operation(current_user, target)
    except InvalidChange as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(success, "success")
