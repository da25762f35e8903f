"""CPU milliseconds per request of the pages doing catalogue-wide work, with the catalogue
cache kept (a hit) and emptied before each request (a miss), in one process through Flask's
test client: the best of 3 after a warm-up, measured with time.thread_time (CPU time of this
thread, which the load of other processes does not inflate the way it does wall time).

Run on a copy of a generated catalogue (bench/scale_generate.py), e.g.
``.venv/bin/python bench/catalogue_cache_speed.py bench/out/scale-g1-1000x5x3-100.db``. Run with
an older checkout on PYTHONPATH (no app.services.catalogue_cache), it measures that code's
uncached figures alone, for a before-and-after comparison.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from app import create_app

PAGES = [
    "/",
    "/fields",
    "/api/v1/fields",
    "{event}",
    "/findings",
    "/api/v1/findings",
    "/events?findings=any",
    "/consumers",
    "/map",
]
REPEATS = 3

try:
    from app.services import catalogue_cache
except ImportError:  # a checkout before the cache
    catalogue_cache = None


def cpu_ms(client, page: str, forget: bool) -> float:
    """The best of REPEATS CPU times of one page, in ms (a warm-up first)."""
    best = float("inf")
    for attempt in range(REPEATS + 1):
        if forget and catalogue_cache is not None:
            catalogue_cache.forget()
        start = time.thread_time()
        response = client.get(page)
        spent = (time.thread_time() - start) * 1000
        assert response.status_code == 200, (page, response.status_code)
        if attempt:
            best = min(best, spent)
    return best


def measure(source: Path, pages: list[str]) -> dict[str, dict[str, float | None]]:
    """Each page's miss and hit figures on a copy of the catalogue at ``source``, printed as
    they come; ``{event}`` in a page is the first event type's address (``/events/d/Name``)."""
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "catalogue.db"
        shutil.copyfile(source, copy)
        app = create_app({"database_url": f"sqlite:///{copy}", "demo": False})
        client = app.test_client()
        first = client.get("/api/v1/events?limit=1").get_json()["items"][0]
        event = f"/events/{first['domain']}/{first['name']}"
        for page in pages:
            path = page.format(event=event)
            miss = cpu_ms(client, path, forget=True)
            hit = cpu_ms(client, path, forget=False) if catalogue_cache else None
            figures[page] = {"miss_ms": round(miss, 1), "hit_ms": hit and round(hit, 1)}
            print(json.dumps({page: figures[page]}), flush=True)
        app.extensions["eventry"].engine.dispose()
    return figures


def main() -> int:
    if len(sys.argv) < 2:
        # `make bench` runs every bench/*_speed.py with no argument; this one needs a catalogue.
        print("catalogue_cache_speed: skipped: give a catalogue file (bench/scale_generate.py)")
        return 0
    measure(Path(sys.argv[1]), PAGES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
