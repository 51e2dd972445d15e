"""Workflow definitions and the single function that applies a transition."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, update
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from hr_social.audit.services import events_for, record
from hr_social.db import db
from hr_social.errors import DomainError


class WorkflowMixin:
    """State and optimistic-lock version columns of an object driven by a workflow.

    The model sets ``workflow = Workflow(...)`` once its class exists (see access_requests).
    """

    workflow: ClassVar[Workflow]
    state: Mapped[str] = mapped_column(String(30), index=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")


class TransitionError(DomainError):
    """A transition refused; ``str(error)`` is a French message for the user (422)."""


class NotPermitted(TransitionError):
    """The actor holds no role the transition allows: 403, never a message."""

    http_status = 403


class GuardFailed(TransitionError):
    """The transition's guard refused (a rule of the domain)."""


class AlreadyProcessed(TransitionError):
    """The object is no longer in the state the actor saw: someone else acted first."""


# Conflict wordings (placeholders: what = the workflow's label of the object, who = the last
# actor, state = the current state's label). French agrees with the noun, so a workflow
# whose label is a feminine or masculine noun picks the matching sentence; the default reads
# correctly whatever the noun.
CONFLICT_NEUTRAL = _l("%(what)s : %(who)s a agi avant vous et l'état est maintenant "
                      "« %(state)s ». Rien n'a été modifié.")
CONFLICT_FEMININE = _l("%(what)s a déjà été traitée par %(who)s : elle est maintenant "
                       "« %(state)s ». Rien n'a été modifié.")
CONFLICT_MASCULINE = _l("%(what)s a déjà été traité par %(who)s : il est maintenant "
                        "« %(state)s ». Rien n'a été modifié.")


@dataclass(frozen=True)
class Actor:
    """Who acts: the user, the roles they act with, and whom they act for (a delegate)."""

    user: object | None  # None: a system job (cron)
    roles: frozenset[str]
    on_behalf_of: object | None = None

    @property
    def is_system(self) -> bool:
        return self.user is None


SYSTEM = "system"  # pseudo-role held only by system jobs (Actor(user=None))
OWNER = "owner"  # the usual relation: the person the object belongs to (e.g. a requester)


def no_relations(obj, user) -> set[str]:
    return set()


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]  # user roles or relations (workflow.relations) that may; "system" = jobs
    guard: Callable | None = None  # (obj, actor, data) -> French error message or None
    values: Callable | None = None  # (obj, actor, data) -> extra columns set in the UPDATE
    after: Callable | None = None  # (obj, actor, data) -> None: side effects (rows, notices)
    notify: Callable | None = None  # (obj, actor, data) -> None: queue e-mails
    audit_fields: tuple[str, ...] = ()  # columns shown before → after in the audit entry
    verb: str | None = None  # audit verb, past participle ("submitted"); default: the name

    @property
    def audit_verb(self) -> str:
        return self.verb or self.name


@dataclass
class Workflow:
    """A named state machine for one model."""

    name: str  # audit action prefix: "<name>.<transition>"
    model: type
    states: dict[str, object]  # state -> French label (lazy)
    transitions: list[Transition] = field(default_factory=list)
    # (obj, user) -> set of relation names the user holds to obj ("owner", "manager_of_person",
    # "case_handler"...): a transition's roles may name them as they name user roles.
    relations: Callable[[object, object], set[str]] = no_relations
    label: Callable = lambda obj: _("Cet élément")  # noqa: E731
    conflict_message: object = CONFLICT_NEUTRAL  # a template with what, who and state

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        if len(self._by_name) != len(self.transitions):
            raise ValueError(f"{self.name}: duplicate transition names")
        for t in self.transitions:
            unknown = ({t.target, *t.sources}) - set(self.states)
            if unknown:
                raise ValueError(f"{self.name}.{t.name}: unknown states {unknown}")

    def transition(self, name: str) -> Transition:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(f"{self.name}: no transition {name!r}") from None

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def roles_of(self, obj, actor: Actor) -> set[str]:
        """The actor's roles on this object: the actor's roles plus its relations to the
        object. Only the code builds a system actor: a relation never grants "system"."""
        if actor.is_system:
            return {SYSTEM}
        return set(actor.roles) | (set(self.relations(obj, actor.user)) - {SYSTEM})

    def may(self, obj, transition: Transition | str, actor: Actor) -> bool:
        """Whether the actor holds a role the transition allows (state and guard aside)."""
        t = self.transition(transition) if isinstance(transition, str) else transition
        return bool(self.roles_of(obj, actor) & set(t.roles))

    def available(self, obj, actor: Actor, data: dict | None = None) -> list[Transition]:
        """Transitions the actor could apply now (for buttons in templates)."""
        return [
            t for t in self.transitions
            if obj.state in t.sources and self.may(obj, t, actor)
            and not (t.guard and t.guard(obj, actor, data or {}))
        ]

    def can(self, obj, name: str, actor: Actor, data: dict | None = None) -> bool:
        return any(t.name == name for t in self.available(obj, actor, data))


