"""The registration path does work bounded by the request, not by the event type's history: the
same statements whether it has 3 versions or 30 (the transitive check reads every live version
in the one statement that loads them), and each stored schema is parsed and modelled for the
compatibility engine at most once per process, however many transitive checks compare against
it (docs/performance.md, "Writes")."""

from __future__ import annotations

import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.core.compatibility.refs import Document
from app.core.schema import SchemaDocument
from app.db.models import Schema, SchemaVersion
from app.services import schemas
from tests.functional.api.conftest import ADMIN, ORDER_V1, ok
from tests.functional.ui.test_query_counts import counting

EVENT = "/api/v1/events/orders/OrderPlaced"


def revision(number: int, run: str = "") -> dict:
    """A new content compatible both ways with ORDER_V1 and every other revision."""
    return {**ORDER_V1, "description": f"revision {number} {run}".strip()}


def register(client, number: int, run: str = "") -> dict:
    body = {"schema": revision(number, run), "note": f"revision {number}"}
    return ok(client.post(f"{EVENT}/versions", json=body, headers=ADMIN), 201)


def statements_of_one_registration(app, client, number: int) -> list[str]:
    with counting(app.extensions["eventry"].engine) as seen:
        register(client, number)
    return [" ".join(each.split()[:4]) for each in seen]  # the kind and table of each


@pytest.mark.parametrize("level", ["BACKWARD", "BACKWARD_TRANSITIVE", "FULL_TRANSITIVE"])
def test_a_registration_makes_the_same_statements_however_many_versions(app, client, orders, level):
    ok(client.put(f"{EVENT}/config", json={"compatibility": level}, headers=ADMIN))
    ok(
        client.post(
            f"{EVENT}/samples",
            json={"name": "minimal", "payload": {"orderId": "o-1"}},
            headers=ADMIN,
        ),
        201,
    )
    for number in range(2):
        register(client, number)
    few = statements_of_one_registration(app, client, 100)  # against 3 versions
    for number in range(2, 29):
        register(client, number)
    many = statements_of_one_registration(app, client, 101)  # against 30 versions
    assert many == few
    # Bounded by the request: the checks, the lock, the content, the version, its field index,
    # its search-index row (read, deleted, written), the audit entry and the notification
    # outbox; none of them per version. 26 (was 34): the event type comes with its domain
    # and team in one statement (before and under the lock), new content comes back from its
    # INSERT (RETURNING), the field index is one INSERT, the search-index row reads the event
    # type with its domain and bus in one statement. Then 21 on SQLite (counting BEGINs) and
    # 14 on PostgreSQL (was 23 and 21-22): PostgreSQL judges under a lock it finds free (no
    # second read of the event type, settings, versions and samples), the number given is not
    # looked up, the search-index row is one statement of columns and, on PostgreSQL, one
    # upsert. One more on each since stored analyses: the event type's stale mark, one
    # INSERT ... ON CONFLICT before the commit (app.services.stale_marks). One more again for
    # the mark's SELECT of the event types sharing a conflicting field name, apart so that
    # both statements are compiled once (SQLAlchemy compiles an ON CONFLICT statement at
    # every execution: 2.5 ms of a registration's 13.5 ms of CPU).
    postgres = app.extensions["eventry"].engine.dialect.name == "postgresql"
    assert len(many) <= (16 if postgres else 23), many


def test_every_statement_of_a_registration_is_compiled_once(app, client, orders):
    # The second registration of the same kind runs only statements SQLAlchemy compiled
    # before (its cache, or text): compiling costs more CPU than most of them take to run
    # (an INSERT ... ON CONFLICT built with the dialects' insert() is compiled at every call).
    engine = app.extensions["eventry"].engine
    kinds: list[tuple[str, str]] = []

    def note(_conn, _cursor, statement, _params, context, _many) -> None:
        if context.compiled is not None:  # None: BEGIN and other driver-level SQL
            kinds.append((context.cache_hit.name, " ".join(statement.split()[:4])))

    register(client, 1)
    event.listen(engine, "after_cursor_execute", note)
    try:
        register(client, 2)
    finally:
        event.remove(engine, "after_cursor_execute", note)
    assert kinds and all(kind == "CACHE_HIT" for kind, _ in kinds), kinds


