"""Absolute links for what leaves the application (e-mails, PDFs, QR codes).

They are built from the BASE_URL setting, never from the current request: jobs and the
command line have no request, and a link in an e-mail must not depend on the host name the
sender happened to use.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def absolute_url(path: str) -> str:
    """BASE_URL + an application path ("/verify/ABCD")."""
    return current_app.config["BASE_URL"].rstrip("/") + "/" + path.lstrip("/")


def absolute_url_for(endpoint: str, **values) -> str:
    """``url_for`` made absolute against BASE_URL, usable outside a request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "http")
    return adapter.build(endpoint, values, force_external=True)
