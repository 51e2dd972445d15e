"""Demo municipality: services, about 300 people with a hierarchy, one login per role.

Names are drawn with the context's random generator, so a given seed always gives the same
municipality. The people go through the same operations as the HR screens (audit entries,
people signals), so other domains' receivers see demo hires like real ones.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from hr_social.audit.services import record
from hr_social.auth.passwords import hash_password
from hr_social.clock import local_today
from hr_social.db import db, utcnow
from hr_social.demo import DemoContext, demo_login, demo_seeder
from hr_social.organisation.services import update_settings
from hr_social.people.models import PersonKind, User, UserRole
from hr_social.people.services import create_person, create_service, mark_departed

EMAIL_DOMAIN = "ville.baie-comeau.qc.ca"

# code, name, size (head included)
SERVICES = [
    ("DG", "Direction générale", 6),
    ("COMM", "Division des communications", 8),
    ("TI", "Service des technologies de l'information", 18),
    ("CULT", "Service de la culture et des loisirs", 30),
    ("TP", "Travaux publics", 70),
    ("RH", "Service des ressources humaines", 10),
    ("GREF", "Greffe", 8),
    ("TRES", "Trésorerie", 14),
    ("URB", "Urbanisme", 16),
    ("INC", "Sécurité incendie", 45),
    ("ING", "Service de l'ingénierie", 20),
    ("LOIS", "Loisirs et vie communautaire", 55),
]

# Each title in its feminine and masculine forms, chosen by the person's first name.
TITLES = {
    "DG": [("Adjointe de direction", "Adjoint de direction"),
           ("Conseillère aux projets spéciaux", "Conseiller aux projets spéciaux"),
           ("Secrétaire de direction", "Secrétaire de direction")],
    "COMM": [("Conseillère en communication", "Conseiller en communication"),
             ("Agente d'information", "Agent d'information"), ("Graphiste", "Graphiste"),
             ("Gestionnaire de communauté", "Gestionnaire de communauté")],
    "TI": [("Technicienne informatique", "Technicien informatique"),
           ("Analyste en informatique", "Analyste en informatique"),
           ("Administratrice réseau", "Administrateur réseau"),
           ("Développeuse", "Développeur")],
    "CULT": [("Animatrice culturelle", "Animateur culturel"),
             ("Bibliothécaire", "Bibliothécaire"),
             ("Technicienne en documentation", "Technicien en documentation"),
             ("Commis à la bibliothèque", "Commis à la bibliothèque")],
    "TP": [("Journalière", "Journalier"),
           ("Opératrice de machinerie", "Opérateur de machinerie"),
           ("Mécanicienne", "Mécanicien"), ("Contremaîtresse", "Contremaître"),
           ("Préposée à l'entretien", "Préposé à l'entretien")],
    "RH": [("Conseillère en ressources humaines", "Conseiller en ressources humaines"),
           ("Technicienne à la paie", "Technicien à la paie"),
           ("Agente de dotation", "Agent de dotation")],
    "GREF": [("Assistante-greffière", "Assistant-greffier"),
             ("Technicienne juridique", "Technicien juridique"),
             ("Archiviste", "Archiviste")],
    "TRES": [("Technicienne comptable", "Technicien comptable"),
             ("Commis à la taxation", "Commis à la taxation"),
             ("Analyste financière", "Analyste financier")],
    "URB": [("Inspectrice en bâtiment", "Inspecteur en bâtiment"),
            ("Urbaniste", "Urbaniste"),
            ("Technicienne en urbanisme", "Technicien en urbanisme")],
    "INC": [("Pompière", "Pompier"), ("Pompière", "Pompier"), ("Lieutenante", "Lieutenant"),
            ("Préventionniste", "Préventionniste")],
    "ING": [("Ingénieure de projet", "Ingénieur de projet"),
            ("Technicienne en génie civil", "Technicien en génie civil"),
            ("Dessinatrice", "Dessinateur")],
    "LOIS": [("Animatrice de camp de jour", "Animateur de camp de jour"),
             ("Sauveteuse", "Sauveteur"), ("Monitrice aquatique", "Moniteur aquatique"),
             ("Préposée aux plateaux sportifs", "Préposé aux plateaux sportifs"),
             ("Coordonnatrice des événements", "Coordonnateur des événements")],
}
DG_TITLE = ("Directrice générale", "Directeur général")
LEAD_TITLE = ("Cheffe de section", "Chef de section")


def head_title(service_name: str) -> tuple[str, str]:
    return f"Directrice — {service_name}", f"Directeur — {service_name}"


# Kept in this order (women, then men): the seeded random generator draws from the list.
WOMEN = [
    "Marie", "Julie", "Isabelle", "Nathalie", "Sophie", "Catherine", "Geneviève", "Mélanie",
    "Valérie", "Annie", "Chantal", "Josée", "Émilie", "Audrey", "Véronique", "Karine",
    "Stéphanie", "Marie-Ève", "Marie-Claude", "Andréanne", "Camille", "Léa", "Rosalie",
    "Florence", "Noémie", "Maude", "Sylvie", "Lucie", "Manon", "Francine",
]
MEN = [
    "Jean", "Pierre", "Michel", "André", "François", "Luc", "Stéphane", "Martin", "Sylvain",
    "Éric", "Patrick", "Sébastien", "Mathieu", "Guillaume", "Jean-François", "Marc-André",
    "Simon", "Olivier", "Alexandre", "Maxime", "Gabriel", "Félix", "Samuel", "William", "Louis",
    "Étienne", "Benoît", "Yves", "Réjean", "Gilles", "Denis", "Normand", "Raymond", "Mario",
    "Dany",
]
FIRST_NAMES = WOMEN + MEN
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier",
    "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault", "St-Pierre",
    "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier",
    "Richard", "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance",
    "Parent", "Blais", "Gosselin", "Savard", "Proulx", "Beaudoin", "Demers", "Perron",
    "Boudreau", "Harvey", "Chabot", "Émond", "Vigneault", "Otis", "Deschênes", "Imbeault",
]

# role -> (username, password, description, service code, position)
ACCOUNTS = {
    "employee": ("employe", "Demo-Employe-2026", "Employé·e", "TI", "staff"),
    "manager": ("gestionnaire", "Demo-Gestion-2026", "Gestionnaire", "TI", "head"),
    "hr": ("rh", "Demo-RessHum-2026", "Ressources humaines", "RH", "staff"),
    "dg": ("dg", "Demo-DirGen-2026", "Direction générale", "DG", "head"),
    "communications": ("communications", "Demo-Comm-2026!", "Division des communications",
                       "COMM", "staff"),
    "admin": ("admin", "Demo-Admin-2026!", "Administration du système", "TI", "staff"),
}
for _role, (_username, _password, _description, *_rest) in ACCOUNTS.items():
    demo_login(_username, _password, _description)


def _ascii(value: str) -> str:
    plain = unicodedata.normalize("NFKD", value)
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c)).lower()


def _kind_for(code: str, rng) -> PersonKind:
    roll = rng.random()
    if code in {"CULT", "LOIS"} and roll < 0.15:
        return PersonKind.volunteer
    if code in {"TI", "ING", "URB"} and roll < 0.1:
        return PersonKind.intern
    if code in {"ING", "TP", "TI"} and roll > 0.93:
        return PersonKind.contractor
    if roll > 0.97:
        return PersonKind.intern
    return PersonKind.employee


class _People:
    def __init__(self, ctx: DemoContext):
        self.ctx, self.number, self.emails = ctx, 10000, set()

    def _hired_on(self) -> dt.date:
        # 5 to 25 years ago, from the number (not the random generator, whose sequence the
        # rest of the demo depends on): older than every demo disciplinary fact.
        return local_today() - dt.timedelta(days=5 * 365 + (self.number * 97) % (20 * 365))

    def add(self, service, manager, titles: tuple[str, str], kind=PersonKind.employee):
        """``titles``: the job title's feminine and masculine forms; the first name picks."""
        rng = self.ctx.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title = titles[0] if first in WOMEN else titles[1]
        self.number += 1
        email = f"{_ascii(first)}.{_ascii(last)}@{EMAIL_DOMAIN}"
        if email in self.emails:
            email = f"{_ascii(first)}.{_ascii(last)}{self.number % 1000}@{EMAIL_DOMAIN}"
        self.emails.add(email)
        person = create_person(None, employee_number=str(self.number), first_name=first,
                               last_name=last, email=email, service=service, manager=manager,
                               kind=kind, job_title=title, hired_on=self._hired_on())
        self.ctx.people.append(person)
        return person


