"""French typography that depends on the values put into a message: elision before a name.

« Dossier de %(name)s » reads « Dossier d'André Côté » when the name starts with a vowel:
the word before a ``%(…)s`` placeholder is elided at formatting time, in Python
(``gettext``) and in templates (``_()``), for French only. Everything else (non-breaking
spaces before « : ; ! ? », inside « », in times) is written in the strings themselves and
checked by tests/web/test_french_typography.py.
"""

from __future__ import annotations

import re

import flask_babel
from flask_babel import Domain, get_locale
from markupsafe import Markup

# Words elided before a vowel: « de André » → « d'André », « que Yves » → « qu'Yves ».
ELIDED = {"de": "d'", "que": "qu'", "le": "l'", "la": "l'", "je": "j'", "me": "m'",
          "te": "t'", "se": "s'", "ne": "n'", "jusque": "jusqu'", "lorsque": "lorsqu'",
          "puisque": "puisqu'"}
_BEFORE_PLACEHOLDER = re.compile(
    r"(?<![\w'’-])(" + "|".join(ELIDED) + r") %\((\w+)\)s", re.IGNORECASE)
_VOWELS = set("aeiouyàâäéèêëîïôöûüAEIOUYÀÂÄÉÈÊËÎÏÔÖÛÜ")


def _starts_with_vowel(value) -> bool:
    text = str(value).lstrip() if isinstance(value, str) else ""
    return bool(text) and text[0] in _VOWELS


def elide(message: str, variables: dict) -> str:
    """The message with each elidable word before a vowel-initial value elided."""
    if "%(" not in message:
        return message

    def replace(match):
        word, name = match.group(1), match.group(2)
        if not _starts_with_vowel(variables.get(name)):
            return match.group(0)
        short = ELIDED[word.lower()]
        if word[0].isupper():
            short = short[0].upper() + short[1:]
        return f"{short}%({name})s"

    return _BEFORE_PLACEHOLDER.sub(replace, message)


def _french() -> bool:
    return str(get_locale() or "").startswith("fr")


def _format(message, variables: dict):
    if variables and _french():
        message = elide(message, variables)
    return message % variables if variables else message


class ElidingDomain(Domain):
    """Flask-Babel's domain, formatting with elision."""

    def get_translations(self):
        # Flask-Babel spells the locale out (``str(locale)``) to find the catalogue at each
        # translated string, a few hundred times a page: keep the answer for the request's
        # locale object (``refresh()`` after a change of language makes a new one).
        context = flask_babel._get_current_context()
        if context is None:
            return super().get_translations()
        locale = get_locale()
        kept = getattr(context, "hr_social_translations", None)
        if kept is None or kept[0] is not locale:
            kept = (locale, super().get_translations())
            context.hr_social_translations = kept
        return kept[1]

    def gettext(self, string, **variables):
        return _format(self.get_translations().ugettext(string), variables)

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return _format(self.get_translations().ungettext(singular, plural, num), variables)

    def pgettext(self, context, string, **variables):
        return _format(self.get_translations().upgettext(context, string), variables)

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return _format(self.get_translations().unpgettext(context, singular, plural, num),
                       variables)


def install(app, babel) -> None:
    """Python's ``gettext`` and the templates' ``_()`` format with elision."""
    from flask_babel import get_translations
    from jinja2 import pass_context

    babel.domain_instance = ElidingDomain(domain=app.extensions["babel"].default_domain)

    def _templated(rv, context, variables):
        if context.eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - our catalogue, as Jinja's own gettext does
        # Jinja's « newstyle » gettext: always a format string (a literal % is written %%).
        if _french() and variables:
            eliding = elide(str(rv), variables)
            rv = Markup(eliding) if isinstance(rv, Markup) else eliding  # noqa: S704
        return rv % variables

    @pass_context
    def gettext(context, string, **variables):
        return _templated(get_translations().ugettext(string), context, variables)

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return _templated(get_translations().ungettext(singular, plural, num), context,
                          variables)

    app.jinja_env.globals.update(gettext=gettext, ngettext=ngettext)


# --- what the typography test checks, and what scripts/french_typography.py fixes ----------

NBSP, NNBSP = "\u00a0", "\u202f"
_SPACES = f"{NBSP}{NNBSP}"
# A plain space before « : ; ! ? » (a line could break there).
PLAIN_SPACE_BEFORE = re.compile(r"(?<=\S) ([:;!?])(?=[\s\"'<»)\]]|$)")
# No space at all before « ; ! ? » or before a « : » that ends a word.
NO_SPACE_BEFORE = re.compile(r"(?<=[^\W\d_])([;!?])(?=\s|$)|(?<=[^\W\d_])(:)(?=\s|$)")
GUILLEMET_OPEN = re.compile(rf"«(?:[ \t\n]+|(?=[^\s{_SPACES}]))")
GUILLEMET_CLOSE = re.compile(rf"(?:[ \t\n]+|(?<=[^\s{_SPACES}]))»")
# « 14 h 30 », « %(h)s h %(m)s »: the hour and its « h » stay on one line.
TIME = re.compile(r"(\d|%\(\w+\)[sd]|\}\}) h (?=\d|%\(|\{)")
# « de André », « le accès », « de un »: a word that elides before a vowel (not « -le à »).
NOT_ELIDED = re.compile(
    r"(?<![\w'’-])(de|que|le|la|je|me|te|se|ne|jusque|lorsque|puisque) "
    r"([aeiouyàâéèêëîïôûœ]\w*)", re.IGNORECASE)
# Words after which no elision happens (« le onze », « la une », « de oui ou de non »...).
ELISION_EXCEPTIONS = {"onze", "onzième", "oui", "ouate", "ou", "et", "yaourt"}


def problems(text: str) -> list[str]:
    """What breaks French typography in a piece of interface text."""
    found = []
    for match in PLAIN_SPACE_BEFORE.finditer(text):
        found.append(f"espace ordinaire avant « {match.group(1)} »")
    for match in NO_SPACE_BEFORE.finditer(text):
        found.append(f"pas d'espace avant « {match.group(0)[-1]} »")
    if GUILLEMET_OPEN.search(text) or GUILLEMET_CLOSE.search(text):
        found.append("espace ordinaire ou absente à l'intérieur des « »")
    if TIME.search(text):
        found.append("heure coupable en fin de ligne (« 14 h 30 »)")
    for match in NOT_ELIDED.finditer(text):
        if match.group(2).lower() not in ELISION_EXCEPTIONS:
            found.append(f"élision manquante : « {match.group(0)} »")
    return found


FIXES = (
    (PLAIN_SPACE_BEFORE, lambda m: (NBSP if m.group(1) == ":" else NNBSP) + m.group(1)),
    (NO_SPACE_BEFORE, lambda m: (NBSP + ":") if m.group(2) else (NNBSP + m.group(1))),
    (GUILLEMET_OPEN, lambda m: "«" + NBSP),
    (GUILLEMET_CLOSE, lambda m: NBSP + "»"),
    (TIME, lambda m: f"{m.group(1)}{NBSP}h{NBSP}"),
)


def fix(text: str) -> str:
    """The same text with the non-breaking spaces French needs (elision is left to people)."""
    for pattern, replacement in FIXES:
        text = pattern.sub(replacement, text)
    return text
