"""How people, services and accounts plug into the rest of the application, all in one place:
menu entries and dashboard cards (the demo seeder is people/demo.py, found by ``flask demo``;
the signals people sends are declared in people/events.py). Imported once by
``hr_social/blueprints.py``."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hr_social.people import account_services as accounts
from hr_social.people import (
    demo,  # noqa: F401 - registers the demo seeder
    sentences,  # noqa: F401 - registers the words of its audit entries
)
from hr_social.people import records as _records  # noqa: F401 - registers the record types
from hr_social.people import retention as _retention  # noqa: F401 - records schedule
from hr_social.people.models import Person, User
from hr_social.web.dashboard import Counted, Shortcut, built_once, dashboard_provider
from hr_social.web.navigation import register_nav
from hr_social.web.status import register_status

register_nav("people.index", _l("Personnes"), ("hr", "admin", "dg", "manager"), order=50)
register_nav("services.index", _l("Services"), ("hr", "admin"), order=52)
register_nav("users.index", _l("Comptes"), ("admin",), order=91)


register_status("person", {"active": "ok", "departed": "muted"})
register_status("user_account", {"enabled": "ok", "disabled": "muted"})
register_status("service", {"active": "ok", "inactive": "muted"})
register_status("invitation", {"pending": "pending", "accepted": "ok", "expired": "muted",
                               "cancelled": "muted"})


@built_once
def _departed_manager_count():
    return select(func.count()).select_from(Person).where(
        Person.is_active.is_(True), Person.manager_has_left())


@built_once
def _without_login_count():
    # Active people (everyone less the few who left) less the logins of active people (one
    # login per person at most: logins with a person less those of people who left). A
    # count of a whole table and index scans of the few: no look-up per person or login.
    everyone = select(func.count()).select_from(Person)
    departed = select(func.count()).select_from(Person).where(Person.is_active.is_(False))
    logins = select(func.count()).select_from(User).where(User.person_id.is_not(None))
    departed_logins = select(func.count()).select_from(User).where(
        User.person_id.in_(Person.departed_ids()))
    return select(everyone.scalar_subquery() - departed.scalar_subquery()
                  - logins.scalar_subquery() + departed_logins.scalar_subquery())


@built_once
def _departed_with_login_count():
    return select(func.count()).select_from(User).where(*accounts.DEPARTED_WITH_LOGIN)


@dashboard_provider
def people_awaiting_hr(user) -> list:
    """HR: active people whose manager has left need a new manager; the import of the
    personnel file is one click away."""
    if not user.has_role("hr"):
        return []
    return [Counted(_("Personnes dont le gestionnaire est parti"),
                    _("Attribuez-leur un nouveau gestionnaire."),
                    url_for("people.index", manager="departed"), _departed_manager_count()),
            Shortcut(_("Importer le fichier du personnel"), url_for("people.import_csv"),
                     order=40)]


@dashboard_provider
def people_awaiting_admin(user) -> list[Counted]:
    """Admin: active people who cannot log in yet (the administration creates logins)."""
    if not user.has_role("admin"):
        return []
    return [Counted(_("Personnes actives sans compte"),
                    _("Elles ne peuvent pas se connecter à l'application : cochez-les dans la "
                      "liste et envoyez-leur une invitation."),
                    url_for("people.index", login="none"), _without_login_count())]


@dashboard_provider
def accounts_awaiting_admin(user) -> list[Counted]:
    if not user.has_role("admin"):
        return []
    return [Counted(_("Comptes de personnes parties"),
                    _("Ces comptes sont encore actifs : désactivez-les, sinon un retour de la "
                      "personne leur rendrait leurs anciens rôles."),
                    url_for("users.index", status="departed"), _departed_with_login_count())]
