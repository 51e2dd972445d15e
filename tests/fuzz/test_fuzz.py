"""Hostile input never crashes the application: a 5xx anywhere is a defect.

The test walks ``app.url_map`` (so routes added later are fuzzed without editing this file)
on the seeded world of the route walker, for every role. It first opens every page to learn
the forms and their fields, then sends, to every route:

- each URL argument replaced by hostile values (huge integers for ``int`` converters),
- every form field / query parameter set to each core hostile value at once, then a few
  requests where each field gets another hostile value of its own,
- each field of a form otherwise filled as the page proposes, set to one hostile value.

Values come from ``hostile.py``; the choice of value per field and of role per request is
drawn from a seeded generator (``FUZZ_SEED``, default 2026), so a failure replays exactly.
"""

from __future__ import annotations

import io
import os
import random
import re
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from hr_social.auth.passwords import hash_password
from hr_social.db import db
from hr_social.people.models import User
from tests.conftest import PASSWORD, Client, login
from tests.fuzz.hostile import (
    CORE_VALUES,
    HOSTILE_FILES,
    HOSTILE_INTS,
    HOSTILE_VALUES,
    OTHER_VALUES,
)
from tests.route_expectations import LOGIN, ROLES, all_routes
from tests.test_route_permissions import world  # noqa: F401 - the seeded world fixture

SEED = int(os.environ.get("FUZZ_SEED", "2026"))
# Query parameters the list pages read, beyond those their filter forms show.
COMMON_QUERY = ("page", "q", "service", "platform", "status", "from", "to", "next", "person",
                "kind", "role", "action", "target_type", "manager", "login", "sort")
SKIP_ENDPOINTS = {"auth.logout"}  # ends the session; fuzzed values change nothing there
MIXED_REQUESTS = 3  # per route, besides one request per core value
BUTTON_FIELDS = {"submission_key", "csrf_token"}


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> input kind
    defaults: dict[str, str] = field(default_factory=dict)


