"""CPU milliseconds per request of the shared-fields answers (the fields list and its filters, a
field's page, an event's analysis and page, which show its field conflicts), in one process
through Flask's test client on SQLite (whose work runs in this thread): the best of 3 after a
warm-up, measured with time.thread_time. Each request is measured with the catalogue cache
emptied before it (the first request after a write) and kept (every other one).

Run on a copy of a generated catalogue (bench/scale_generate.py), e.g.
``.venv/bin/python bench/fields_speed.py bench/out/scale-g1-2000x5x3-200.db``; with another
checkout on PYTHONPATH it measures that code, for a before-and-after comparison.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from app import create_app
from app.services import catalogue_cache

PAGES = [
    "/api/v1/fields",
    "/api/v1/fields?limit=100",
    "/api/v1/fields?conflicts=true",
    "/api/v1/fields?name=note",
    "/fields",
    "/fields?name=attribute1",
    "/api/v1/fields/amount",
    "/api/v1/fields/note4",
    "{event}/analysis",
    "{page}",
]
REPEATS = 3


def cpu_ms(client, page: str, forget: bool) -> float:
    """The best of REPEATS CPU times of one page, in ms (a warm-up first)."""
    best = float("inf")
    for attempt in range(REPEATS + 1):
        if forget:
            catalogue_cache.forget()
        start = time.thread_time()
        response = client.get(page)
        spent = (time.thread_time() - start) * 1000
        assert response.status_code == 200, (page, response.status_code)
        if attempt:
            best = min(best, spent)
    return best


def main() -> int:
    source = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "catalogue.db"
        shutil.copyfile(source, copy)
        app = create_app({"database_url": f"sqlite:///{copy}", "demo": False})
        client = app.test_client()
        first = client.get("/api/v1/events?limit=1").get_json()["items"][0]
        page = f"/events/{first['domain']}/{first['name']}"
        for path in PAGES:
            path = path.format(event=f"/api/v1{page}", page=page)
            figures = {
                "miss_ms": round(cpu_ms(client, path, forget=True), 1),
                "hit_ms": round(cpu_ms(client, path, forget=False), 1),
            }
            print(json.dumps({path: figures}), flush=True)
        app.extensions["eventry"].engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
