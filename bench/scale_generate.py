"""Generate a large catalogue through Eventry's own services (issue #13 item 4, "Scale").

The default is issue #13's: 10,000 event types x 5 versions x 3 samples with 1,000 consumers,
over 100 domains (one team per 5 domains, one bus per domain on five router kinds), schemas of 8
to 50 fields (some nested), and consumers with EventBridge-style rules and the fields they read.
Every row is written by the use cases a user's requests run (app.services: create_team,
create_domain, create_bus, create_event_type, register_version with its compatibility check,
add_sample, create_consumer), one transaction per event type, so the catalogue holds exactly what
a registry fed through its API would: audit entries, field index, search index and outbox
included. Nothing is written around the services.

On 2 shared cores this takes tens of minutes for 10,000 event types, so a SQLite catalogue is
kept under bench/out/ (gitignored), named by GENERATOR and the sizes, and reused while the
generator is unchanged (bump GENERATOR when what it writes changes). A PostgreSQL database
(``--database-url``) is generated into when it is empty and reused when it holds this
generator's catalogue (its marker team says which).

Run: ``.venv/bin/python bench/scale_generate.py [--events 10000] [--database-url URL]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.core.access import Actor  # noqa: E402
from app.services import catalog, samples, versions  # noqa: E402
from app.services.database import upgrade  # noqa: E402
from app.services.transaction import atomic  # noqa: E402

# Bump when the catalogue it writes changes: a cached catalogue of another generator is not used.
GENERATOR = 1
OUT = ROOT / "bench" / "out"
SYSTEM = Actor.system("bench")
DOMAINS = 100
ROUTERS = ("eventbridge", "kafka", "kinesis", "sns", "sqs")
ENTITIES = [
    "Order",
    "Invoice",
    "Payment",
    "Refund",
    "Shipment",
    "Parcel",
    "Customer",
    "Account",
    "Product",
    "Price",
    "Stock",
    "Basket",
    "Coupon",
    "Review",
    "Return",
    "Subscription",
    "Plan",
    "Ticket",
    "Booking",
    "Seat",
    "Route",
    "Driver",
    "Vehicle",
    "Warehouse",
    "Supplier",
]
ACTIONS = [
    "Created",
    "Updated",
    "Cancelled",
    "Approved",
    "Rejected",
    "Shipped",
    "Delivered",
    "Archived",
    "Renewed",
    "Expired",
    "Opened",
    "Closed",
    "Assigned",
    "Released",
    "Reserved",
    "Confirmed",
    "Flagged",
    "Merged",
    "Split",
    "Restored",
]
AREAS = [
    "billing",
    "fulfilment",
    "catalogue",
    "checkout",
    "customers",
    "inventory",
    "logistics",
    "pricing",
    "support",
    "travel",
]


def sizes(events: int) -> dict[str, int]:
    """The catalogue's sizes (issue #13's ratios: 5 versions, 3 samples, a consumer per 10)."""
    return {"events": events, "versions": 5, "samples": 3, "consumers": max(1, events // 10)}


def cached_sqlite(events: int) -> Path:
    """Where the SQLite catalogue of this generator and size is kept."""
    size = sizes(events)
    name = f"scale-g{GENERATOR}-{events}x{size['versions']}x{size['samples']}-{size['consumers']}"
    return OUT / f"{name}.db"


def marker() -> str:
    """The team whose presence says this generator's catalogue is there (PostgreSQL)."""
    return f"scale-bench-g{GENERATOR}"


def domain_slug(index: int) -> str:
    return f"{AREAS[index % len(AREAS)]}-{index:02d}"


