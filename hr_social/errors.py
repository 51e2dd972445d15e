"""The one way a service refuses a change.

Every domain raises a ``DomainError`` (or a subclass) with a French message safe to show and,
when the refusal is about particular form fields, ``field_errors`` naming them. Views do not
catch it by hand: ``hr_social.web.actions.perform`` rolls back, answers 422 and shows it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refused change; nothing of it may be kept.

    ``message``: French text for the user (above the form, or flashed). ``field_errors``:
    form field name -> French message; a ``None`` key is a message about the whole form (kept
    for services that collect their checks in one dict). Without a message, ``str(error)``
    joins the field messages.
    """

    http_status = 422  # Unprocessable: the request was understood and refused

    def __init__(self, message: str | None = None,
                 field_errors: dict[str | None, str] | None = None):
        fields = {name: str(text) for name, text in (field_errors or {}).items()}
        general = fields.pop(None, None)
        if message is not None and general is not None:
            message = f"{message} {general}"
        self.message = str(message) if message is not None else general
        self.field_errors: dict[str, str] = fields
        super().__init__(self.message or "; ".join(fields.values()))
