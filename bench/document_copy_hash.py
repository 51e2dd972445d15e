"""Cost of keeping each bulk-printed document's copy hash: prints figures (not a timed test).

    .venv/bin/python bench/document_copy_hash.py [--batch 100] [--workers 2]

- the batch merged into one PDF as the bulk print job does (``pdf.render_many``)
- then ``documents.services.copy_sha256`` for every document (the job's extra step)
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
    digests = {copy_sha256(html) for html in htmls}
    hashed = time.monotonic() - started
    assert len(digests) == len(htmls)
    n = len(htmls)
    print(f"{n} documents: merged PDF {merged:.1f} s ({1000 * merged / n:.0f} ms/doc), "
          f"copy hashes {hashed:.1f} s ({1000 * hashed / n:.0f} ms/doc, one process); "
          f"the job takes {100 * hashed / merged:.0f}% longer")


if __name__ == "__main__":
    main()