def event_name(index: int) -> tuple[str, str]:
    """(domain slug, event name) of the index-th event type: names unique within a domain."""
    domain, within = index % DOMAINS, index // DOMAINS
    entity = ENTITIES[(within + domain) % len(ENTITIES)]
    action = ACTIONS[(within // len(ENTITIES) + domain) % len(ACTIONS)]
    suffix = within // (len(ENTITIES) * len(ACTIONS))
    return domain_slug(domain), f"{entity}{action}{'V' + str(suffix) if suffix else ''}"


def schema(index: int, version: int) -> dict:
    """A closed schema of 8 to 50 fields (every third with a nested object); each version adds
    one optional field, so every version is BACKWARD compatible with the one before."""
    entity = event_name(index)[1]
    key = f"{entity[0].lower()}{entity[1:]}Id"
    properties: dict = {
        "eventId": {"type": "string", "format": "uuid", "description": "Unique id of the event."},
        "occurredAt": {"type": "string", "format": "date-time", "description": "When."},
        key: {"type": "string", "pattern": "^[a-z]{3}_[0-9a-z]{8}$", "description": "Entity."},
        "status": {"type": "string", "enum": ["new", "active", "closed"]},
    }
    for extra in range(4 + (index * 7) % 42):
        kind = ("string", "integer", "boolean", "number")[extra % 4]
        properties[f"attribute{extra}"] = {"type": kind, "description": f"Attribute {extra}."}
    if index % 3 == 0:
        properties["amount"] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["value", "currency"],
            "properties": {
                "value": {"type": "integer", "description": "Minor units."},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
        }
    for added in range(1, version):
        properties[f"note{added}"] = {"type": "string", "maxLength": 200}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["eventId", "occurredAt", key, "status"],
        "properties": properties,
    }


def payload(index: int, number: int) -> dict:
    entity = event_name(index)[1]
    return {
        "eventId": f"0b1c2d3e-4f50-4617-8293-{number:012d}",
        "occurredAt": "2026-01-01T00:00:00Z",
        f"{entity[0].lower()}{entity[1:]}Id": f"ent_{index:08d}",
        "status": "active",
    }


def generate(url: str, events: int) -> float:
    """Write the catalogue into an empty, migrated database; returns the seconds it took."""
    upgrade(url)
    # No refresher thread: it would contend for SQLite's one writer with every event type
    # written; bench/scale_speed.py analyses the catalogue with `eventry analyse` instead.
    app = create_app(
        {
            "database_url": url,
            "demo": False,
            "admin_token": "evt_scale_bench",
            "analysis_refresh": False,
        }
    )
    started = time.perf_counter()
    try:
        with app.extensions["eventry"].sessions() as session:
            _landscape(session)
            every = max(1, events // sizes(events)["consumers"])
            for index in range(events):
                with atomic(session):
                    _event_type(session, index, with_consumer=index % every == 0)
                session.expunge_all()  # the identity map stays one event type deep
                if index % 500 == 499:
                    print(f"  {index + 1} event types ({time.perf_counter() - started:.0f} s)")
    finally:
        app.extensions["eventry"].engine.dispose()
    return time.perf_counter() - started


def _landscape(session) -> None:
    with atomic(session):
        catalog.create_team(session, SYSTEM, marker(), "Scale bench marker")
        for team in range(DOMAINS // 5):
            catalog.create_team(session, SYSTEM, f"team-{team:02d}", f"Team {team}")
        for index in range(DOMAINS):
            slug = domain_slug(index)
            name = f"{AREAS[index % len(AREAS)].title()} {index}"
            catalog.create_domain(session, SYSTEM, slug, name, f"team-{index // 5:02d}")
            router = ROUTERS[index % len(ROUTERS)]
            catalog.create_bus(session, SYSTEM, f"{slug}-events", slug, router)


def _event_type(session, index: int, with_consumer: bool) -> None:
    domain, name = event_name(index)
    entity = name.rstrip("0123456789V")
    catalog.create_event_type(
        session,
        SYSTEM,
        domain,
        name,
        bus=f"{domain}-events",
        producer=f"{domain}-service-{index % 3}",
        aggregate=entity,
        command=f"Handle{entity}",
        description=f"Raised when the {domain} context records a change: {entity} ({index}).",
    )
    for version in range(1, 6):
        versions.register_version(session, SYSTEM, domain, name, schema(index, version))
    samples.add_sample(session, SYSTEM, domain, name, "first", payload(index, 1))
    samples.add_sample(session, SYSTEM, domain, name, "second", payload(index, 2))
    samples.add_sample(
        session, SYSTEM, domain, name, "invalid-status", {**payload(index, 3), "status": "x"}
    )
    if with_consumer:
        _consumer(session, index, domain, name)


def _consumer(session, index: int, domain: str, name: str) -> None:
    bus = f"{domain}-events"
    router = ROUTERS[(index % DOMAINS) % len(ROUTERS)]
    # An EventBridge rule names the event's detail-type; on the other routers the consumer
    # filters on the payload's status, in the same notation (app.core.routing).
    pattern = {"detail-type": [name]} if router == "eventbridge" else {"status": ["active"]}
    entity = name[0].lower() + name[1:]
    catalog.create_consumer(
        session,
        SYSTEM,
        f"{AREAS[(index // DOMAINS) % len(AREAS)]}-{entity}-reader-{index}",
        bus,
        team=f"team-{(index // 7) % (DOMAINS // 5):02d}",
        event=f"{domain}.{name}",
        pattern=pattern,
        fields=["/eventId", "/status"],
        description=f"Reads {name} to keep its own view of {domain} up to date.",
    )


def generate_sqlite(events: int) -> float:
    """Generate the cached SQLite catalogue (renamed into place only once complete)."""
    target = cached_sqlite(events)
    OUT.mkdir(exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    seconds = generate(f"sqlite:///{partial}", events)
    partial.rename(target)
    # app.db.serial's lock file beside the database, left by the migration
    partial.with_suffix(".partial.lock").unlink(missing_ok=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--database-url", help="generate into this (PostgreSQL) database")
    options = parser.parse_args()
    if options.database_url:
        seconds = generate(options.database_url, options.events)
    else:
        seconds = generate_sqlite(options.events)
    print(f"generated {options.events} event types in {seconds:.0f} s")


if __name__ == "__main__":
    main()
