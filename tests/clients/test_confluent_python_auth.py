"""Authentication as confluent-kafka's SchemaRegistryClient sends it (HTTP Basic with the Eventry
token as the password, or a static bearer token), and team ownership through it: a team token
registers in its own domain and is refused another team's event type."""

from __future__ import annotations

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient, SchemaRegistryError

from tests.clients.conftest import (
    ORDER_V1,
    ORDER_V2,
    basic_conf,
    bearer_conf,
    client_conf,
    closed,
    event_of,
)
from tests.conftest import ADMIN_TOKEN

PARCEL = closed("ParcelShipped", ("parcelId",), parcelId="string")


def refused(call, status: int, code: int) -> str:
    with pytest.raises(SchemaRegistryError) as raised:
        call()
    assert (raised.value.http_status_code, raised.value.error_code) == (status, code), str(
        raised.value
    )
    return raised.value.error_message


@pytest.mark.parametrize("how", ["basic", "bearer"])
def test_the_admin_token_either_way(served, native, how):
    conf = (basic_conf if how == "basic" else bearer_conf)(served.url, ADMIN_TOKEN)
    with SchemaRegistryClient(conf) as admin:
        made = admin.register_schema_full_response("orders-value", Schema(ORDER_V1, "JSON"))
        assert made.version == 1
        assert admin.set_compatibility(level="FULL") == {"compatibility": "FULL"}
    assert len(served.sent("POST", "/subjects/orders-value/versions")) == 1
    assert set(served.schemes) == {"Basic" if how == "basic" else "Bearer"}
    assert event_of(native, "unassigned", "OrderPlaced")["subjects"] == ["orders-value"]


def test_the_token_is_the_password_of_any_user(served):
    for user in ("any", "ci", "", "someone@example.com"):
        conf = client_conf(served.url, **{"basic.auth.user.info": f"{user}:{ADMIN_TOKEN}"})
        with SchemaRegistryClient(conf) as client:
            assert client.register_schema("orders-value", Schema(ORDER_V1, "JSON")) > 0
    # The URL form of the same credentials.
    host = served.url.removeprefix("http://")
    with SchemaRegistryClient(client_conf(f"http://ci:{ADMIN_TOKEN}@{host}")) as client:
        assert client.register_schema("orders-value", Schema(ORDER_V2, "JSON")) > 0


def test_without_or_with_a_wrong_token(served):
    with SchemaRegistryClient(client_conf(served.url)) as anonymous:
        refused(
            lambda: anonymous.register_schema("orders-value", Schema(ORDER_V1, "JSON")), 401, 40101
        )
        refused(lambda: anonymous.set_compatibility(level="FULL"), 401, 40101)
        assert anonymous.get_subjects() == []  # reads are open (EVENTRY_READ_AUTH=open)
        assert anonymous.get_compatibility() == "BACKWARD"
    for conf in (
        basic_conf(served.url, "evt_not-a-token"),
        bearer_conf(served.url, "evt_not-a-token"),
    ):
        with SchemaRegistryClient(conf) as stranger:
            refused(
                lambda: stranger.register_schema("orders-value", Schema(ORDER_V1, "JSON")),
                401,
                40101,
            )


@pytest.mark.parametrize("how", ["basic", "bearer"])
def test_a_team_token_registers_in_its_domain_only(served, native, teams, how):
    conf = basic_conf if how == "basic" else bearer_conf
    with (
        SchemaRegistryClient(conf(served.url, teams["checkout"])) as checkout,
        SchemaRegistryClient(conf(served.url, teams["fulfilment"])) as fulfilment,
    ):
        made = checkout.register_schema_full_response("orders-value", Schema(ORDER_V1, "JSON"))
        placed = event_of(native, "orders", "OrderPlaced")
        assert (placed["bus"], placed["subjects"]) == ("orders", ["orders-value"])
        assert checkout.set_compatibility("orders-value", "FULL") == {"compatibility": "FULL"}

        message = refused(
            lambda: checkout.register_schema("shipping.ParcelShipped", Schema(PARCEL, "JSON")),
            403,
            40301,
        )
        assert "shipping" in message
        refused(
            lambda: fulfilment.register_schema("orders-value", Schema(ORDER_V2, "JSON")), 403, 40301
        )
        refused(lambda: fulfilment.set_compatibility("orders-value", "NONE"), 403, 40301)
        refused(lambda: fulfilment.delete_subject("orders-value"), 403, 40301)
        refused(lambda: checkout.update_global_mode("READONLY"), 403, 40301)  # admin only

        assert fulfilment.register_schema("shipping.ParcelShipped", Schema(PARCEL, "JSON")) > 0
        assert event_of(native, "shipping", "ParcelShipped")["last_version"] == 1
        # Reading is everyone's.
        assert fulfilment.get_latest_version("orders-value").schema_id == made.schema_id
    assert event_of(native, "orders", "OrderPlaced")["last_version"] == 1
