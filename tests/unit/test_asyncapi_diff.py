"""The AsyncAPI diff's rules (app/core/asyncapi/diff.py): each kind of change, breaking or
not, and payloads judged by the registry's own compatibility engine at the level asked."""

from __future__ import annotations

import copy
import json

import pytest

from app.core.asyncapi import load_text, read_catalog
from app.core.asyncapi.diff import ChangeKind, diff_catalogs
from app.core.errors import InvalidInput
from app.core.vocabulary import CompatibilityLevel

PLACED = {"type": "object", "properties": {"id": {"type": "string"}}}
BASE = {
    "asyncapi": "3.0.0",
    "info": {"title": "Shop", "version": "1.0.0"},
    "channels": {
        "orders": {
            "address": "orders",
            "messages": {
                "OrderPlaced": {"payload": PLACED},
                "OrderCancelled": {"payload": {"type": "object"}},
            },
        },
        "audit": {"address": "audit"},
    },
    "operations": {
        "sendOrders": {
            "action": "send",
            "channel": {"$ref": "#/channels/orders"},
            "messages": [{"$ref": "#/channels/orders/messages/OrderPlaced"}],
        },
        "billingReceives": {
            "action": "receive",
            "x-eventry-service": "billing",
            "channel": {"$ref": "#/channels/orders"},
            "messages": [{"$ref": "#/channels/orders/messages/OrderCancelled"}],
        },
    },
}


def catalog(document):
    return read_catalog(load_text(json.dumps(document), 10**6), "")


def diff(new, old=BASE, level=CompatibilityLevel.BACKWARD):
    return diff_catalogs(catalog(old), catalog(new), level)


def kinds(report):
    return [(str(c.kind), c.channel, c.message, c.breaking) for c in report.changes]


def changed(edit):
    document = copy.deepcopy(BASE)
    edit(document)
    return document


def test_the_same_document_has_no_change():
    report = diff(BASE)
    assert report.changes == [] and not report.breaking
    assert report.to_dict() == {"level": "BACKWARD", "breaking": False, "changes": []}


def test_a_channel_added_is_not_breaking_and_one_removed_is():
    added = changed(lambda d: d["channels"].update({"refunds": {"address": "refunds"}}))
    assert kinds(diff(added)) == [("CHANNEL_ADDED", "refunds", None, False)]
    removed = changed(lambda d: d["channels"].pop("audit"))
    assert kinds(diff(removed)) == [("CHANNEL_REMOVED", "audit", None, True)]
    assert diff(removed).breaking


def test_a_message_added_is_not_breaking():
    def add(document):
        document["channels"]["orders"]["messages"]["OrderShipped"] = {"payload": {}}

    assert kinds(diff(changed(add))) == [("MESSAGE_ADDED", "orders", "OrderShipped", False)]


def test_removing_a_received_message_breaks_and_an_unreceived_one_does_not():
    def drop_cancelled(document):
        del document["channels"]["orders"]["messages"]["OrderCancelled"]
        del document["operations"]["billingReceives"]

    report = diff(changed(drop_cancelled))
    assert kinds(report) == [("MESSAGE_REMOVED", "orders", "OrderCancelled", True)]
    assert "billing" in report.changes[0].detail

    def drop_placed(document):
        del document["channels"]["orders"]["messages"]["OrderPlaced"]
        del document["operations"]["sendOrders"]

    assert kinds(diff(changed(drop_placed))) == [
        ("MESSAGE_REMOVED", "orders", "OrderPlaced", False)
    ]


def test_an_operation_whose_direction_changes_is_breaking():
    def reverse(document):
        document["operations"]["billingReceives"]["action"] = "send"

    report = diff(changed(reverse))
    assert ("OPERATION_DIRECTION_CHANGED", "orders", "OrderCancelled", True) in kinds(report)
    assert "billing used to receive OrderCancelled" in report.changes[-1].detail


