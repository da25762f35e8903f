"""The hot reads keep what never changes (a content's bytes, a version's answer, a compiled
validator) and still answer what the database says now, whichever process or host changed it:
a real gunicorn (`eventry serve`, 2 workers) warms its caches, this test process (another
"host" on the same database) soft-deletes and purges, and every worker answers the change at
once, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ORDER_V1, ok
from tests.functional.test_serve import free_port, serve, stop, wait_until_ready
from tests.functional.ui.test_query_counts import counting

EVENT = "/api/v1/events/orders/OrderPlaced"
# Enough requests that both workers answer each path (gunicorn spreads connections freely).
TRIES = 8


def fetch(base: str, path: str, body: dict | None = None, headers: dict | None = None):
    """(status, headers, parsed body or text) of one request to the server."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, text, got = answer.status, answer.read().decode(), answer.headers
    except urllib.error.HTTPError as error:
        status, text, got = error.code, error.read().decode(), error.headers
    return status, got, json.loads(text) if text else None


def statuses(base: str, path: str) -> set[int]:
    return {fetch(base, path)[0] for _ in range(TRIES)}


@pytest.fixture
def server(app):
    """`eventry serve` on the same database as ``app`` (which plays another host)."""
    port = free_port()
    url = app.extensions["eventry"].settings.database_url
    process = serve(url, port, EVENTRY_ADMIN_TOKEN=ADMIN_TOKEN, EVENTRY_DEMO="0")
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/readyz", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_a_purge_by_one_process_is_answered_by_every_worker_of_another(client, orders, server):
    ok(client.put(f"{EVENT}/config", json={"compatibility": "NONE"}, headers=ADMIN))
    second = {**ORDER_V1, "title": "Order placed, second"}
    created = ok(client.post(f"{EVENT}/versions", json={"schema": second}, headers=ADMIN), 201)
    schema_id, number = created["schema_id"], created["version"]
    reads = [
        f"/api/v1/schemas/{schema_id}",
        f"/api/v1/schemas/{schema_id}?details=true",
        f"/ccompat/schemas/ids/{schema_id}",
        f"{EVENT}/versions/{number}",
    ]
    for path in reads:  # warm every worker's caches
        assert statuses(server, path) == {200}, path
    assert {fetch(server, f"{EVENT}/versions/latest")[2]["version"] for _ in range(TRIES)} == {
        number
    }
    invalid = {"event": {"orderId": 7}}
    assert fetch(server, f"{EVENT}/validate", {**invalid, "version": number})[2]["valid"] is False

    ok(client.delete(f"{EVENT}/versions/{number}", headers=ADMIN))  # soft delete
    assert statuses(server, f"{EVENT}/versions/{number}") == {404}
    assert {fetch(server, f"{EVENT}/versions/latest")[2]["version"] for _ in range(TRIES)} == {
        number - 1
    }
    assert {
        fetch(server, f"{EVENT}/validate", {**invalid, "version": number})[0] for _ in range(TRIES)
    } == {404}
    assert statuses(server, f"/api/v1/schemas/{schema_id}") == {200}  # a deleted version uses it

    purged = client.delete(f"{EVENT}/versions/{number}?permanent=true", headers=ADMIN)
    assert purged.status_code == 204
    for path in reads[:3]:
        assert statuses(server, path) == {404}, path
    status, _, body = fetch(server, f"/ccompat/schemas/ids/{schema_id}")
    assert (status, body["error_code"]) == (404, 40403)


