"""Screenshots of every role's home, for review: the demo municipality in a throw-away
SQLite database, served on 127.0.0.1, photographed by Chromium at 1366 px and 390 px.

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [--out DIR]

Writes DIR/home-<role>-<width>.png (default DIR: screenshots/, ignored by git).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from hr_social import create_app  # noqa: E402
from hr_social.db import db  # noqa: E402
from hr_social.demo.cli import run_seeders  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {1366: 900, 390: 844}  # width -> height of the window (the page is taken whole)
ROLES = ("employee", "manager", "hr", "dg", "communications", "admin")


def demo_app(folder: Path):
    """The application on a fresh demo database; sign-in by password only (the demo
    logins have no authenticator enrolled), mail kept in the outbox."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.sqlite3'}",
        "SECRET_KEY": "screenshots-only", "AUDIT_HMAC_KEY": "screenshots-only",
        "TWO_FACTOR_ROLES": "", "MAIL_DELIVERY": "cron", "SMTP_HOST": "",
        "WTF_CSRF_ENABLED": True,
    })
    app.instance_path = str(folder / "instance")
    Path(app.instance_path).mkdir(exist_ok=True)
    with app.app_context():
        db.create_all()
        run_seeders()
        db.session.commit()
    return app


def accounts() -> dict[str, tuple[str, str]]:
    from hr_social.people.demo import ACCOUNTS

    return {role: (username, password)
            for role, (username, password, *_rest) in ACCOUNTS.items()}


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(f"{base}/")


def shoot(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    logins = accounts()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for role in ROLES:
            username, password = logins[role]
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              locale="fr-CA")
                page = context.new_page()
                log_in(page, base, username, password)
                path = out / f"home-{role}-{width}.png"
                page.screenshot(path=str(path), full_page=True)
                taken.append(path)
                context.close()
        browser.close()
    return taken


def main() -> int:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hr-social-screens-") as folder:
        app = demo_app(Path(folder))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            taken = shoot(f"http://127.0.0.1:{server.server_port}", out)
        finally:
            server.shutdown()
            thread.join(timeout=5)
    for path in taken:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
