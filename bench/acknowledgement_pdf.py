"""Acknowledgement PDF speed: prints figures (not a timed test).

    .venv/bin/python bench/acknowledgement_pdf.py [--warm 60] [--batch 500] [--memory 1000]
        [--runs 3]

- warm render through hr_social.pdf (shared FontConfiguration, pre-parsed CSS): p50 / p95
- the same HTML with a fresh default ``HTML(string=…).write_pdf()`` each time: p50 / p95, ratio
- a batch merged into one PDF with worker processes (both cores), each document's copy
  hash included as the job keeps it: ms per document against a fresh default write_pdf()
  of the same run (median of --runs runs), KiB per document; the same in CPU time (what
  the batch costs with both cores free: the figure that load on a shared machine distorts least)
- where the CPU goes (layout, copies, joining; one HTML document per batch for comparison)
- memory over many renders in one process (RSS every 100 renders), peak RSS per process
- first PDF after start-up: with the background warm-up vs a cold import
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def build_htmls(count: int) -> list[str]:
    """Acknowledgement HTML for ``count`` people, from a throw-away database."""
    from hr_social import create_app
    from hr_social.acknowledgements import documents, policy_services
    from hr_social.acknowledgements.models import Acknowledgement
    from hr_social.db import db
    from hr_social.documents.letter import organisation_context
    from hr_social.people.models import Person, Service

    folder = tempfile.mkdtemp(prefix="bench-ack-")
    app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"})
    app.instance_path = folder
    with app.app_context(), app.test_request_context():
        db.create_all()
        service = Service(code="TP", name="Travaux publics")
        db.session.add(service)
        for i in range(count):
            db.session.add(Person(employee_number=f"B{i:05d}", first_name="Élise",
                                  last_name=f"Bélanger-Côté {i:04d}", service=service))
        db.session.flush()
        version = policy_services.create_version(
            None, title="Politique portant sur les médias sociaux", version_label="2020-10",
            effective_date=dt.date(2020, 10, 1), body="## 1 Objet\n\nTexte.\n")
        policy_services.publish_version(None, version)
        organisation = organisation_context()
        acks = db.session.scalars(db.select(Acknowledgement).order_by(Acknowledgement.id)).all()
        htmls = [documents.acknowledgement_html(a, documents.issue(a, "printed"),
                                                organisation=organisation) for a in acks]
        db.session.rollback()
    return htmls


def breakdown(htmls: list[str]) -> None:
    """Where a batch's CPU goes, per document, in this process: the layout, each document
    written alone (its copy hash), the pages of all joined into one file from those copies
    (and, for comparison, drawn again by WeasyPrint as one file); and the same
    documents laid out as ONE HTML document (each one after a page break) to see whether
    one layout per batch would be cheaper."""
    import re

    from hr_social import pdf

    started = time.process_time()
    documents = [pdf._document(html) for html in htmls]
    laid_out = time.process_time()
    pdfs = []
    for document in documents:
        document.write_pdf(finisher=lambda _d, p: pdfs.append(p))
    written = time.process_time()
    pdf._join_written(documents, pdfs)  # what the workers do: the copies' pages joined
    joined = time.process_time()
    documents[0].copy([p for d in documents for p in d.pages]).write_pdf()
    drawn_again = time.process_time()
    bodies = [re.search(r"<body>(.*)</body>", html, re.S).group(1) for html in htmls]
    one = (htmls[0].split("<body>")[0] + "<body>" + "".join(
        f'<section style="page-break-before: always">{body}</section>' for body in bodies)
        + "</body></html>")
    single = time.process_time()
    pdf._document(one)
    single_done = time.process_time()
    n = len(htmls)
    print(f"CPU per document over {n}: layout {1000 * (laid_out - started) / n:.1f} ms, "
          f"written alone (copy hash) {1000 * (written - laid_out) / n:.1f} ms, joined "
          f"into one file {1000 * (joined - written) / n:.1f} ms (drawn again: "
          f"{1000 * (drawn_again - joined) / n:.1f} ms); laid out as one HTML "
          f"document {1000 * (single_done - single) / n:.1f} ms")


def first_pdf_after_start(warm: bool) -> float:
    """Seconds for the first PDF, 1.5 s after the app started (a user arriving)."""
    code = f"""
