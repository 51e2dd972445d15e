"""Throughput under gunicorn: prints figures (not a timed test).

    .venv/bin/python bench/http_load.py [--database-url URL] [--users 20] [--seconds 60]
        [--workers 4] [--think 1.0] [--people 2000] [--requests 20000]

Seeds a database (bench/list_pages.py's data), starts gunicorn (``app:app``, 4 workers) on a
free loopback port, then 20 simulated users log in and browse for 60 s, each waiting about
1 s between pages (a realistic mix: dashboard, their requests and acknowledgements; HR and
DG also lists, searches, reviews and the registry). Prints requests per second, p50, p95,
p99, errors (anything but 200, or no answer), and the workers' CPU per request, next to a
bare Flask page served by the same gunicorn setup (bench/bare_app.py) under the same load.
Targets (issue 15): p95 < 300 ms and 0 errors; typical page ≤ 8× the bare page's CPU.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAFF = [("/", 4), ("/access-requests/", 2), ("/people/", 2), ("/people/?q=belanger", 1),
         ("/access-requests/?q=emond", 1), ("/access-requests/reviews", 1),
         ("/access-requests/registry", 1), ("/access-requests/queue", 1),
         ("/acknowledgements/", 1)]
EMPLOYEE = [("/", 4), ("/access-requests/", 3), ("/acknowledgements/", 2),
            ("/access-requests/new", 1)]
BARE = [("/", 1)]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(url: str, people: int, requests_count: int) -> None:
    from sqlalchemy import text

    from bench.list_pages import seed as seed_rows
    from hr_social import create_app
    from hr_social.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024,
                      "ARGON2_PARALLELISM": 1, "PDF_WARM_AT_START": False})
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.create_all()
        seed_rows(people, requests_count)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if url.startswith("postgresql")
                                    else "ANALYZE"))
        db.session.remove()
        db.engine.dispose()


def start_gunicorn(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "warning",
               target]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process
        except urllib.error.HTTPError:  # any answer (a redirect to log in, a 404) will do
            return process
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not answer")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


class User(threading.Thread):
    def __init__(self, base: str, username: str | None, mix, stop_at: float, think: float,
                 results: list, seed_value: int):
        super().__init__(daemon=True)
        self.base, self.username, self.mix = base, username, mix
        self.stop_at, self.think, self.results = stop_at, think, results
        self.random = random.Random(seed_value)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def fetch(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, ""
        except (urllib.error.URLError, OSError) as error:
            return 0, str(error)

    def login(self) -> None:
        _status, page = self.fetch("/login")
        token = CSRF.search(page)
        status, _page = self.fetch("/login", {"csrf_token": token.group(1) if token else "",
                                              "username": self.username,
                                              "password": "banc-d-essai-mot-de-passe"})
        if status != 200:
            raise SystemExit(f"login of {self.username} failed: {status}")

    def run(self) -> None:
        if self.username:
            self.login()
        paths = [path for path, weight in self.mix for _ in range(weight)]
        time.sleep(self.random.uniform(0, self.think))  # users do not arrive together
        while time.monotonic() < self.stop_at:
            path = self.random.choice(paths)
            started = time.perf_counter()
            status, _body = self.fetch(path)
            self.results.append((path, status, time.perf_counter() - started))
            time.sleep(self.random.uniform(0.5 * self.think, 1.5 * self.think))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_load(target: str, env: dict, options, users) -> dict:
    port = free_port()
    server = start_gunicorn(target, port, options.workers, env)
    try:
        pids = worker_pids(server.pid)
        results: list = []
        stop_at = time.monotonic() + options.seconds
        threads = [User(f"http://127.0.0.1:{port}", name, mix, stop_at, options.think,
                        results, n) for n, (name, mix) in enumerate(users)]
        for thread in threads:  # log in, and each page once per worker, before measuring
            if thread.username:
                thread.login()
                thread.username = None
        for thread in threads[:options.workers * 2]:
            for path, _weight in thread.mix:
                thread.fetch(path)
        cpu_before, wall = cpu_seconds(pids), time.monotonic()
        load_before = os.getloadavg()[0]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - wall
        cpu = cpu_seconds(pids) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = [elapsed for _path, status, elapsed in results]
    errors = sum(1 for _path, status, _elapsed in results if status != 200)
    return {"count": len(results), "rate": len(results) / wall, "errors": errors,
            "p50": 1000 * statistics.median(times), "p95": 1000 * percentile(times, 95),
            "p99": 1000 * percentile(times, 99), "cpu_ms": 1000 * cpu / max(1, len(results)),
            "load": (load_before, os.getloadavg()[0]),
            "by_status": sorted({status for _p, status, _e in results})}


def show(name: str, figures: dict) -> None:
    print(f"{name:<28}{figures['count']:>7}{figures['rate']:>8.1f}{figures['p50']:>8.0f}"
          f"{figures['p95']:>8.0f}{figures['p99']:>8.0f}{figures['errors']:>8}"
          f"{figures['cpu_ms']:>9.1f}   load {figures['load'][0]:.2f} → "
          f"{figures['load'][1]:.2f}  statuses {figures['by_status']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=20000)
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-http-"))
    url = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    started = time.perf_counter()
    seed(url, options.people, options.requests)
    print(f"{options.people} people, {options.requests} requests, {url.split(':')[0]} "
          f"(seeded in {time.perf_counter() - started:.0f} s); {options.users} users, "
          f"{options.think:g} s think time, {options.seconds} s, gunicorn "
          f"{options.workers} workers")
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-http-load",
               AUDIT_HMAC_KEY="bench-http-load-audit-key", MAIL_DELIVERY="cron",
               PYTHONPATH=str(ROOT),
               # The second sign-in factor is a login step, not a cost of each page (and
               # one TOTP code cannot be replayed by the four staff users signing in).
               TWO_FACTOR_ROLES=" ")
    # u0 holds every staff role; one user in five is staff, the rest employees.
    users = [("u0" if n % 5 == 0 else f"u{n}", STAFF if n % 5 == 0 else EMPLOYEE)
             for n in range(options.users)]
    print(f"{'':<28}{'req':>7}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}"
          f"{'CPU/req':>9}  (ms)")
    app_figures = run_load("app:app", env, options, users)
    show("application (mix)", app_figures)
    bare = run_load("bench.bare_app:app", env, options,
                    [(None, BARE) for _ in range(options.users)])
    show("bare Flask page", bare)
    print(f"CPU per request, application / bare: {app_figures['cpu_ms'] / bare['cpu_ms']:.1f}× "
          f"(target ≤ 8); p95 {app_figures['p95']:.0f} ms (target < 300), "
          f"errors {app_figures['errors']} (target 0)")


if __name__ == "__main__":
    main()
