"""The validation answers are written by orjson where it writes jsonify's bytes (app.api.rendering
.json_answer): the same bytes as jsonify for every character an error message can carry (ASCII
escapes of everything outside printable ASCII, DEL included), and jsonify itself where orjson
cannot write the body alike (integers beyond 64 bits)."""

from __future__ import annotations

import json

from flask import jsonify

from app.api.rendering import json_answer
from tests.functional.api.conftest import ok

EVENT = "/api/v1/events/orders/OrderPlaced"
# Every ASCII character (controls and DEL too), and some beyond: Latin-1, U+2028, non-BMP.
ODD = "".join(chr(code) for code in range(128)) + "é\u2028\U0001f600"


def jsonify_bytes(body) -> bytes:
    # What jsonify writes in the compact form: json.dumps with ASCII escapes, keys in order.
    return (json.dumps(body, ensure_ascii=True, separators=(",", ":")) + "\n").encode()


def test_a_batch_answer_is_jsonify_s_bytes_whatever_the_messages_carry(client, orders):
    events = [
        {"orderId": "o-1"},
        {"orderId": "o-2", ODD: 1, "é": 2},
        {"orderId": "o-3", "a\x7fb": 1},
        {"orderId": ODD, "placedAt": ODD},
        {"orderId": 7},
    ]
    response = client.post(f"{EVENT}/validate", json={"events": events})
    answer = ok(response)
    assert [result["valid"] for result in answer["results"]] == [True, False, False, False, False]
    assert response.mimetype == "application/json"
    assert response.get_data() == jsonify_bytes(answer)
    assert b"\\u007f" in response.get_data() and b"\\u00e9" in response.get_data()


def test_a_one_event_answer_is_jsonify_s_bytes(client, orders):
    for event in ({"orderId": "o-1"}, {"orderId": "o-1", "a\x7fb": 1}, {ODD: None}):
        response = client.post(f"{EVENT}/validate", json={"event": event})
        assert response.get_data() == jsonify_bytes(ok(response))


def test_json_answer_writes_jsonify_s_bytes_or_lets_jsonify_write(app):
    bodies = [
        {"text": ODD, "n": [0, -1, 2**63 - 1, -(2**63)], "flags": [True, False, None]},
        {"plain": "ascii only", "nested": {"list": [{"a": "b"}, []], "empty": {}}},
        {"big": 2**64},  # beyond 64 bits: orjson refuses, jsonify writes it
        {"del": "\x7f"},
    ]
    with app.app_context():
        for body in bodies:
            assert json_answer(body).get_data() == jsonify(body).get_data()
            assert json_answer(body).mimetype == jsonify(body).mimetype
