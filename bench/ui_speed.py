"""Server time of every catalogue page: the demo catalogue, then 2,000 event types x 5 versions.

Targets (not asserted in the tests): under 100 ms per page with the demo catalogue, under 300 ms
with the large one. The large catalogue is generated through the services into a temporary
SQLite file. Run: .venv/bin/python bench/ui_speed.py [--events 2000] [--versions 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import Settings  # noqa: E402
from app.core.access import Actor  # noqa: E402
from app.db import migrate  # noqa: E402
from app.services import catalog, samples, versions  # noqa: E402
from app.services.bootstrap import bootstrap  # noqa: E402
from app.services.transaction import atomic  # noqa: E402

SYSTEM = Actor.system("bench")
RUNS = 7
DOMAINS = 20
DEMO_PAGES = [
    "/",
    "/domains/orders",
    "/buses/orders-events",
    "/buses/orders-events?events_per_second=50",
    "/events/orders/OrderPlaced",
    "/events/orders/OrderPlaced/versions/1",
    "/events/orders/OrderPlaced/diff?from=1&to=3",
    "/events/orders/OrderPlaced/validate",
    "POST /events/orders/OrderPlaced/validate",
    "/search?q=customerId",
    "/teams",
    "/teams/checkout",
    "/audit",
]
# The landscape map draws the whole catalogue, asking every consumer rule about every event on
# its bus: its own budgets (docs/ui.md#the-landscape-map).
MAP_DEMO_PAGES = ["/map", "/map?focus=domain:orders", "/map.svg"]
MAP_LARGE_PAGES = ["/map", "/map?focus=domain:d07", "/map.svg?focus=domain:d07"]
LARGE_PAGES = [
    "/",
    "/domains/d07",
    "/buses/d07-events",
    "/buses/d07-events?events_per_second=50",
    "/events/d07/{name}",
    "/events/d07/{name}/versions/1",
    "/events/d07/{name}/diff?from=1&to=5",
    "/events/d07/{name}/validate",
    "POST /events/d07/{name}/validate",
    "/search?q=thingId",
    "/search?q=note4",
    "/teams",
    "/teams/t07",
    "/audit",
]


def server_ms(client, page: str) -> float:
    """Median time of RUNS requests for a page, after one warm-up request."""
    method, path = page.split(" ", 1) if " " in page else ("GET", page)
    data = {"event": '{"thingId": 5}'} if method == "POST" else None
    timings = []
    for run in range(RUNS + 1):
        started = time.perf_counter()
        response = client.open(path, method=method, data=data)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (page, response.status_code)
        if run:
            timings.append(elapsed)
    return statistics.median(timings)


def measure(url: str, pages: list[str], budget_ms: float, title: str) -> bool:
    """Print each page's median server time against the budget; return whether all fit."""
    app = create_app({"database_url": url, "demo": False, "admin_token": "evt_bench"})
    client = app.test_client()
    print(f"\n{title} (budget {budget_ms:.0f} ms, median of {RUNS})")
    fits = True
    for page in pages:
        ms = server_ms(client, page)
        fits &= ms <= budget_ms
        print(f"  {ms:8.1f} ms  {'ok  ' if ms <= budget_ms else 'SLOW'}  {page}")
    app.extensions["eventry"].engine.dispose()
    return fits


def schema(version: int) -> dict:
    """The schema of a generated event's version: a closed model gaining an optional field."""
    properties = {
        "eventId": {"type": "string", "format": "uuid", "description": "Id of this event."},
        "occurredAt": {"type": "string", "format": "date-time"},
        "thingId": {"type": "string", "pattern": "^thg_[0-9a-z]{8}$"},
        "thingVersion": {"type": "integer", "minimum": 1},
        "status": {"type": "string", "enum": ["new", "active", "retired"]},
        "owner": {
            "type": "object",
            "additionalProperties": False,
            "required": ["ownerId"],
            "properties": {"ownerId": {"type": "string"}, "name": {"type": "string"}},
        },
    }
    for extra in range(1, version):
        properties[f"note{extra}"] = {"type": "string", "maxLength": 200}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["eventId", "occurredAt", "thingId", "thingVersion", "status"],
        "properties": properties,
    }


def generate(url: str, events: int, per_event: int) -> None:
    """Create DOMAINS domains with a bus each, and `events` event types with versions."""
    migrate.upgrade(url)
    app = create_app({"database_url": url, "demo": False, "admin_token": "evt_bench"})
    started = time.perf_counter()
    with app.extensions["eventry"].sessions() as session, atomic(session):
        for d in range(DOMAINS):
            catalog.create_team(session, SYSTEM, f"t{d:02}", f"Team {d}")
            catalog.create_domain(session, SYSTEM, f"d{d:02}", f"Domain {d}", f"t{d:02}")
            router = ("eventbridge", "kafka", "kinesis", "sns")[d % 4]
            catalog.create_bus(session, SYSTEM, f"d{d:02}-events", f"d{d:02}", router)
        for index in range(events):
            _event(session, index, per_event)
            if index % 250 == 249:
                print(f"  {index + 1} event types ({time.perf_counter() - started:.0f} s)")
    app.extensions["eventry"].engine.dispose()


def _event(session, index: int, per_event: int) -> None:
    domain = f"d{index % DOMAINS:02}"
    name = f"Thing{index // DOMAINS:04}Changed"
    catalog.create_event_type(
        session,
        SYSTEM,
        domain,
        name,
        bus=f"{domain}-events",
        producer=f"svc-{index % 37}",
        aggregate="Thing",
        command="ChangeThing",
        description=f"Generated event {index}.",
    )
    for version in range(1, per_event + 1):
        versions.register_version(session, SYSTEM, domain, name, schema(version), f"v{version}")
    valid = {
        "eventId": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
        "occurredAt": "2025-01-01T00:00:00Z",
        "thingId": "thg_0000abcd",
        "thingVersion": 1,
        "status": "new",
    }
    samples.add_sample(session, SYSTEM, domain, name, "ok", valid)
    invalid = {**valid, "status": "x"}
    samples.add_sample(session, SYSTEM, domain, name, "invalid-status", invalid)
    for reader in range(2):
        catalog.create_consumer(
            session,
            SYSTEM,
            f"reader-{reader}",
            f"{domain}-events",
            team=f"t{(index + reader) % DOMAINS:02}",
            event=f"{domain}.{name}",
            fields=["/thingId", "/status"],
        )


def main() -> int:
    """Measure both catalogues; exit 1 when a page misses its budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--versions", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        demo = f"sqlite:///{Path(folder) / 'demo.db'}"
        bootstrap(Settings(database_url=demo, demo=True, admin_token="evt_bench"))
        fits = measure(demo, DEMO_PAGES, 100, "Demo catalogue")
        fits &= measure(demo, MAP_DEMO_PAGES, 1000, "Demo catalogue, the landscape map")
        large = f"sqlite:///{Path(folder) / 'large.db'}"
        print(f"\nGenerating {args.events} event types x {args.versions} versions …")
        generate(large, args.events, args.versions)
        total = f"{args.events} event types x {args.versions} versions"
        name = f"Thing{args.events // DOMAINS // 2:04}Changed"
        pages = [page.format(name=name) for page in LARGE_PAGES]
        fits &= measure(large, pages, 300, total)
        fits &= measure(large, MAP_LARGE_PAGES, 5000, f"{total}, the landscape map")
    return 0 if fits else 1


if __name__ == "__main__":
    sys.exit(main())