def test_latest_revalidates_and_changes_its_tag_with_a_new_version(client, orders):
    first = client.get(f"{EVENT}/versions/latest")
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    assert tag.startswith('"') and tag.endswith('"')
    again = client.get(f"{EVENT}/versions/latest", headers={"If-None-Match": tag})
    assert (again.status_code, again.data, again.headers["ETag"]) == (304, b"", tag)
    assert client.get(f"{EVENT}/versions/1", headers={"If-None-Match": tag}).status_code == 304

    ok(client.put(f"{EVENT}/config", json={"compatibility": "NONE"}, headers=ADMIN))
    newer = {**ORDER_V1, "title": "Order placed, newer"}
    ok(client.post(f"{EVENT}/versions", json={"schema": newer}, headers=ADMIN), 201)
    changed = client.get(f"{EVENT}/versions/latest", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    assert changed.headers["ETag"] != tag


def test_cached_answers_are_the_answers_rendered_afresh(app, client, orders):
    """The second answer of each read (from the caches) is byte for byte the first."""
    schema_id = ok(client.get(f"{EVENT}/versions/1"))["schema_id"]
    paths = [
        f"{EVENT}/versions/1",
        f"{EVENT}/versions/latest",
        f"/api/v1/schemas/{schema_id}",
        f"/api/v1/schemas/{schema_id}?details=true",
        f"/ccompat/schemas/ids/{schema_id}",
    ]
    for path in paths:
        first, second = client.get(path), client.get(path)
        assert (first.status_code, first.data, first.headers["ETag"]) == (
            second.status_code,
            second.data,
            second.headers["ETag"],
        ), path
    # Two representations of one content: two tags.
    tags = {client.get(path).headers["ETag"] for path in paths[2:]}
    assert len(tags) == 3


def test_each_hot_read_is_one_statement_however_many_versions(app, client, orders):
    engine = app.extensions["eventry"].engine
    schema_id = ok(client.get(f"{EVENT}/versions/1"))["schema_id"]
    reads = [
        ("GET", f"/api/v1/schemas/{schema_id}"),
        ("GET", f"/ccompat/schemas/ids/{schema_id}"),
        ("GET", f"{EVENT}/versions/latest"),
        ("GET", f"{EVENT}/versions/1"),
        ("POST", f"{EVENT}/validate"),
    ]

    def selects() -> list[int]:
        counts = []
        for method, path in reads:
            send = client.post if method == "POST" else client.get
            body = {"json": {"event": {"orderId": "o-1"}}} if method == "POST" else {}
            ok(send(path, **body))  # warm
            with counting(engine) as seen:
                ok(send(path, **body))
            counts.append(sum(s.lstrip().upper().startswith("SELECT") for s in seen))
        return counts

    assert selects() == [1] * len(reads)
    ok(client.put(f"{EVENT}/config", json={"compatibility": "NONE"}, headers=ADMIN))
    for index in range(5):
        schema = {**ORDER_V1, "title": f"Order placed {index}"}
        ok(client.post(f"{EVENT}/versions", json={"schema": schema}, headers=ADMIN), 201)
    assert selects() == [1] * len(reads)


def test_each_hot_read_runs_alone_with_no_transaction_around_it(app, client, orders):
    # One statement on its own sees one state: no BEGIN before it, no ROLLBACK after it
    # (app.db.engine.read_alone); SQLite's BEGIN is a statement the engine sends, so it shows.
    engine = app.extensions["eventry"].engine
    schema_id = ok(client.get(f"{EVENT}/versions/1"))["schema_id"]
    by_id = (f"/api/v1/schemas/{schema_id}", f"/ccompat/schemas/ids/{schema_id}")
    for path in (*by_id, f"{EVENT}/versions/latest", f"{EVENT}/versions/1"):
        ok(client.get(path))  # warm
        with counting(engine) as seen:
            ok(client.get(path))
        assert [s.split()[0].upper() for s in seen] == ["SELECT"], (path, seen)
    ok(client.post(f"{EVENT}/validate", json={"event": {"orderId": "o-1"}}))
    with counting(engine) as seen:
        ok(client.post(f"{EVENT}/validate", json={"event": {"orderId": "o-1"}}))
    assert [s.split()[0].upper() for s in seen] == ["SELECT"], seen
