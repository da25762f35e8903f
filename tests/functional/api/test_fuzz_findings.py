"""What the API fuzzer (tests/fuzz) found, each as a family on both databases: numbers in paths
past what an id or version column holds, digits of other scripts, estimates that overflowed,
control characters through the import and group paths, and a registry mode of null."""

from __future__ import annotations

import pytest

from tests.functional.api.conftest import ADMIN, ok

EVENT = "/api/v1/events/orders/OrderPlaced"
HUGE = "9" * 30  # past 2**63: SQLite cannot even compare it
NUMBERS_PAST_A_COLUMN = [HUGE, str(2**63), str(2**31)]


@pytest.mark.parametrize("number", NUMBERS_PAST_A_COLUMN)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/schemas/{n}"),
        ("get", "/api/v1/schemas/{n}/versions"),
        ("get", "/api/v1/consumers/{n}"),
        ("patch", "/api/v1/consumers/{n}"),
        ("delete", "/api/v1/consumers/{n}"),
        ("delete", "/api/v1/tokens/{n}"),
        ("delete", EVENT + "/samples/{n}"),
        ("get", "/ccompat/schemas/ids/{n}"),
        ("get", "/ccompat/schemas/ids/{n}/subjects"),
    ],
)
def test_a_number_no_column_holds_names_nothing(client, orders, method, path, number):
    response = getattr(client, method)(
        path.format(n=number), json={"calls_back": True}, headers=ADMIN
    )
    assert response.status_code == 404, response.get_data(as_text=True)


@pytest.mark.parametrize("version", [HUGE, str(2**31), "²", "٣", "01", "+1", "-1", "1.0"])
def test_a_version_is_ascii_digits_a_column_holds(client, orders, version):
    for path in (f"{EVENT}/versions/{version}", f"{EVENT}/versions/{version}/referenced-by"):
        response = client.get(path)
        assert response.status_code == 422, (path, response.get_data(as_text=True))
        assert "whole number from 1 to 2147483647" in response.get_json()["detail"]
    response = client.get(f"{EVENT}/diff?from={version}")
    assert response.status_code == 422


# "01" and "٣" are versions for Confluent too (Java's Integer.parseInt; app/core/confluent_words.py)
@pytest.mark.parametrize("version", [HUGE, "²"])
def test_confluent_versions_are_held_to_the_same_rule(client, orders, version):
    response = client.get(f"/ccompat/subjects/orders.OrderPlaced/versions/{version}")
    assert response.status_code == 422
    assert response.get_json()["error_code"] == 42202


@pytest.mark.parametrize("digits", ["²", "٣", "\uff11"])
def test_digits_of_other_scripts_are_no_number(client, orders, digits):
    assert client.get(f"/api/v1/events?limit={digits}").status_code == 400
    assert client.get(f"/ccompat/schemas?offset={digits}").status_code == 400
    assert client.get(f"/events/orders/OrderPlaced?fields={digits}").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"events_per_second": 1.641894305197046e308, "payload_bytes": 1654},
        {"events_per_second": 1e9 + 1, "payload_bytes": 1},
        {"events_per_second": 1, "payload_bytes": 10**400},
        {"events_per_second": 1, "payload_bytes": 2**31},
    ],
)
def test_an_estimate_past_any_stream_is_refused(client, body):
    response = client.post("/api/v1/router-estimate", json=body)
    assert response.status_code == 422, response.get_json()


def test_the_largest_estimate_is_finite(client):
    body = {"events_per_second": 1e9, "payload_bytes": 2**31 - 1}
    routers = ok(client.post("/api/v1/router-estimate", json=body))["routers"]
    assert all(r["monthly_usd"] is None or r["monthly_usd"] > 0 for r in routers)


@pytest.mark.parametrize("rate", ["1e308", "1000000001"])
def test_bus_advice_bounds_the_rate_the_same_way(client, orders, rate):
    response = client.get(f"/api/v1/buses/orders-events/advice?events_per_second={rate}")
    assert response.status_code == 422, response.get_json()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/api/v1/import/settings", {"compatibility_group": "a\x0fb"}),
        ("put", f"/api/v1/import/{EVENT[8:]}/settings", {"compatibility_group": "a\x00"}),
        ("put", "/ccompat/config", {"compatibilityGroup": "x\n"}),
        ("put", "/ccompat/config/orders.OrderPlaced", {"compatibilityGroup": "x\x07"}),
    ],
)
def test_a_compatibility_group_holds_no_control_character(client, orders, method, path, body):
    before = ok(client.get("/api/v1/audit", headers=ADMIN))["items"]
    response = getattr(client, method)(path, json=body, headers=ADMIN)
    assert response.status_code in (400, 422), response.get_json()
    assert ok(client.get("/api/v1/audit", headers=ADMIN))["items"] == before


def test_an_imported_version_note_and_author_hold_no_control_character(client, orders):
    ok(client.put("/api/v1/config", json={"compatibility": "NONE"}, headers=ADMIN))
    for history in ({"note": "v\x002"}, {"author": "ci\x1b[31m"}):
        response = client.post(
            f"/api/v1/import/{EVENT[8:]}/versions",
            json={"version": 7, "schema": {"type": "object"}, **history},
            headers=ADMIN,
        )
        assert response.status_code == 422, response.get_json()
        assert "control character" in response.get_json()["detail"]


def test_a_registry_mode_of_null_is_the_default_mode(client):
    response = client.put("/api/v1/import/settings", json={"mode": None}, headers=ADMIN)
    assert ok(response)["mode"] == "READWRITE"
