"""A generated catalogue for the landscape map's scale tests: 20 domains of 100 event types
each (2,000 in all), one bus per domain, five producer services per domain, and consumers
whose rules pick events of a neighbouring domain (flows across domains), built through the
services as a registry's users would."""

from __future__ import annotations

from app.core.access import Actor
from app.services import catalog
from app.services.transaction import atomic

SYSTEM = Actor.system("test")
DOMAINS = 20
EVENTS_PER_DOMAIN = 100


def domain_slug(index: int) -> str:
    """The slug of the index-th generated domain: ``area-00``…"""
    return f"area-{index:02d}"


def event_name(domain: int, index: int) -> str:
    """A past-tense PascalCase name, unique per domain."""
    return f"Thing{domain:02d}x{index:03d}Happened"


def producer(domain: int, index: int) -> str:
    """Five producer services per domain, the events dealt out among them."""
    return f"producer-{domain:02d}-{index % 5}"


def build(session) -> None:
    """Register the whole catalogue in one transaction (as bench/ui_speed.py does)."""
    with atomic(session):
        _build(session)


def _build(session) -> None:
    for d in range(DOMAINS):
        slug = domain_slug(d)
        catalog.create_team(session, SYSTEM, f"team-{d:02d}", f"Team {d:02d}")
        catalog.create_domain(session, SYSTEM, slug, f"Area {d:02d}", f"team-{d:02d}")
        catalog.create_bus(session, SYSTEM, f"{slug}-bus", slug, "eventbridge")
        for e in range(EVENTS_PER_DOMAIN):
            catalog.create_event_type(
                session, SYSTEM, slug, event_name(d, e), bus=f"{slug}-bus", producer=producer(d, e)
            )
    for d in range(DOMAINS):
        upstream = (d + 1) % DOMAINS
        wanted = [event_name(upstream, e) for e in range(0, EVENTS_PER_DOMAIN, 10)]
        # A producer of this domain reads ten events of the next one: a flow between domains.
        catalog.create_consumer(
            session,
            SYSTEM,
            producer(d, 0),
            f"{domain_slug(upstream)}-bus",
            team=f"team-{d:02d}",
            pattern={"detail-type": wanted},
        )
