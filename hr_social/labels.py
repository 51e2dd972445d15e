"""The French label of a coded value, as an attribute of the model holding the value.

    class Consent(db.Model):
        state_label = LabelOf("state", STATES)

``consent.state_label`` is ``str(STATES[consent.state])``; a code missing from the mapping
shows as itself (never an error on a page), an empty value as ``missing`` ("" by default).
Templates, lists and status badges (``web/status.py``) read these attributes.
"""

from __future__ import annotations


class LabelOf:
    def __init__(self, attribute: str, labels, *, missing="") -> None:
        self.attribute, self.labels, self.missing = attribute, labels, missing

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return self.of(getattr(obj, self.attribute))

    def of(self, value) -> str:
        """The label of a value read without its object (a list's plain rows):
        ``AccessItem.state_label.of(row.state)``."""
        if value is None or value == "":
            return str(self.missing)
        return str(self.labels.get(value, value))