def _last_actor_label(obj) -> str | None:
    events = events_for(obj.__tablename__, obj.id)
    if not events:
        return None
    last = events[-1]
    if last.on_behalf_of_label:
        return _("%(who)s au nom de %(dg)s", who=last.actor_label, dg=last.on_behalf_of_label)
    return last.actor_label


def _already_processed(workflow: Workflow, obj) -> AlreadyProcessed:
    who = _last_actor_label(obj) or _("une autre personne")
    return AlreadyProcessed(str(workflow.conflict_message) % {
        "what": workflow.label(obj), "who": who, "state": workflow.state_label(obj.state)})


def apply_transition(obj, name: str, actor: Actor, **data):
    """Apply one transition in the current transaction (flush only). Raises a
    ``TransitionError`` (nothing written) when the actor may not, the guard refuses, or the
    object was moved meanwhile by someone else."""
    workflow = type(obj).workflow
    t = workflow.transition(name)
    if not workflow.may(obj, t, actor):
        raise NotPermitted(_("Vous n'avez pas le droit d'effectuer cette action."))
    if obj.state not in t.sources:
        raise _already_processed(workflow, obj)
    if t.guard and (message := t.guard(obj, actor, data)):
        raise GuardFailed(message)

    model = type(obj)
    expected_state, expected_version = obj.state, obj.version
    before = {"state": expected_state, **{f: getattr(obj, f) for f in t.audit_fields}}
    extra = t.values(obj, actor, data) if t.values else {}
    result = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.state == expected_state,
               model.version == expected_version)
        .values(state=t.target, version=model.version + 1, **extra)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        # Someone committed a transition between our read and our write: reload and say who.
        db.session.refresh(obj)
        raise _already_processed(workflow, obj)
    db.session.refresh(obj)
    after = {"state": obj.state, **{f: getattr(obj, f) for f in t.audit_fields}}
    if t.after:
        t.after(obj, actor, data)
    record(f"{workflow.name}.{t.audit_verb}", obj, before=before, after=after, actor=actor.user,
           on_behalf_of=actor.on_behalf_of)
    if t.notify:
        t.notify(obj, actor, data)
    db.session.flush()
    return obj


def claim(obj) -> None:
    """For a change made outside a transition (e.g. editing a draft's content): bump the
    version only if the object is still in the state and version this request read, or
    raise ``AlreadyProcessed`` (nothing written). The same conditional update as
    ``apply_transition``: a concurrent transition and this change cannot both stand."""
    model = type(obj)
    expected_state, expected_version = obj.state, obj.version
    result = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.state == expected_state,
               model.version == expected_version)
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(obj)
        raise _already_processed(model.workflow, obj)
    set_committed_value(obj, "version", expected_version + 1)


def user_actor(user, extra_roles: Iterable[str] = (), on_behalf_of=None) -> Actor:
    return Actor(user, frozenset(user.role_names) | frozenset(extra_roles), on_behalf_of)


SYSTEM_ACTOR = Actor(None, frozenset({SYSTEM}))