import time, sys
sys.path.insert(0, {str(ROOT)!r})
from hr_social import create_app
from hr_social import pdf
app = create_app({{"SECRET_KEY": "x", "PDF_WARM_AT_START": {warm}}})
time.sleep(1.5)
start = time.perf_counter()
pdf.html_to_pdf("<p>Premier PDF « é »</p>")
print(time.perf_counter() - start)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tempfile.mkdtemp())
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm", type=int, default=60)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--memory", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--group", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    print(f"load average before: {os.getloadavg()}  cpus: {os.cpu_count()}")
    from hr_social import pdf

    if args.batch > args.group and args.workers > 1:
        pdf.worker_context()  # as the print job does: the workers' server starts, warms
        # up while the letters are built (run 1 no longer pays its 0.5 s start)
    htmls = build_htmls(max(args.batch, args.warm))
    html = htmls[0]

    started = time.perf_counter()
    pdf.warm()
    print(f"import + warm-up: {1000 * (time.perf_counter() - started):.0f} ms")
    pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(
        pdf.html_to_pdf(html))).pages)
    print(f"pages per acknowledgement: {pages}")

    import weasyprint

    css_text = pdf.PDF_CSS.read_text(encoding="utf-8")

    ours, default = [], []
    for _ in range(args.warm):  # interleaved: both see the same machine load
        t = time.perf_counter()
        pdf.html_to_pdf(html)
        ours.append(1000 * (time.perf_counter() - t))
        t = time.perf_counter()
        weasyprint.HTML(string=html, base_url=pdf.ASSET_BASE).write_pdf(
            stylesheets=[weasyprint.CSS(string=css_text)])
        default.append(1000 * (time.perf_counter() - t))
    p50, p95 = statistics.median(ours), percentile(ours, 95)
    d50, d95 = statistics.median(default), percentile(default, 95)
    print(f"warm render (helper):   p50 {p50:.0f} ms  p95 {p95:.0f} ms  (n={args.warm})")
    print(f"default write_pdf():    p50 {d50:.0f} ms  p95 {d95:.0f} ms")
    print(f"ratio helper/default:   p50 {p50 / d50:.2f}  p95 {p95 / d95:.2f}  (target <= 0.9)")
    print("  (default: a fresh HTML(string=…).write_pdf() with print.css parsed each time)")

    breakdown(htmls[:min(25, len(htmls))])

    batch = htmls[:args.batch]
    ratios, cpu_ratios = [], []
    for run in range(args.runs):
        # The reference of this run: a fresh default write_pdf(), next to the batch.
        fresh, fresh_cpu = [], []
        for sample in htmls[:5]:
            t, c = time.perf_counter(), time.process_time()
            weasyprint.HTML(string=sample, base_url=pdf.ASSET_BASE).write_pdf(
                stylesheets=[weasyprint.CSS(string=css_text)])
            fresh.append(1000 * (time.perf_counter() - t))
            fresh_cpu.append(1000 * (time.process_time() - c))
        load = os.getloadavg()[0]
        t = time.perf_counter()
        data, digests = pdf.render_many_with_copies(batch, workers=args.workers,
                                                    group_size=args.group)
        total = time.perf_counter() - t
        # Reported by the batch: this process and each worker process (forked from a
        # forkserver, so not this process's children for getrusage).
        cpu = pdf.last_batch["cpu"]
        per_doc = 1000 * total / len(batch)
        ratios.append(per_doc / statistics.median(fresh))
        # CPU seconds (workers and merge) do not count the time spent waiting for a core on
        # a shared machine: what the batch would take with both cores free.
        cpu_per_doc = 1000 * cpu / len(batch)
        cpu_ratios.append(cpu_per_doc / args.workers / statistics.median(fresh_cpu))
        print(f"run {run + 1}: batch of {len(batch)} with copy hashes ({args.workers} workers, "
              f"groups of {args.group}): {total:.1f} s, {per_doc:.0f} ms/doc, "
              f"{len(data) / len(batch) / 1024:.1f} KiB/doc; fresh default "
              f"{statistics.median(fresh):.0f} ms; ratio {ratios[-1]:.2f}; load {load:.2f}")
        print(f"       CPU: batch {cpu_per_doc:.0f} ms/doc (all processes), fresh default "
              f"{statistics.median(fresh_cpu):.0f} ms; ratio with {args.workers} free cores "
              f"{cpu_ratios[-1]:.2f}")
    assert len(digests) == len(batch)
    print(f"median ratio batch/fresh default over {args.runs} runs: "
          f"{statistics.median(ratios):.2f} (target <= 0.25); in CPU time, both cores free: "
          f"{statistics.median(cpu_ratios):.2f}")
    print(f"peak RSS of a worker process: {pdf.last_batch['worker_peak_mib']:.0f} MiB")

    samples = []
    t = time.perf_counter()
    for i in range(args.memory):
        pdf.html_to_pdf(htmls[i % len(htmls)])
        if i % 100 == 99:
            samples.append(round(rss_mb()))
    print(f"memory over {args.memory} renders in one process (RSS MiB every 100): {samples}"
          f"  ({1000 * (time.perf_counter() - t) / max(1, args.memory):.0f} ms/doc)")
    print(f"peak RSS of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")

    cold, warmed = first_pdf_after_start(False), first_pdf_after_start(True)
    print(f"first PDF after start-up: cold {1000 * cold:.0f} ms, "
          f"with background warm-up {1000 * warmed:.0f} ms")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
