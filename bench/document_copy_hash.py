"""Cost of keeping each bulk-printed document's copy hash: prints figures (not a timed test).

    .venv/bin/python bench/document_copy_hash.py [--batch 100] [--workers 2]

- the batch merged into one PDF as the bulk print job does (``pdf.render_many``)
- then ``documents.services.copy_sha256`` for every document (a second rendering each)
- ``pdf.render_many_with_copies`` (what the job does: each laid-out document written alone
  in the workers), whose digests must equal the line above
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.acknowledgement_pdf import build_htmls  # noqa: E402


def main() -> None:
    from hr_social import pdf
    from hr_social.documents.services import copy_sha256

    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    htmls = build_htmls(args.batch)
    pdf.warm()
    started = time.monotonic()
    pdf.render_many(htmls, workers=args.workers, group_size=25)
    merged = time.monotonic() - started
    started = time.monotonic()
    digests = [copy_sha256(html) for html in htmls]
    hashed = time.monotonic() - started
    started = time.monotonic()
    _data, in_workers = pdf.render_many_with_copies(htmls, workers=args.workers, group_size=25)
    together = time.monotonic() - started
    assert in_workers == digests and len(set(digests)) == len(htmls)
    n = len(htmls)
    print(f"{n} documents: merged PDF {merged:.1f} s ({1000 * merged / n:.0f} ms/doc); "
          f"rendering each again for its copy hash {hashed:.1f} s (+{100 * hashed / merged:.0f}%); "
          f"copy hashes from the workers' own layout {together:.1f} s "
          f"(+{100 * (together - merged) / merged:.0f}%)")


if __name__ == "__main__":
    main()
