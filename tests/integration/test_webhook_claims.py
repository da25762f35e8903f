"""Claiming due deliveries: on PostgreSQL two workers (two connections, as on two hosts) never
take the same delivery (FOR UPDATE SKIP LOCKED); a claim leases the delivery, so it is not
due again until the lease runs out."""

from __future__ import annotations

import pytest

from app.core.access import Actor
from app.db.base import utcnow
from app.db.queries import webhooks as queries
from app.services import catalog, delivery, webhooks

SYSTEM = Actor.system("test")


@pytest.fixture
def pending(app, session) -> int:
    """A webhook of team checkout with three pinged (pending, due) deliveries; its id."""
    catalog.create_team(session, SYSTEM, "checkout", "Checkout")
    hook = webhooks.create_webhook(
        session, SYSTEM, "http://127.0.0.1:9/hook", {"team": "checkout"}, allow_private=True
    ).webhook
    for _ in range(3):
        webhooks.ping(session, SYSTEM, hook.id)
    return hook.id


def test_two_workers_never_claim_the_same_delivery(app, pending):
    sessions = app.extensions["eventry"].sessions
    if app.extensions["eventry"].engine.dialect.name != "postgresql":
        # SQLite has one writer at a time: two workers' claims follow one another, and the
        # first one's lease keeps its deliveries from the second.
        policy = delivery.Policy(batch=2, allow_private=True)
        first = {item.delivery_id for item in delivery.claim(sessions, policy)}
        second = {item.delivery_id for item in delivery.claim(sessions, policy)}
        assert len(first) == 2 and len(second) == 1 and not first & second
        return
    with sessions() as first, sessions() as second:
        taken = [d.id for d in queries.due(first, utcnow(), 2)]  # held until first ends
        others = [d.id for d in queries.due(second, utcnow(), 10)]
        assert len(taken) == 2 and len(others) == 1 and not set(taken) & set(others)
        first.rollback()
        second.rollback()


def test_a_claimed_delivery_is_leased_until_its_attempt_is_recorded(app, pending):
    sessions = app.extensions["eventry"].sessions
    policy = delivery.Policy(batch=10, allow_private=True)
    claimed = delivery.claim(sessions, policy)
    assert len(claimed) == 3 and {item.attempt for item in claimed} == {1}
    assert delivery.claim(sessions, policy) == []  # leased: another worker finds none due
    with sessions() as session:
        assert not queries.any_due(session, utcnow())