def test_an_operation_added_is_not_breaking_and_a_removed_send_breaks_its_receivers():
    def also_receive(document):
        document["operations"]["crmReceives"] = {
            "action": "receive",
            "x-eventry-service": "crm",
            "channel": {"$ref": "#/channels/orders"},
            "messages": [{"$ref": "#/channels/orders/messages/OrderPlaced"}],
        }

    received = changed(also_receive)
    assert kinds(diff(received)) == [("OPERATION_ADDED", "orders", "OrderPlaced", False)]
    # crm receives OrderPlaced; the document stops sending it: crm's source is gone.
    unsent = copy.deepcopy(received)
    del unsent["operations"]["sendOrders"]
    report = diff(unsent, old=received)
    assert kinds(report) == [("OPERATION_REMOVED", "orders", "OrderPlaced", True)]
    assert "still received by crm" in report.changes[0].detail
    # A receiver that stops listening breaks nobody.
    assert kinds(diff(BASE, old=received)) == [
        ("OPERATION_REMOVED", "orders", "OrderPlaced", False)
    ]


def test_a_payload_is_judged_by_the_compatibility_engine_at_the_level_asked():
    def described(document):
        payload = document["channels"]["orders"]["messages"]["OrderPlaced"]["payload"]
        payload["properties"]["id"] = {"type": "string", "description": "The order."}

    def retyped(document):
        payload = document["channels"]["orders"]["messages"]["OrderPlaced"]["payload"]
        payload["properties"]["id"] = {"type": "integer"}

    compatible = diff(changed(described))
    assert kinds(compatible) == [("PAYLOAD_CHANGED", "orders", "OrderPlaced", False)]
    assert compatible.changes[0].differences[0]["type"] == "DESCRIPTION_CHANGED"
    broken = diff(changed(retyped))
    assert kinds(broken) == [("PAYLOAD_CHANGED", "orders", "OrderPlaced", True)]
    assert broken.changes[0].differences[0]["type"] == "TYPE_CHANGED"
    assert broken.changes[0].differences[0]["path"] == "/properties/id"
    assert not diff(changed(retyped), level=CompatibilityLevel.NONE).breaking


def test_an_asyncapi_2_6_document_compares_with_its_3_0_rewrite():
    old = {
        "asyncapi": "2.6.0",
        "info": {"title": "Shop", "version": "1.0.0"},
        "channels": {
            "orders": {
                "subscribe": {"message": {"name": "OrderPlaced", "payload": PLACED}},
                "publish": {"message": {"name": "OrderCancelled", "payload": {"type": "object"}}},
            },
            "audit": {},
        },
    }
    # The same channels, messages, payloads and services: nothing to report.
    same = changed(
        lambda d: d["operations"]["billingReceives"].update({"x-eventry-service": "shop"})
    )
    assert diff(same, old=old).changes == []
    # 2.6 "publish" is what the application (info.title: shop) receives, 3.0 "send" what it
    # sends: the same service on the same message, the other way round.
    turned = changed(lambda d: d["operations"]["billingReceives"].update({"action": "send"}))
    turned["operations"]["billingReceives"]["x-eventry-service"] = "shop"
    turned["operations"]["billingReceives"]["messages"] = [
        {"$ref": "#/channels/orders/messages/OrderCancelled"}
    ]
    report = diff(turned, old=old)
    assert kinds(report) == [("OPERATION_DIRECTION_CHANGED", "orders", "OrderCancelled", True)]
    assert all(change.kind is not ChangeKind.PAYLOAD_CHANGED for change in report.changes)


def test_an_invalid_payload_is_refused_with_its_pointer_in_its_document():
    def bad(document):
        document["channels"]["orders"]["messages"]["OrderPlaced"]["payload"] = {
            "type": "object",
            "properties": {"id": {"type": "text"}},
        }

    with pytest.raises(InvalidInput) as refused:
        diff(changed(bad))
    pointers = [problem["pointer"] for problem in refused.value.errors]
    assert pointers and pointers[0].startswith(
        "/new/channels/orders/messages/OrderPlaced/payload/properties/id"
    )
