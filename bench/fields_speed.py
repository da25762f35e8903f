"""CPU milliseconds per request of the shared-fields answers (the fields list and its filters, a
field's page, an event's analysis and page, which show its field conflicts), measured as
bench/catalogue_cache_speed.py measures the catalogue-wide pages: in one process through
Flask's test client on a copy of a SQLite catalogue (whose work runs in this thread), the best
of 3 after a warm-up by time.thread_time, with the catalogue cache emptied before each request
(the first request after a write: "miss") and kept ("hit").

Run on a generated catalogue (bench/scale_generate.py), e.g.
``.venv/bin/python bench/fields_speed.py bench/out/scale-g1-2000x5x3-200.db``; with another
checkout on PYTHONPATH it measures that code, for a before-and-after comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

from catalogue_cache_speed import measure  # bench/, the folder of this script

PAGES = [
    "/api/v1/fields",
    "/api/v1/fields?limit=100",
    "/api/v1/fields?conflicts=true",
    "/api/v1/fields?name=note",
    "/fields",
    "/fields?name=attribute1",
    "/api/v1/fields/amount",
    "/api/v1/fields/note4",
    "/api/v1{event}/analysis",
    "{event}",
]

if __name__ == "__main__":
    measure(Path(sys.argv[1]), PAGES)
