"""Validating a stream of events as NDJSON (application/x-ndjson in and out): one answer line
per event, in order, with the same results as the JSON batch; a bad line answers its own
problem and the stream goes on; the version is chosen by query and refused before anything
streams; the per-line and per-stream limits hold (docs/api.md, "Validating a stream")."""

from __future__ import annotations

import itertools
import json

import pytest

from app import create_app
from app.core.limits import Limits
from app.services import validation
from tests.conftest import ADMIN_TOKEN
from tests.functional.api.conftest import ADMIN, ok

EVENT = "/api/v1/events/orders/OrderPlaced"
NDJSON = "application/x-ndjson"
GOOD = {"orderId": "o-1", "placedAt": "2026-11-26T10:00:00Z"}
BAD = {"placedAt": "last tuesday", "extra": 1}


def stream(client, lines: list[bytes] | bytes, url: str = f"{EVENT}/validate"):
    body = lines if isinstance(lines, bytes) else b"\n".join(lines) + b"\n"
    return client.post(url, data=body, content_type=NDJSON, headers={"Accept": NDJSON})


def answers(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == NDJSON
    return [json.loads(line) for line in response.get_data().splitlines()]


def encoded(event) -> bytes:
    return json.dumps(event).encode()


def test_each_event_is_answered_on_its_line_as_the_batch_answers_it(client, orders):
    events = [GOOD, BAD, GOOD, {"orderId": 1}]
    streamed = stream(client, [encoded(event) for event in events])
    batch = ok(client.post(f"{EVENT}/validate", json={"events": events}))
    assert streamed.headers["Eventry-Version"] == "1"
    assert streamed.headers["Eventry-Dialect"] == batch["dialect"]
    lines = answers(streamed)
    assert [line.pop("line") for line in lines] == [1, 2, 3, 4]
    assert lines == batch["results"]


def test_blank_lines_and_crlf_are_read_as_ndjson_and_numbered_as_the_text(client, orders):
    body = encoded(GOOD) + b"\r\n\r\n" + encoded(BAD)  # no newline after the last line
    lines = answers(stream(client, body))
    assert [(line["line"], line["valid"]) for line in lines] == [(1, True), (3, False)]


def test_a_bad_line_answers_its_problem_and_the_stream_goes_on(client, orders):
    deep = b"[" * 70 + b"]" * 70
    digits = b'{"orderId": ' + b"9" * 1001 + b"}"
    lines = answers(stream(client, [b"{not json", deep, digits, encoded(GOOD)]))
    problems = [line.get("problem") for line in lines]
    assert [p["status"] if p else None for p in problems] == [400, 422, 422, None]
    assert problems[1]["limit"] == "EVENTRY_MAX_EVENT_DEPTH"
    assert problems[2]["limit"] == "EVENTRY_MAX_INTEGER_DIGITS"
    assert lines[3]["valid"] is True


def test_the_version_is_chosen_by_query_and_refused_before_streaming(client, orders):
    assert stream(client, [encoded(GOOD)], f"{EVENT}/validate?version=1").status_code == 200
    assert stream(client, [encoded(GOOD)], f"{EVENT}/validate?version=7").status_code == 404
    refused = stream(client, [encoded(GOOD)], f"{EVENT}/validate?version=-1")
    assert refused.status_code == 400
    assert "version" in refused.get_json()["detail"]
    missing = stream(client, [encoded(GOOD)], "/api/v1/events/orders/Nope/validate")
    assert missing.status_code == 404


@pytest.fixture
def small(database_url):
    """An app with a 4 KiB body limit and 3 events a stream."""
    app = create_app(
        {
            "database_url": database_url,
            "admin_token": ADMIN_TOKEN,
            "demo": False,
            "max_body_bytes": 4096,
            "limits": Limits(max_events_per_stream=3),
        }
    )
    yield app
    app.extensions["eventry"].engine.dispose()


def test_a_stream_is_held_to_its_limits_line_by_line_not_to_the_body_limit(small):
    client = small.test_client()
    ok(client.post("/api/v1/teams", json={"slug": "t", "name": "T"}, headers=ADMIN), 201)
    domain = {"slug": "d", "name": "D", "owner": "t"}
    ok(client.post("/api/v1/domains", json=domain, headers=ADMIN), 201)
    ok(client.post("/api/v1/events", json={"domain": "d", "name": "Happened"}, headers=ADMIN), 201)
    url = "/api/v1/events/d/Happened"
    schema = {"type": "object", "properties": {"text": {"type": "string"}}}
    ok(client.post(f"{url}/versions", json={"schema": schema}, headers=ADMIN), 201)
    line = encoded({"text": "x" * 3000})  # three of them are over the 4 KiB body limit
    long = encoded({"text": "x" * 5000})  # one line over it
    lines = answers(stream(client, [line, long, line, line, line], f"{url}/validate"))
    assert [each.get("valid") for each in lines] == [True, None, True, None]
    assert lines[1]["problem"]["status"] == 413
    assert "EVENTRY_MAX_BODY_BYTES" in lines[1]["problem"]["detail"]
    assert lines[3] == {
        "line": 4,
        "problem": {
            "status": 422,
            "title": "Limit exceeded",
            "detail": lines[3]["problem"]["detail"],
            "limit": "EVENTRY_MAX_EVENTS_PER_STREAM",
        },
    }
    # The JSON body keeps its limit.
    big = client.post(f"{url}/validate", json={"events": [{"text": "x" * 3000}] * 2})
    assert big.status_code == 413


def test_the_answers_are_made_as_the_lines_are_read(app, orders):
    # An endless stream: answers come one by one, so nothing holds the whole stream.
    endless = itertools.repeat(json.dumps(GOOD).encode())
    with app.app_context(), app.extensions["eventry"].sessions() as session:
        stream = validation.validate_stream(session, "orders", "OrderPlaced", endless)
        first = list(itertools.islice(stream.lines, 5000))
    assert first[-1] == {"line": 5000, "valid": True, "errors": []}


def test_hostile_lines_answer_as_the_batch_does(client, orders):
    # A catastrophic pattern, against the bounded engine on the fast path and the reference.
    redos = "^(a+)+$"
    schema = {
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": redos}},
        "patternProperties": {redos: {"type": "integer"}},
    }
    ok(
        client.post("/api/v1/events", json={"domain": "orders", "name": "Coded"}, headers=orders),
        201,
    )
    url = "/api/v1/events/orders/Coded"
    ok(client.post(f"{url}/versions", json={"schema": schema}, headers=orders), 201)
    hostile = "a" * 34 + "!"
    events = [{"code": hostile}, {"aaaa": 1}, {"aaaa": "x"}, {"code": "aaa"}, {hostile: "x"}]
    streamed = answers(stream(client, [encoded(event) for event in events], f"{url}/validate"))
    batch = ok(client.post(f"{url}/validate", json={"events": events}))
    assert [{k: v for k, v in line.items() if k != "line"} for line in streamed] == batch["results"]
    assert [line["valid"] for line in streamed] == [False, True, False, True, True]


def test_a_stream_is_answered_as_ndjson_or_refused_406(client, orders):
    body = encoded(GOOD) + b"\n"
    for accept in (None, "*/*", "application/*", NDJSON):
        headers = {"Accept": accept} if accept else {}
        sent = client.post(f"{EVENT}/validate", data=body, content_type=NDJSON, headers=headers)
        assert answers(sent)[0]["valid"] is True, accept
    refused = client.post(
        f"{EVENT}/validate", data=body, content_type=NDJSON, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 406
    assert NDJSON in refused.get_json()["detail"]


def test_each_answer_line_is_compact_utf8_json(client, orders):
    # The documented form: what json.dumps(..., ensure_ascii=False, separators=(",", ":"))
    # writes, text unescaped beyond what JSON requires, whatever the messages quote.
    odd = {"orderId": "o-1", "placedAt": 'é\u2028\x7f\x1f"\\😀\ty\n'}
    response = stream(client, [encoded(GOOD), encoded(odd), b"{not json"])
    lines = response.get_data().splitlines()
    assert len(lines) == 3
    for line in lines:
        assert (
            line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":")).encode()
        )
    assert "é\u2028\x7f".encode() in lines[1]
