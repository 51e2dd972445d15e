"""Signals other domains subscribe to, sent inside the transaction of the change.

Receivers only add to the session and flush (no commit): the change and its consequences
(grants revoked on departure, acknowledgements created on hiring…) stand or fall together.
Each receives ``sender=person`` and ``actor=`` (the acting user, or None for a CLI job).
"""

from blinker import Namespace

_signals = Namespace()

person_created = _signals.signal("person-created")
person_departed = _signals.signal("person-departed")
# Also receives ``old_service_id=`` and ``new_service_id=``.
person_service_changed = _signals.signal("person-service-changed")
