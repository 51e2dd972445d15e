"""The one way a view applies a change: validate, call the service, commit once or roll back,
and show the outcome in French.

    outcome = perform(form, lambda: services.op(current_user, target, **fields),
                      success=_("C'est enregistré."))
    if outcome.done:
        return redirect(...)
    return render_template(..., form=form), outcome.status      # 200 on GET, 422 refused

A bare button posts and goes back to its page (Post/Redirect/Get): pass ``flash_errors=True``
so the refusal is flashed instead of written on a form nobody sees, and answer with
``back_to(url, outcome)``: a redirect when it went through, a 422 page that shows the refusal
and links back when it did not (every refused POST answers 422).
See docs/architecture.md, "Forms and requests".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template
from flask_babel import gettext as _

from hr_social.db import db
from hr_social.errors import DomainError

REFUSED = 422  # every refused POST that shows its page again answers this status


@dataclass(frozen=True)
class Outcome:
    done: bool  # the operation ran and its change is committed
    value: object = None  # what the operation returned
    status: int = 200  # for the page shown again: 200 (not submitted) or 422 (refused)


def perform(form, operation: Callable[[], object], *,
            success: str | Callable[[object], str | None] | None = None,
            flash_errors: bool = False,
            on_refused: Callable[[DomainError], None] | None = None) -> Outcome:
    """Apply ``operation()`` if ``form`` validates (which claims its one-time key).

    On success: one commit, then ``success`` (a message, or a function of the operation's
    result returning one) is flashed. On a ``DomainError``: rollback, so nothing of the
    attempt is kept (key included); an error whose ``http_status`` is 403 or 404
    (``NotPermitted``) aborts with it; otherwise ``on_refused(error)`` runs (it may write and
    commit something of its own, such as a failed-password count) and the refusal is shown:
    its message flashed, each field's message on its field (flashed with the field's label
    too with ``flash_errors``). A form that does not validate answers 422 as well (its
    errors flashed with ``flash_errors``).
    """
    if not form.validate_on_submit():
        if not form.is_submitted():
            return Outcome(False)
        if flash_errors:
            _flash_form_errors(form)
        return Outcome(False, status=REFUSED)
    try:
        value = operation()
    except DomainError as error:
        db.session.rollback()
        if error.http_status in (403, 404):
            abort(error.http_status)
        if on_refused is not None:
            on_refused(error)
        show_refusal(form, error, flash_errors=flash_errors)
        return Outcome(False, status=REFUSED)
    db.session.commit()
    message = success(value) if callable(success) else success
    if message:
        flash(message, "success")
    return Outcome(True, value)


def show_refusal(form, error: DomainError, *, flash_errors: bool = False) -> None:
    """Show a service's refusal: its message flashed, each field's message next to its field
    (flashed too, with the field's label, when the view does not show the form again)."""
    messages = [error.message] if error.message else []
    for name, message in error.field_errors.items():
        if name in form and not flash_errors:
            form[name].errors = [*form[name].errors, message]
        else:
            messages.append(_labelled(form, name, message))
    if messages:
        flash(" ".join(messages), "error")


def _flash_form_errors(form) -> None:
    messages = [str(m) for m in form.form_errors]
    fields = [_labelled(form, name, m) for name, errors in form.errors.items()
              if name is not None  # None: form-level errors, in form_errors already
              for m in errors]
    if fields:
        messages += [_("Le formulaire contient des erreurs :"), *fields]
    flash(" ".join(dict.fromkeys(messages)) or _("Formulaire expiré : rechargez la page."),
          "error")


def _labelled(form, name: str, message) -> str:
    field = form._fields.get(name)
    if field is None or field.type in {"HiddenField", "CSRFTokenField"}:
        return str(message)
    return f"{field.label.text} : {message}"


def back_to(url: str, outcome: Outcome):
    """The answer to a bare button: back to its page, or the refusal (422) with a link back."""
    if outcome.status == REFUSED:
        return render_template("errors/refused.html", back=url), REFUSED
    return redirect(url)
