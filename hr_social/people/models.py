"""Services, people bound by the policy, and their user accounts."""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata

from sqlalchemy import (
    DDL,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hr_social.db import (
    FRENCH_COLLATION_POSTGRESQL,
    TimestampMixin,
    UTCDateTime,
    db,
    french_sort_key,
    written_for_postgresql,
)


class PersonKind(enum.StrEnum):
    employee = "employee"
    intern = "intern"
    volunteer = "volunteer"
    contractor = "contractor"


class Service(TimestampMixin, db.Model):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    people: Mapped[list[Person]] = relationship(back_populates="service")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def visible_to(cls, user):
        return select(cls) if user.is_authenticated else select(cls).where(false())


def search_fold(text: str | None) -> str:
    """« Émile O'Neil-Bélanger » → « emile o'neil-belanger »: what searches compare."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_text_of(first_name, last_name, employee_number) -> str:
    return search_fold(" ".join(filter(None, (first_name, last_name, employee_number))))


def _key_default(name: str):
    def default(context) -> str:
        """Rows inserted without the ORM (bulk loads) get their sort keys too."""
        return french_sort_key(context.get_current_parameters().get(name))

    return default


def _search_default(context) -> str:
    """Rows inserted without the ORM (bulk loads) get their search text too."""
    values = context.get_current_parameters()
    return search_text_of(values.get("first_name"), values.get("last_name"),
                          values.get("employee_number"))



def full_name(first_name: str, last_name: str) -> str:
    """« Hélène Dubé »: a person's name in a sentence (also for lists read as plain rows)."""
    return f"{first_name} {last_name}"


def sort_name(first_name: str, last_name: str) -> str:
    """« Dubé, Hélène »: a person's name in a list sorted by last name."""
    return f"{last_name}, {first_name}"

class Person(TimestampMixin, db.Model):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(
            "(is_active AND departed_on IS NULL) OR (NOT is_active AND departed_on IS NOT NULL)",
            name="departure_date_iff_departed",
        ),
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        # Name and number searches: trigrams on PostgreSQL (any part of a word, through the
        # index); a plain index elsewhere.
        Index("ix_people_search_text", "search_text", postgresql_using="gin",
              postgresql_ops={"search_text": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(20), unique=True)
    # SQLite sorts names in French by the stored keys below (db.french reads the info).
    first_name: Mapped[str] = mapped_column(String(100), info={"french_key": "first_name_key"})
    last_name: Mapped[str] = mapped_column(String(100), info={"french_key": "last_name_key"})
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    kind: Mapped[PersonKind] = mapped_column(
        Enum(PersonKind, native_enum=False, length=20, validate_strings=True),
        default=PersonKind.employee,
    )
    job_title: Mapped[str | None] = mapped_column(String(150))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    departed_on: Mapped[dt.date | None]
    # Unknown for people imported before it was kept; discipline refuses facts before it.
    hired_on: Mapped[dt.date | None]
    # Lower-case, unaccented names and number (search_fold): what person_matches reads.
    search_text: Mapped[str] = mapped_column(String(600), default=_search_default,
                                             server_default="")
    # French sort keys of the names (db.french_sort_key), kept with search_text: SQLite
    # reads the people list's order from ix_people_french_key instead of computing a key
    # for every person and sorting them all at each page (PostgreSQL uses its collation).
    last_name_key: Mapped[str] = mapped_column(Text, default=_key_default("last_name"),
                                               server_default="")
    first_name_key: Mapped[str] = mapped_column(Text, default=_key_default("first_name"),
                                                server_default="")

    service: Mapped[Service] = relationship(back_populates="people")
    manager: Mapped[Person | None] = relationship(
        remote_side="Person.id", back_populates="reports"
    )
    reports: Mapped[list[Person]] = relationship(back_populates="manager")
    user: Mapped[User | None] = relationship(back_populates="person")

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    @property
    def sort_name(self) -> str:
        return sort_name(self.first_name, self.last_name)

    def __str__(self) -> str:
        return self.full_name

    @classmethod
    def departed_ids(cls):
        """Ids of the people who have left: few, so conditions that go through them (an IN
        on an index) beat a look-up for every person or login."""
        return select(cls.id).where(cls.is_active.is_(False))

    @classmethod
    def manager_has_left(cls):
        """Condition: the person's manager has left."""
        return cls.manager_id.in_(cls.departed_ids())

    @classmethod
    def team_ids_query(cls, manager_person_id: int, name: str = "team"):
        """Ids of every direct and indirect report of a person (recursive CTE). Two of them
        in one statement (the home's lists) need two names."""
        team = (
            select(cls.id.label("id"), literal(1).label("depth"))
            .where(cls.manager_id == manager_person_id)
            .cte(name, recursive=True)
        )
        # The depth bound stops a corrupted manager cycle from recursing forever.
        below = (select(cls.id, team.c.depth + 1).join(team, cls.manager_id == team.c.id)
                 .where(team.c.depth < 50))
        # PostgreSQL guesses a recursive CTE at thousands of rows and hashes the whole people
        # table at each level; looking each member's reports up in the manager index (a
        # LATERAL subquery, which OFFSET 0 keeps from being flattened back into a join) reads
        # only the team (bench/list_pages.py, home: 4.4 ms → 0.3 ms at 10,000 people).
        reports = (select(cls.id).where(cls.manager_id == team.c.id).offset(0)
                   .lateral("reports"))
        by_index = (select(reports.c.id, team.c.depth + 1).select_from(team)
                    .join(reports, true()).where(team.c.depth < 50))
        team = team.union_all(written_for_postgresql(below, by_index))
        return select(team.c.id)

    @classmethod
    def visible_to(cls, user):
        """Whole directory for HR, DG and admin; a manager's team; oneself for the rest."""
        if not user.is_authenticated:
            return select(cls).where(false())
        if user.role_names & {"hr", "dg", "admin"}:
            return select(cls)
        own_id = user.person_id or -1
        if "manager" in user.role_names:
            return select(cls).where(or_(cls.id == own_id, cls.id.in_(cls.team_ids_query(own_id))))
        return select(cls).where(cls.id == own_id)

    def is_in_team_of(self, manager: Person) -> bool:
        ids = db.session.scalars(Person.team_ids_query(manager.id)).all()
        return self.id in ids


class User(TimestampMixin, db.Model):
    __tablename__ = "users"
    # The accounts list's search on the user name: trigrams on PostgreSQL (any part of it,
    # through the index); a plain index elsewhere.
    __table_args__ = (Index("ix_users_username_trigram", "username", postgresql_using="gin",
                            postgresql_ops={"username": "gin_trgm_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), unique=True)
    is_enabled: Mapped[bool] = mapped_column(default=True, server_default=true())
    preferred_locale: Mapped[str] = mapped_column(String(10), default="fr_CA")
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The home page's last visit, and where its "since your last visit" news start
    # (hr_social/web/dashboard.py: record_visit).
    home_visited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    home_news_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # "local" (password kept here) or "directory" (LDAP bind; password_hash unusable).
    auth_source: Mapped[str] = mapped_column(String(20), default="local",
                                             server_default="local")
    # A temporary password given by an administrator: changed at the next login.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Two-factor (TOTP): the secret (encrypted, see auth/totp.py), when it was confirmed,
    # and the last 30-second step accepted (that step or an earlier one is a replay).
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None]

    person: Mapped[Person | None] = relationship(back_populates="user")
    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login protocol (sessions are checked server-side, see auth.sessions).
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.is_enabled and (self.person is None or self.person.is_active)

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(role.role for role in self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names & set(roles))

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person else self.username

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def by_username(cls, username: str) -> User | None:
        return db.session.scalar(select(cls).where(func.lower(cls.username) == username.lower()))


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="roles")


class AnonymousUser:
    """Anonymous visitor with the same attributes the permission code reads."""

    is_authenticated = False
    is_active = False
    is_anonymous = True
    role_names: frozenset[str] = frozenset()
    person_id = None
    person = None
    id = None

    def get_id(self):
        return None

    def has_role(self, *roles):
        return False


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _keep_search_text(_mapper, _connection, person: Person) -> None:
    person.search_text = search_text_of(person.first_name, person.last_name,
                                        person.employee_number)
    person.last_name_key = french_sort_key(person.last_name)
    person.first_name_key = french_sort_key(person.first_name)


# The trigram operator class comes with an extension (created by migration 0008 as well).
# The people list's order (French, db.french): PostgreSQL reads the first page from this
# index instead of sorting every person (10,000 people: 9.5 ms → 0.1 ms). SQLite's order
# comes from a function registered per connection, which an index must not depend on.
Index("ix_people_french_name", Person.last_name.collate(FRENCH_COLLATION_POSTGRESQL),
      Person.first_name.collate(FRENCH_COLLATION_POSTGRESQL), Person.id
      ).ddl_if(dialect="postgresql")

# SQLite's people list: read in French order from this index, which also holds what the
# list filters on (active, service, search text, e-mail), so that a search matching few
# people walks the index alone instead of fetching every row (PostgreSQL: the collation
# index above, and the trigram index for searches, which this one must not compete with).
Index("ix_people_french_key", Person.last_name_key, Person.first_name_key, Person.id,
      Person.is_active, Person.service_id, Person.search_text, Person.email
      ).ddl_if(dialect="sqlite")

# The people who have left (few): the home's counts and the accounts list go through them
# (Person.departed_ids) without reading every person.
Index("ix_people_departed", Person.id, sqlite_where=Person.is_active.is_(False),
      postgresql_where=Person.is_active.is_(False))

SEARCH_TABLE = "people_search"
# SQLite's index of people.search_text for searches (people.search): an FTS5 table with the
# trigram tokenizer, kept in step by triggers. Created with the people table and by
# migration 0022; a migration that rebuilds the people table (batch mode) recreates them.
SQLITE_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE people_search USING fts5(search_text, content='people', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN "
    "INSERT INTO people_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN "
    "INSERT INTO people_search(people_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER people_search_update AFTER UPDATE OF search_text ON people BEGIN "
    "INSERT INTO people_search(people_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO people_search(rowid, search_text) VALUES (new.id, new.search_text); END",
)
for _statement in SQLITE_SEARCH_DDL:
    event.listen(Person.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
event.listen(Person.__table__, "before_drop",
             DDL(f"DROP TABLE IF EXISTS {SEARCH_TABLE}").execute_if(dialect="sqlite"))

event.listen(Person.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class Invitation(db.Model):
    """A single-use link e-mailed to a person so they choose their own password. Only the
    token's SHA-256 is stored; a re-send replaces it (the older link stops working)."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("accepted_at IS NULL OR cancelled_at IS NULL",
                        name="accepted_or_cancelled"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    send_count: Mapped[int] = mapped_column(default=1)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(40))

    person: Mapped[Person] = relationship()
    created_by: Mapped[User | None] = relationship()

    def status(self, now: dt.datetime) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.cancelled_at is not None:
            return "cancelled"
        return "expired" if self.expires_at <= now else "pending"
