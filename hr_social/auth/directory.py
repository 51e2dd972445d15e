"""Directory sign-in (LDAP / Active Directory) through ldap3.

With LDAP_URL set, a username unknown here (or a login created by the directory) is
checked against the directory: the service account (or an anonymous bind) finds the entry
with LDAP_USER_FILTER, then the application binds as that entry with the typed password.
The entry is matched to an active Person by employee number (or e-mail); the first sign-in
creates the login with the employee role only. Roles beyond employee stay granted in the
application, unless LDAP_GROUP_ROLES maps directory groups to roles: those roles are then
set from the groups at each sign-in (audited when they change).

Local passwords keep working for local logins (administrators, organisations without a
directory), also while the directory is down.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from sqlalchemy import func, select

from hr_social.audit.services import record
from hr_social.db import db, utcnow
from hr_social.errors import DomainError
from hr_social.people.models import Person, User, UserRole

# A password hash no password verifies against: directory logins have no local password.
NO_LOCAL_PASSWORD = "!directory"  # noqa: S105


class DirectoryUnavailable(Exception):
    pass


class DirectoryRefusal(DomainError):
    """The directory accepted the password but the application cannot let the person in;
    the message is safe to show, ``reason`` goes to the audit trail."""

    def __init__(self, message: str, reason: str, **details):
        super().__init__(message)
        self.reason, self.details = reason, details


@dataclass
class DirectoryEntry:
    dn: str
    employee_numbers: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)


def enabled() -> bool:
    return bool(current_app.config.get("LDAP_URL"))


def handles(user: User | None) -> bool:
    """Whether this sign-in goes to the directory (local logins never do)."""
    return enabled() and (user is None or user.auth_source == "directory")


def _server() -> Server:
    config = current_app.config
    tls = Tls(validate=ssl.CERT_REQUIRED if config["LDAP_TLS_VERIFY"] else ssl.CERT_NONE,
              ca_certs_file=config["LDAP_CA_FILE"] or None)
    return Server(config["LDAP_URL"], get_info=NONE, tls=tls,
                  connect_timeout=config["LDAP_TIMEOUT_SECONDS"])


def _bind(server: Server, dn: str | None, password: str | None) -> Connection | None:
    config = current_app.config
    connection = Connection(server, user=dn or None, password=password or None,
                            receive_timeout=config["LDAP_TIMEOUT_SECONDS"],
                            raise_exceptions=False)
    connection.open()
    if config["LDAP_START_TLS"]:
        connection.start_tls()
    return connection if connection.bind() else None


def _values(attributes, name: str) -> list[str]:
    value = attributes.get(name) if name else None
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def find_and_bind(username: str, password: str) -> DirectoryEntry | None:
    """The entry whose password this is, or None (unknown user or wrong password)."""
    config = current_app.config
    if not password:  # an empty password would be an anonymous bind, accepted by servers
        return None
    number_attr = config["LDAP_EMPLOYEE_NUMBER_ATTRIBUTE"]
    mail_attr = config["LDAP_EMAIL_ATTRIBUTE"]
    try:
        server = _server()
        service = _bind(server, config["LDAP_BIND_DN"], config["LDAP_BIND_PASSWORD"])
        if service is None:
            raise DirectoryUnavailable("service bind refused")
        search = config["LDAP_USER_FILTER"].format(username=escape_filter_chars(username))
        service.search(config["LDAP_BASE_DN"], search, SUBTREE,
                       attributes=[a for a in (number_attr, mail_attr) if a], size_limit=2)
        entries = list(service.entries)
        if len(entries) != 1:
            service.unbind()
            return None
        found = entries[0]
        attributes = found.entry_attributes_as_dict
        entry = DirectoryEntry(dn=found.entry_dn, employee_numbers=_values(attributes, number_attr),
                               emails=[e.lower() for e in _values(attributes, mail_attr)])
        user_connection = _bind(server, entry.dn, password)
        if user_connection is None:
            service.unbind()
            return None
        user_connection.unbind()
        entry.groups = _groups(service, entry.dn)
        service.unbind()
        return entry
    except LDAPException as error:
        raise DirectoryUnavailable(str(error)) from error


def _groups(connection: Connection, dn: str) -> set[str]:
    config = current_app.config
    if not group_roles():
        return set()
    base = config["LDAP_GROUP_BASE_DN"] or config["LDAP_BASE_DN"]
    connection.search(base, config["LDAP_GROUP_FILTER"].format(dn=escape_filter_chars(dn)),
                      SUBTREE, attributes=[])
    return {entry.entry_dn.lower() for entry in connection.entries}


def group_roles() -> dict[str, str]:
    """LDAP_GROUP_ROLES "group DN=role;group DN=role" as {group dn (lower case): role}."""
    from hr_social.permissions import ROLES

    mapping = {}
    for item in (current_app.config.get("LDAP_GROUP_ROLES") or "").split(";"):
        if "=" in item:
            group, role = item.rsplit("=", 1)
            if role.strip() in ROLES and group.strip():
                mapping[group.strip().lower()] = role.strip()
    return mapping


def _person_for(entry: DirectoryEntry) -> Person:
    by = current_app.config["LDAP_MATCH_BY"]
    keys = entry.emails if by == "email" else entry.employee_numbers
    if not keys:
        missing = _("Votre fiche de l'annuaire n'indique pas de matricule.") if by != "email" \
            else _("Votre fiche de l'annuaire n'indique pas de courriel.")
        raise DirectoryRefusal(missing + " " + _("Communiquez avec les Ressources humaines."),
                               "no_identifier", dn=entry.dn)
    column = func.lower(Person.email) if by == "email" else Person.employee_number
    people = db.session.scalars(select(Person).where(column.in_(keys))).all()
    if len(people) > 1:
        raise DirectoryRefusal(_("Votre fiche de l'annuaire correspond à plusieurs personnes "
                                 "de l'application. Communiquez avec les Ressources humaines."),
                               "ambiguous", dn=entry.dn,
                               people=sorted(p.employee_number for p in people))
    if not people or not people[0].is_active:
        raise DirectoryRefusal(_("Votre compte de l'annuaire ne correspond à aucune personne "
                                 "active de l'application. Communiquez avec les Ressources "
                                 "humaines."), "not_a_person", dn=entry.dn, keys=keys)
    return people[0]


def _login_for(username: str, person: Person) -> User:
    user = person.user
    if user is not None and user.auth_source != "directory":
        raise DirectoryRefusal(_("Vous avez déjà un compte local (%(u)s) : connectez-vous "
                                 "avec celui-ci.", u=user.username), "has_local_login",
                               user=user.username)
    if user is None:
        if User.by_username(username) is not None:
            raise DirectoryRefusal(_("Le nom d'utilisateur %(u)s est déjà pris dans "
                                     "l'application. Communiquez avec l'administration.",
                                     u=username), "username_taken")
        user = User(username=username, password_hash=NO_LOCAL_PASSWORD, person=person,
                    auth_source="directory", password_changed_at=utcnow(),
                    roles=[UserRole(role="employee")])
        db.session.add(user)
        db.session.flush()
        record("user.created", user, actor=user, after={
            "username": username, "roles": ["employee"], "via": "directory",
            "person": person.employee_number})
    return user


def _apply_group_roles(user: User, entry: DirectoryEntry) -> None:
    mapping = group_roles()
    if not mapping:
        return
    wanted = {role for group, role in mapping.items() if group in entry.groups}
    before = sorted(user.role_names)
    for role in list(user.roles):
        if role.role in mapping.values() and role.role not in wanted and role.role != "employee":
            user.roles.remove(role)
    for name in wanted - user.role_names:
        user.roles.append(UserRole(role=name))
    after = sorted({r.role for r in user.roles})
    if after != before:
        db.session.flush()
        record("user.roles_changed", user, before={"roles": before},
               after={"roles": after, "via": "directory groups"}, actor=user)


def sign_in(username: str, password: str) -> tuple[User | None, bool]:
    """(login, password right) for a directory sign-in; DirectoryRefusal or
    DirectoryUnavailable when the person cannot be let in for another reason."""
    entry = find_and_bind(username, password)
    if entry is None:
        return User.by_username(username), False
    user = _login_for(username, _person_for(entry))
    if user.is_active:
        _apply_group_roles(user, entry)
    return user, True


def check_password(user: User, password: str) -> bool:
    """Re-check a signed-in user's password (signing a document): directory logins bind."""
    from hr_social.auth.passwords import verify_password

    if user.auth_source != "directory":
        return verify_password(user.password_hash, password)
    try:
        entry = find_and_bind(user.username, password)
    except DirectoryUnavailable:
        return False
    return entry is not None
