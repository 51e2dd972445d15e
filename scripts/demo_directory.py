"""Try directory sign-in with the demo: a throw-away slapd holding three demo people.

    .venv/bin/python scripts/demo_directory.py

prints the LDAP_* settings to export before `make run` in another terminal, and the
usernames and password to sign in with; Ctrl-C stops the directory."""

from __future__ import annotations

import signal
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.db import db  # noqa: E402
from hr_social.people.models import Person  # noqa: E402
from tests.directory_server import group_dn, ldap_settings, running_slapd  # noqa: E402

PASSWORD = "Annuaire-Demo-2026"  # noqa: S105


def _uid(person: Person) -> str:
    text = f"{person.first_name}.{person.last_name}".lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() or c == ".")


def main() -> None:
    with create_app().app_context():
        people = db.session.scalars(select(Person).where(
            Person.is_active.is_(True), ~Person.user.has()).order_by(Person.id).limit(3)).all()
        entries = [(_uid(p), p.employee_number, p.email or f"{_uid(p)}@ville.test", PASSWORD, "")
                   for p in people]
    if not entries:
        sys.exit("La base de démonstration est vide : lancez d'abord `make demo`.")
    with tempfile.TemporaryDirectory() as folder, \
            running_slapd(Path(folder), entries, {"rh": [entries[0][0]]}) as url:
        print("Annuaire de démonstration démarré. Dans un autre terminal :\n")
        for name, value in ldap_settings(url).items():
            print(f"  export {name}='{value}'")
        print(f"  # facultatif : export LDAP_GROUP_ROLES='{group_dn('rh')}=hr'")
        print("  make run\n\nConnectez-vous avec (mot de passe " + PASSWORD + ") :")
        for uid, *_ in entries:
            print(f"  {uid}")
        print("\nCtrl-C arrête l'annuaire.", flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it cleanly
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