@demo_seeder(10)
def seed_people(ctx: DemoContext) -> None:
    rng = ctx.rng
    update_settings(None, name="Ville de Baie-Comeau",
                    address="19, avenue Marquette\nBaie-Comeau (Québec)  G4Z 1K5",
                    email_domain=EMAIL_DOMAIN)
    for code, name, _size in SERVICES:
        ctx.services[code] = create_service(None, code=code, name=name)
    people = _People(ctx)
    heads, staff_of = {}, {}
    dg = people.add(ctx.services["DG"], None, DG_TITLE)
    heads["DG"] = dg
    for code, name, size in SERVICES:
        service = ctx.services[code]
        head = dg if code == "DG" else people.add(service, dg, head_title(name))
        heads[code] = head
        leads = [people.add(service, head, LEAD_TITLE) for _ in range(size // 15)]
        staff = []
        for _ in range(size - 1 - len(leads)):
            manager = rng.choice(leads) if leads and rng.random() < 0.7 else head
            staff.append(people.add(service, manager, rng.choice(TITLES[code]),
                                    _kind_for(code, rng)))
        staff_of[code] = staff
    _create_logins(ctx, heads, staff_of)
    # A few departures among staff without a login (their records stay).
    with_login = {u.person_id for u in ctx.users.values()}
    candidates = [p for code in ("TP", "LOIS", "CULT", "INC") for p in staff_of[code]
                  if p.id not in with_login]
    today = local_today()
    for person in rng.sample(candidates, 8):
        mark_departed(None, person, departed_on=today - dt.timedelta(days=rng.randint(20, 700)))


def _create_logins(ctx: DemoContext, heads: dict, staff_of: dict) -> None:
    taken = set()
    for role, (username, password, description, code, position) in ACCOUNTS.items():
        if position == "head":
            person = heads[code]
        else:
            person = next(p for p in staff_of[code]
                          if p.id not in taken and p.kind == PersonKind.employee)
        taken.add(person.id)
        roles = sorted({"employee", role})
        user = User(username=username, password_hash=hash_password(password), person=person,
                    password_changed_at=utcnow(), roles=[UserRole(role=r) for r in roles])
        db.session.add(user)
        db.session.flush()
        record("user.created", user, actor=None,
               after={"username": username, "roles": roles, "person": person.employee_number})
        ctx.users[role] = user
        ctx.logins.append((username, password, description))
