"""On PostgreSQL a registration that finds its event type's lock free is judged once, under
it; one that finds it held, and every one on SQLite (whose write transaction locks the whole
database), judges before waiting for the lock, and cannot be slipped past by a concurrent write
between that judgement and the lock (docs/architecture.md)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app.core.access import Actor
from app.core.errors import Conflict
from app.db.models import AuditEntry, SchemaVersion
from app.db.queries.catalog import event_type_by_name
from app.services import catalog
from app.services import versions as versions_service
from app.services.samples import add_sample
from app.services.versions import register_version

ACTOR = Actor.system("test")
V1 = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"orderId": {"type": "string"}},
}
# Each is BACKWARD compatible with V1 (an optional property added to a closed model), but not
# with the other: "note" is a string in one and an integer in the other.
AS_TEXT = {**V1, "properties": {**V1["properties"], "note": {"type": "string"}}}
AS_NUMBER = {**V1, "properties": {**V1["properties"], "note": {"type": "integer"}}}


@pytest.fixture
def orders(session):
    catalog.create_team(session, ACTOR, "checkout", "Checkout")
    catalog.create_domain(session, ACTOR, "orders", "Orders", "checkout")
    catalog.create_event_type(session, ACTOR, "orders", "OrderPlaced")
    register_version(session, ACTOR, "orders", "OrderPlaced", V1)
    return session


def _numbers(session) -> list[int]:
    session.expire_all()
    return list(session.scalars(select(SchemaVersion.version).order_by(SchemaVersion.version)))


def _interleave(monkeypatch, app, write, name="OrderPlaced"):
    """Run ``write`` (in its own session) right after the first judgement, before the lock.
    On PostgreSQL the event type's lock is held by another transaction until then, so the
    registration judges before waiting for it (as when another writer holds it)."""
    holder = app.extensions["eventry"].sessions()
    if holder.get_bind().dialect.name == "postgresql":
        assert event_type_by_name(holder, "orders", name, lock=True) is not None
    real = versions_service.judge
    calls = []

    def judge(*args, **kwargs):
        verdict = real(*args, **kwargs)
        calls.append(verdict.compatible)
        if len(calls) == 1:
            holder.rollback()
            holder.close()
            monkeypatch.setattr(versions_service, "judge", real)  # the other writer's own
            with app.extensions["eventry"].sessions() as other:
                write(other)
            monkeypatch.setattr(versions_service, "judge", judge)
        return verdict

    monkeypatch.setattr(versions_service, "judge", judge)
    return calls


def test_a_version_registered_between_judgement_and_lock_is_judged_again(app, orders, monkeypatch):
    calls = _interleave(
        monkeypatch,
        app,
        lambda other: register_version(other, ACTOR, "orders", "OrderPlaced", AS_NUMBER),
    )
    with pytest.raises(Conflict) as refused:
        register_version(orders, ACTOR, "orders", "OrderPlaced", AS_TEXT)
    # Compatible with what was read first, refused once the concurrent version 2 is seen.
    assert calls == [True, False]
    assert refused.value.extensions["compatibility"]["failed_version"] == 2
    assert _numbers(orders) == [1, 2]


def test_a_sample_stored_between_judgement_and_lock_is_evidence(app, orders, monkeypatch):
    # Lenient, on an open model: the rules allow a new optional "note"; a sample stored
    # meanwhile whose note is a number is the evidence that refuses it.
    catalog.create_event_type(orders, ACTOR, "orders", "OrderNoted", policy="lenient")
    open_v1 = {"type": "object", "properties": {"orderId": {"type": "string"}}}
    register_version(orders, ACTOR, "orders", "OrderNoted", open_v1)
    calls = _interleave(
        monkeypatch,
        app,
        lambda other: add_sample(
            other, ACTOR, "orders", "OrderNoted", "numeric-note", {"orderId": "o", "note": 4}
        ),
        "OrderNoted",
    )
    with_note = {**open_v1, "properties": {**open_v1["properties"], "note": {"type": "string"}}}
    with pytest.raises(Conflict) as refused:
        register_version(orders, ACTOR, "orders", "OrderNoted", with_note)
    assert calls == [True, False]
    [evidence] = refused.value.extensions["compatibility"]["evidence"]
    assert evidence["sample"] == "numeric-note"
    assert _numbers(orders) == [1, 1]  # OrderPlaced's and OrderNoted's first versions


def test_without_a_concurrent_write_the_judgement_runs_once(orders, monkeypatch):
    real = versions_service.judge
    calls = []
    monkeypatch.setattr(versions_service, "judge", lambda *a, **k: calls.append(1) or real(*a, **k))
    register_version(orders, ACTOR, "orders", "OrderPlaced", AS_TEXT)
    assert len(calls) == 1
    assert _numbers(orders) == [1, 2]


def test_with_the_lock_free_postgresql_judges_under_it(app, orders, monkeypatch):
    real = versions_service.judge
    seen = []

    def judge(*args, **kwargs):
        # On PostgreSQL another writer can neither take the event type's lock now nor change
        # what is judged; SQLite judges before its database-wide lock, as before.
        with app.extensions["eventry"].sessions() as other:
            seen.append(event_type_by_name(other, "orders", "OrderPlaced", True, False))
        return real(*args, **kwargs)

    monkeypatch.setattr(versions_service, "judge", judge)
    register_version(orders, ACTOR, "orders", "OrderPlaced", AS_TEXT)
    postgres = orders.get_bind().dialect.name == "postgresql"
    assert [each is None for each in seen] == [postgres]
    assert _numbers(orders) == [1, 2]


def test_concurrent_compatible_registrations_stay_gapless_with_checks_on(app, orders):
    # BACKWARD (the default) is on: each adds one optional property to the closed model, so
    # each is compatible with whatever was registered before it.
    sessions = app.extensions["eventry"].sessions

    def register(index: int) -> int:
        schema = {**V1, "properties": {**V1["properties"], f"field{index}": {"type": "string"}}}
        with sessions() as own:
            try:
                return register_version(own, ACTOR, "orders", "OrderPlaced", schema).version.version
            except Conflict:
                return 0  # incompatible with a concurrent one: refused, never numbered

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = [n for n in pool.map(register, range(8)) if n]
    assert sorted(numbers) == list(range(2, 2 + len(numbers)))
    assert _numbers(orders) == list(range(1, 2 + len(numbers)))
    audited = orders.scalars(
        select(AuditEntry).where(AuditEntry.action == "version.register")
    ).all()
    assert len(audited) == 1 + len(numbers)