class FormParser(HTMLParser):
    """The forms of a page: method, action, field names, kinds and proposed values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form((a.get("method") or "get").upper(), a.get("action") or ""))
        elif not self.forms or not a.get("name"):
            return
        elif tag in {"input", "textarea", "select", "button"}:
            form, name = self.forms[-1], a["name"]
            kind = a.get("type", "text") if tag == "input" else tag
            form.fields.setdefault(name, kind)
            if kind in {"checkbox", "radio"}:
                if "checked" in a or name not in form.defaults:
                    form.defaults[name] = a.get("value", "y")
            elif kind != "file":
                form.defaults.setdefault(name, a.get("value") or "")
            self.select = name if tag == "select" else None
        elif tag == "option" and self.select:
            form = self.forms[-1]
            if "selected" in a or not form.defaults.get(self.select):
                form.defaults[self.select] = a.get("value", "")


class Fuzzer:
    def __init__(self, app, seeded):
        self.app, self.world = app, seeded
        self.random = random.Random(SEED)
        self.adapter = app.url_map.bind("localhost")
        self.clients: dict[str, Client] = {}
        self.failures: list[str] = []
        self.requests = 0
        self.forms: dict[tuple[str, str], list[Form]] = defaultdict(list)
        self.expected = defaultdict(dict)  # endpoint -> role -> answer
        self.paths = defaultdict(list)  # endpoint -> concrete paths of the seeded world
        for route in all_routes():
            self.paths[route.endpoint].append(route.path(seeded))
            for role, answer in route.expected.items():
                self.expected[route.endpoint].setdefault(role, answer)

    # -- clients --------------------------------------------------------------------------
    def client(self, role: str) -> Client:
        if role not in self.clients:
            self.app.test_client_class = Client
            client = self.app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"10.9.0.{ROLES.index(role) + 1}"
            if role != "anonymous":
                _restore(self.world.users[role])
                login(client, self.world.users[role])
            self.clients[role] = client
        return self.clients[role]

    def send(self, role: str, method: str, path: str, *, query: bytes = b"",
             data: list | None = None, files: list | None = None) -> None:
        client = self.client(role)
        url = path + ("?" + query.decode("ascii") if query else "")
        self.requests += 1
        try:
            if method == "GET":
                response = client.get(url)
            elif files:
                payload = {k: v for k, v in (data or []) if isinstance(v, str)}
                payload.update({name: (io.BytesIO(body), filename) for name, filename, body
                                in files})
                response = client.post(url, data=payload, content_type="multipart/form-data")
            else:
                body = urlencode(data or [], doseq=True).encode("ascii")
                response = client.post(url, data=body,
                                       content_type="application/x-www-form-urlencoded")
        except HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 - every crash is reported, not just the first
            self.failures.append(f"{role} {method} {url[:200]} {_short(data)}: "
                                 f"{type(error).__name__}: {str(error)[:300]}")
            self.clients.pop(role, None)  # its session may be gone with the error
            return
        if response.status_code >= 500:
            self.failures.append(f"{role} {method} {url[:200]} {_short(data)}: "
                                 f"HTTP {response.status_code}")
        location = response.headers.get("Location", "")
        if role != "anonymous" and "/login" in location:
            self.clients.pop(role, None)  # logged out by the request: log in again

    # -- discovery ------------------------------------------------------------------------
    def rules(self):
        return sorted((r for r in self.app.url_map.iter_rules()), key=lambda r: r.rule)

    def concrete_path(self, rule) -> str:
        for path in self.paths.get(rule.endpoint, []):
            try:
                endpoint, _values = self.adapter.match(path, method=_method(rule))
            except HTTPException:
                continue
            if endpoint == rule.endpoint:
                return path
        values = {arg: 1 if _converter(rule, arg) == "int" else "x" for arg in rule.arguments}
        return self.adapter.build(rule.endpoint, values)

    def roles_for(self, endpoint: str) -> list[str]:
        expected = self.expected.get(endpoint, {})
        allowed = [role for role in ROLES if expected.get(role, 200) not in (LOGIN, 403)]
        return allowed or ["anonymous"]

    def discover(self) -> None:
        """Open every GET page as every role that may see it; keep its forms."""
        for rule in self.rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            path = self.concrete_path(rule)
            for role in self.roles_for(rule.endpoint):
                response = self.client(role).get(path)
                if "html" not in response.content_type:
                    continue
                parser = FormParser()
                parser.feed(response.get_data(as_text=True))
                for form in parser.forms:
                    self._keep(form, path)

    def _keep(self, form: Form, page_path: str) -> None:
        target = urlsplit(form.action).path or page_path
        try:
            endpoint, _values = self.adapter.match(target, method=form.method)
        except HTTPException:
            return
        form.action = target
        self.forms[(endpoint, form.method)].append(form)

    # -- attacks --------------------------------------------------------------------------
    def attack_url_arguments(self, rule, method: str, roles: list[str]) -> None:
        path = self.concrete_path(rule)
        _endpoint, values = self.adapter.match(path, method=method)
        turn = 0
        for arg in rule.arguments:
            hostile = HOSTILE_INTS if _converter(rule, arg) == "int" else \
                CORE_VALUES + tuple(self.random.sample(OTHER_VALUES, 3))
            for value in hostile:
                given = {**{k: str(v) for k, v in values.items()}, arg: value}
                self.send(roles[turn % len(roles)], method, _fill(rule, given))
                turn += 1

    def attack_fields(self, rule, method: str, roles: list[str]) -> None:
        path = self.concrete_path(rule)
        forms = self.forms.get((rule.endpoint, method), [])
        names: dict[str, str] = {}
        for form in forms:
            names.update(form.fields)
        if method == "GET":
            names.update({name: "text" for name in COMMON_QUERY if name not in names})
        fillings = [{name: value for name in names} for value in CORE_VALUES]
        fillings += [{name: self.random.choice(OTHER_VALUES) for name in names}
                     for _ in range(MIXED_REQUESTS)]
        if method == "POST" and set(names) <= BUTTON_FIELDS:
            fillings = fillings[:3]  # a bare button: its input is the URL, fuzzed above
        for index, filling in enumerate(fillings):
            role = roles[index % len(roles)]
            pairs = [(name, value) for name, value in filling.items()
                     if names[name] != "file"]
            if method == "POST" and index % 5:
                pairs = [p for p in pairs if p[0] != "submission_key"]
                pairs.append(("submission_key", secrets.token_urlsafe(12)))
            self._send_pairs(role, method, path, pairs, names, index)
        # One field at a time in an otherwise proposed filling of each form.
        for form in forms:
            for name, kind in form.fields.items():
                value = self.random.choice(HOSTILE_VALUES)
                pairs = [(k, v) for k, v in form.defaults.items() if k != name]
                if kind != "file":
                    pairs.append((name, value))
                if method == "POST" and name != "submission_key":
                    pairs = [p for p in pairs if p[0] != "submission_key"]
                    pairs.append(("submission_key", secrets.token_urlsafe(12)))
                role = self.random.choice(roles)
                self._send_pairs(role, method, form.action, pairs, form.fields,
                                 self.random.randrange(len(HOSTILE_FILES)))

    def _send_pairs(self, role, method, path, pairs, kinds, index) -> None:
        if method == "GET":
            self.send(role, "GET", path, query=urlencode(pairs).encode("ascii"))
            return
        file_names = [name for name, kind in kinds.items() if kind == "file"]
        if file_names:
            filename, body = HOSTILE_FILES[index % len(HOSTILE_FILES)]
            files = [(name, filename, body) for name in file_names]
            text_pairs = [(k, v if isinstance(v, str) else v.decode("latin-1"))
                          for k, v in pairs]
            self.send(role, "POST", path, data=text_pairs, files=files)
        else:
            self.send(role, "POST", path, data=pairs)

    def run(self) -> None:
        self.discover()
        for rule in self.rules():
            if rule.endpoint in SKIP_ENDPOINTS:
                continue
            roles = self.roles_for(rule.endpoint)
            for method in sorted(rule.methods & {"GET", "POST"}):
                self.attack_url_arguments(rule, method, roles)
                if rule.endpoint != "static":
                    self.attack_fields(rule, method, roles)


def _restore(user) -> None:
    """Fuzzed forms may have reset the password, disabled the account or recorded the
    departure of a fuzzing user (as they should): give it back its login."""
    user = db.session.get(User, user.id)
    user.password_hash, user.is_enabled = hash_password(PASSWORD), True
    if user.person is not None and not user.person.is_active:
        user.person.is_active, user.person.departed_on = True, None
    db.session.commit()


def _method(rule) -> str:
    return "GET" if "GET" in rule.methods else "POST"


def _converter(rule, arg: str) -> str:
    return "int" if isinstance(rule._converters.get(arg), IntegerConverter) else "text"


def _fill(rule, values: dict[str, str | bytes]) -> str:
    def segment(match):
        value = values[match[1]]
        raw = value if isinstance(value, bytes) else value.encode("utf-8")
        return quote(raw, safe="")

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", segment, rule.rule)


def _short(data) -> str:
    if not data:
        return ""
    text = repr(data)
    return text if len(text) < 160 else text[:157] + "..."


@pytest.fixture
def fuzz_app(app):
    # The fuzz test looks for crashes, not for the throttle: it must not lock its own users.
    app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT=10**6, LOGIN_MAX_FAILURES_PER_ADDRESS=10**6,
                      JOBS_RUNNER="none", ACK_VERIFY_MAX_ATTEMPTS=10**6)
    return app


def test_hostile_input_never_gets_a_server_error(fuzz_app, world):  # noqa: F811
    fuzzer = Fuzzer(fuzz_app, world)
    started = time.monotonic()
    fuzzer.run()
    print(f"fuzz: {fuzzer.requests} requests in {time.monotonic() - started:.1f} s")
    assert fuzzer.requests > 1000
    report = "\n".join(fuzzer.failures[:60])
    assert not fuzzer.failures, f"{len(fuzzer.failures)} server error(s):\n{report}"
