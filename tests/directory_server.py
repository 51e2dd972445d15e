"""A real, throw-away LDAP directory for the tests: Debian's slapd on a loopback port.

The seed LDIF holds active people, one disabled account, one person missing from the
application, one entry without an employee number and two groups."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
BASE = "dc=ville,dc=test"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "secret-de-l-annuaire"

# (uid, employee number or None, e-mail, password, extra attribute lines)
PEOPLE = [
    ("mtremblay", "D1001", "marie.tremblay@ville.test", "Annuaire-Marie-2026", ""),
    ("rhannuaire", "D1002", "rh.annuaire@ville.test", "Annuaire-RH-2026", ""),
    ("desactive", "D1003", "desactive@ville.test", "Annuaire-Off-2026", "employeeType: disabled\n"),
    ("inconnu", "D9999", "inconnu@ville.test", "Annuaire-Inconnu-2026", ""),
    ("sansnumero", None, "sans.numero@ville.test", "Annuaire-Sans-2026", ""),
    # Two e-mail addresses, each on file for a different person (matching by e-mail).
    ("doublon", "D1004", "doublon@ville.test\nmail: ancien.doublon@ville.test",
     "Annuaire-Deux-2026", ""),
]
GROUPS = {"rh": ["rhannuaire"], "gestion": ["rhannuaire", "mtremblay"]}

CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
suffix "{base}"
rootdn "{admin}"
rootpw {password}
directory {dir}/db
"""


def group_dn(name: str) -> str:
    return f"cn={name},ou=groups,{BASE}"


def _ldif(people, groups) -> str:
    parts = [f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Ville\n"
             f"dc: ville\n",
             f"dn: ou=people,{BASE}\nobjectClass: organizationalUnit\nou: people\n",
             f"dn: ou=groups,{BASE}\nobjectClass: organizationalUnit\nou: groups\n"]
    for uid, number, mail, password, extra in people:
        number_line = f"employeeNumber: {number}\n" if number else ""
        parts.append(f"dn: uid={uid},ou=people,{BASE}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
                     f"cn: {uid}\nsn: {uid}\n{number_line}mail: {mail}\n"
                     f"userPassword: {password}\n{extra}")
    for name, members in groups.items():
        member_lines = "".join(f"member: uid={m},ou=people,{BASE}\n" for m in members)
        parts.append(f"dn: {group_dn(name)}\nobjectClass: groupOfNames\ncn: {name}\n"
                     f"{member_lines}")
    return "\n".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_slapd(folder: Path, people=PEOPLE, groups=GROUPS):
    """Yield the ldap:// URL of a seeded slapd; stop it afterwards."""
    if not (os.path.exists(SLAPD) and os.path.exists(SLAPADD)):
        raise RuntimeError("slapd is missing: apt-get install slapd ldap-utils "
                           "(scripts/sysdeps.sh test does it)")
    (folder / "db").mkdir(parents=True)
    config = folder / "slapd.conf"
    config.write_text(CONFIG.format(dir=folder, base=BASE, admin=ADMIN_DN,
                                    password=ADMIN_PASSWORD))
    (folder / "seed.ldif").write_text(_ldif(people, groups))
    subprocess.run([SLAPADD, "-f", str(config), "-l", str(folder / "seed.ldif")], check=True,
                   capture_output=True)
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    subprocess.run([SLAPD, "-f", str(config), "-h", f"{url}/"], check=True)
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    try:
        yield url
    finally:
        pid_file = folder / "slapd.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


def ldap_settings(url: str) -> dict:
    """The application's settings for this directory."""
    return {
        "LDAP_URL": url, "LDAP_BIND_DN": ADMIN_DN, "LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
        "LDAP_BASE_DN": f"ou=people,{BASE}",
        # OpenLDAP has no "account disabled" flag of its own: the filter leaves them out,
        # as Active Directory's userAccountControl filter does (docs/operations.md).
        "LDAP_USER_FILTER": "(&(uid={username})(!(employeeType=disabled)))",
        "LDAP_GROUP_BASE_DN": f"ou=groups,{BASE}",
        "LDAP_TIMEOUT_SECONDS": 3,
    }
