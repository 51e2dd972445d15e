"""A bounded crawler for the demo: follows every link and submits every form it is shown.

Forms are sent with the values they propose themselves (as a user who clicks the button
without typing would): field values, checked boxes, the selected (or first) option, each
named submit button in turn. Any 5xx — or an exception escaping the app — is a failure.
Nothing is listed by hand, so new routes and forms are crawled as soon as a page shows them.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

# A route is visited through a few of its URLs, not all of them (300 people, 300 pages).
PER_PATTERN = 2
MAX_REQUESTS = 400
SKIPPED_PREFIXES = ("/static/",)


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, chosen
        self._option_value: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.buttons.append((a.get("name", ""), a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            if "selected" in a and self._option_value is not None:
                self._select[2].append(self._option_value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._select is not None and self._option_value is None and data.strip():
            self._option_value = data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None:
            if self._option_value is not None:
                self._select[1].append(self._option_value)
            self._option_value = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            for value in chosen or options[:1]:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).lstrip("\n")))
            self._textarea = None

    def _input(self, a):
        kind, name = a.get("type", "text").lower(), a.get("name")
        if kind in ("submit", "image"):
            self._form.buttons.append((name or "", a.get("value", "")))
        elif not name or kind in ("file", "reset", "button"):
            return
        elif kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((name, a.get("value", "on")))
        else:
            self._form.fields.append((name, a.get("value", "")))


def pattern(url: str) -> str:
    """/access-requests/12?page=2 → /access-requests/N?page: one key per route and shape."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(names) if names else "")


@dataclass
class Crawl:
    client: object
    relogin: object  # callable: logs the client in again after a logout form
    # callable or None: puts the database back as it was before the crawl, so that every
    # form is sent in the state it was shown in (a draft's « Retirer » is not tried only
    # after its « Soumettre » made it a submitted request).
    restore: object = None
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    seen: dict[str, int] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    deadline: float = 0.0

    def run(self, start: str = "/", seconds: float = 120) -> Crawl:
        self.deadline = time.monotonic() + seconds
        queue = deque([start])
        while queue and self.requests < MAX_REQUESTS and time.monotonic() < self.deadline:
            url = queue.popleft()
            if not self._take(url):
                continue
            response = self._open("GET", url)
            if response is not None and response.mimetype == "text/html":
                self._page(url, response.get_data(as_text=True), queue)
        return self

    def _take(self, url: str, method: str = "GET", button: str = "") -> bool:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return False
        visit = f"{method} {url} {button}"
        if parts.path.startswith(SKIPPED_PREFIXES) or visit in self.visited:
            return False
        key = f"{method} {pattern(url)} {button}"
        if self.seen.get(key, 0) >= PER_PATTERN:
            return False
        self.seen[key] = self.seen.get(key, 0) + 1
        self.visited.add(visit)
        return True

    def _open(self, method: str, url: str, data=None):
        self.requests += 1
        try:
            response = self.client.open(url, method=method, data=data)
        except Exception as error:  # an exception escaping the app is a 500 to the user
            self.failures.append(f"{method} {url}: {type(error).__name__}: {error}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {url}: HTTP {response.status_code}")
        return response

    def _page(self, url: str, html: str, queue: deque) -> None:
        parser = PageParser()
        parser.feed(html)
        for link in parser.links:
            queue.append(urljoin(url, link.split("#")[0]))
        for form in parser.forms:
            action = urljoin(url, form.action or url)
            if form.method == "get":
                query = urlencode(form.fields)
                queue.append(f"{urlsplit(action).path}?{query}" if query else action)
            else:
                self._submit(action, form, queue)

    def _submit(self, action: str, form: Form, queue: deque) -> None:
        for name, value in form.buttons or [("", "")]:
            if not self._take(action, "POST", f"{name}={value}") or self.requests >= MAX_REQUESTS:
                continue
            data = list(form.fields) + ([(name, value)] if name else [])
            response = self._open("POST", action, data=_multi(data))
            if response is not None and response.status_code in (301, 302, 303):
                self._follow(urljoin(action, response.location or "/"), queue)
            if self.restore is not None:
                self.restore()
            probe = self._open("GET", "/")
            if probe is not None and "/login" in (probe.location or ""):
                self.relogin()

    def _follow(self, url: str, queue: deque) -> None:
        """The page a form leads to; its links are crawled later, its forms when shown again."""
        response = self._open("GET", url)
        if response is None or response.mimetype != "text/html":
            return
        parser = PageParser()
        parser.feed(response.get_data(as_text=True))
        queue.extend(urljoin(url, link.split("#")[0]) for link in parser.links)


def _multi(pairs):
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)
