"""Direction générale delegation, shared by every domain the DG decides in.

The DG names a delegate for a period (``DgDelegation``, table ``dg_delegations``); during that
period the delegate acts as the DG, in the DG's name (``actor_for``). Domains ask
``acts_as_dg(user)`` in ``visible_to`` and ``actor_for(user)`` before ``apply_transition``;
notices to "the DG" go to ``dg_addresses()``. This package imports no domain (users are
reached through relationships by name). The screens that name or cancel a delegate live in
access_requests for now.
"""

from hr_social.delegation.services import (
    active_delegation,
    actor_for,
    acts_as_dg,
    delegate_addresses,
    delegates_on,
    in_force_for,
    note_no_delegation,
)

__all__ = ["active_delegation", "acts_as_dg", "actor_for", "delegate_addresses",
           "delegates_on", "in_force_for", "note_no_delegation"]
