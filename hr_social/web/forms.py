"""Form base classes shared by every domain."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from hr_social.column_limits import column_errors
from hr_social.db import db
from hr_social.web.input_limits import int_in_range
from hr_social.web.models import UsedSubmissionKey

OUT_OF_RANGE = _l("Valeur hors limites : choisissez une valeur proposée.")
ALREADY_SUBMITTED = _l(
    "Ce formulaire a déjà été envoyé : votre premier envoi a été pris en compte. "
    "Rechargez la page pour voir le résultat."
)


class OneTimeForm(FlaskForm):
    """A form whose submission counts once (double click, back button, replay).

    A CSRF token stays valid for the whole session, so it is no idempotency key: each
    rendering carries a random key, and a valid submission claims it in the same
    transaction as its effect. A second submission of the same rendering is refused.
    """

    submission_key = HiddenField()
    # The model whose columns the fields of the same name fill: their length and other
    # limits are checked from the model's own column definitions (column_limits).
    columns_of = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a rendering gets a new key: a submission without one must not be given one
        # (it would then count as a fresh submission every time it is replayed).
        shows_blank = kwargs.get("formdata", True) is None  # built to show, not to read
        if not self.submission_key.data and (shows_blank or not self.is_submitted()):
            self.submission_key.data = secrets.token_urlsafe(24)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = refuse_out_of_range_ints(self) and valid
        return refuse_beyond_columns(self) and valid

    def validate_on_submit(self, extra_validators=None) -> bool:
        if not super().validate_on_submit(extra_validators):
            return False
        return self.claim_submission_key()

    def claim_submission_key(self) -> bool:
        key = (self.submission_key.data or "")[:64]
        if not key:
            self.form_errors.append(ALREADY_SUBMITTED)
            return False
        try:
            with db.session.begin_nested():
                db.session.add(UsedSubmissionKey(key=key))
        except IntegrityError:
            self.form_errors.append(ALREADY_SUBMITTED)
            return False
        # If the view shows this form again (a dry run's result, a rule refused after the
        # claim), that rendering is a new one and gets its own key.
        self.submission_key.data = secrets.token_urlsafe(24)
        return True


def refuse_out_of_range_ints(form) -> bool:
    """Ids and numbers chosen in a form (``coerce=int`` selects, integer fields) must fit a
    database INTEGER: a forged 2147483648 gets a message, never a query that fails."""
    ok = True
    for field in form:
        values = field.data if isinstance(field.data, list | tuple) else [field.data]
        if any(isinstance(v, int) and not isinstance(v, bool) and not int_in_range(v)
               for v in values):
            field.errors = [*field.errors, OUT_OF_RANGE]
            ok = False
    return ok


def refuse_beyond_columns(form) -> bool:
    if form.columns_of is None:
        return True
    values = {field.name: field.data for field in form if isinstance(field.data, str | int)}
    errors = column_errors(form.columns_of, values, required=False)
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]
    return not errors


def action_fields() -> Markup:
    """The hidden fields of an ``ActionForm`` (CSRF token, a fresh one-time key) for pages
    that show one small form per row: the same inputs ``ActionForm()`` renders, without
    building a WTForms form for each row (the home shows up to thirty)."""
    return Markup('<input name="csrf_token" type="hidden" value="{}">'
                  '<input name="submission_key" type="hidden" value="{}">').format(
        generate_csrf(), secrets.token_urlsafe(24))


class ActionForm(OneTimeForm):
    """A bare button (approve, deactivate…): CSRF and one-time key, nothing else."""