@contextmanager
def loading():
    """Count the versions and contents the ORM loads from the database inside the block."""
    loaded: Counter[str] = Counter()

    def version(*_args) -> None:
        loaded["versions"] += 1

    def content(*_args) -> None:
        loaded["contents"] += 1

    event.listen(SchemaVersion, "load", version)
    event.listen(Schema, "load", content)
    try:
        yield loaded
    finally:
        event.remove(SchemaVersion, "load", version)
        event.remove(Schema, "load", content)


@pytest.mark.parametrize("process_holds_documents", [True, False])
def test_a_backward_registration_loads_only_the_latest_version(
    client, orders, process_holds_documents
):
    # At BACKWARD only the latest live version is compared: the others are neither loaded nor
    # their contents read, before the lock or under it (they were, twice, before).
    for number in range(40):
        register(client, number)
    if not process_holds_documents:  # as when the other worker registered the latest
        schemas._cache.clear()
    with loading() as loaded:
        register(client, 100)
    assert loaded["versions"] <= 1 and loaded["contents"] <= 2, loaded  # 82, 83 before
    assert ok(client.get(f"{EVENT}/versions/latest"))["version"] == 42


@pytest.fixture
def spied(monkeypatch):
    """Count how often each stored schema text is parsed and each schema is modelled for the
    compatibility engine, both going on as usual."""
    parsed: Counter[str] = Counter()
    modelled: Counter[str] = Counter()
    stored, model = SchemaDocument.stored.__func__, Document.__init__

    def parse(cls, canonical, *args, **kwargs):
        parsed[canonical] += 1
        return stored(cls, canonical, *args, **kwargs)

    def build(self, schema):
        modelled[schema.fingerprint] += 1
        model(self, schema)

    monkeypatch.setattr(SchemaDocument, "stored", classmethod(parse))
    monkeypatch.setattr(Document, "__init__", build)
    return parsed, modelled


def test_transitive_checks_parse_and_model_each_stored_schema_once(client, orders, spied):
    parsed, modelled = spied
    ok(client.put(f"{EVENT}/config", json={"compatibility": "BACKWARD_TRANSITIVE"}, headers=ADMIN))
    run = uuid.uuid4().hex  # contents no earlier test left in this process's caches
    for number in range(50):  # the last ones are each judged against up to 50 versions
        register(client, number, run)
    assert ok(client.get(f"{EVENT}/versions/latest"))["version"] == 51
    # Before: every check modelled every live version again, 1 + 2 + … + 50 times in all.
    assert len(parsed) >= 49 and max(parsed.values()) == 1
    # Once as the candidate a request sent, once as stored: never per check.
    assert max(modelled.values()) <= 2
    assert sum(modelled.values()) <= 2 * 51


def test_a_registration_locks_and_updates_only_its_own_event_type(app, client, orders):
    # No row every writer shares (a global counter, a settings row locked, a table lock):
    # writers of different event types never wait for each other.
    with counting(app.extensions["eventry"].engine) as seen:
        register(client, 1)
    words = [" ".join(each.split()).upper() for each in seen]
    updates = [each for each in words if each.startswith("UPDATE")]
    assert updates and all(each.startswith("UPDATE EVENT_TYPES ") for each in updates), updates
    locking = [each for each in words if "FOR UPDATE" in each or "LOCK TABLE" in each]
    if app.extensions["eventry"].engine.dialect.name == "postgresql":
        assert len(locking) == 1 and " FROM EVENT_TYPES " in locking[0], locking
    else:  # SQLite has no row locks: BEGIN IMMEDIATE serialises writers of one file
        assert not locking
