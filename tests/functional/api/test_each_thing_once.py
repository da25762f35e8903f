"""A registration checks and parses its schema once and loads the live versions once; a
validation never re-parses stored text (issue #10 item 7)."""

from __future__ import annotations

import pytest

from app.core.schema import SchemaDocument
from tests.functional.api.conftest import ORDER_V1, ok
from tests.functional.ui.test_query_counts import counting

URL = "/api/v1/events/orders/OrderPlaced"


@pytest.fixture
def calls(monkeypatch):
    """How often each way into a SchemaDocument runs."""
    counted = {"checked": 0, "stored": 0}
    for name in counted:
        original = getattr(SchemaDocument, name).__func__

        def spy(cls, *args, _name=name, _original=original, **kwargs):
            counted[_name] += 1
            return _original(cls, *args, **kwargs)

        monkeypatch.setattr(SchemaDocument, name, classmethod(spy))
    return counted


def _register(client, orders, index: int) -> None:
    schema = {**ORDER_V1, "title": f"Order placed {index}"}
    ok(client.post(f"{URL}/versions", json={"schema": schema}, headers=orders), 201)


def test_a_registration_checks_its_schema_once(client, orders, calls):
    _register(client, orders, 0)
    assert calls["checked"] == 1


def test_registration_statements_do_not_grow_with_the_versions(app, client, orders):
    engine = app.extensions["eventry"].engine
    ok(client.put(f"{URL}/config", json={"compatibility": "FULL_TRANSITIVE"}, headers=orders))
    counts = []
    for index in range(6):
        with counting(engine) as seen:
            _register(client, orders, index)
        counts.append(len(seen))
    # The first registrations insert the first rows; after that every one costs the same.
    assert counts[2:] == [counts[2]] * 4, counts


def test_validation_parses_a_stored_schema_at_most_once(client, orders, calls):
    _register(client, orders, 0)
    calls["stored"] = 0
    for _ in range(5):
        answer = ok(client.post(f"{URL}/validate", json={"events": [{"orderId": "o"}] * 20}))
        assert answer["valid"] == 20
    assert calls["stored"] <= 1
