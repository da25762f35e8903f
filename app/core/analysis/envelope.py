"""Unwrap transport envelopes so only the business payload is classified.

Envelope members (ids, times, sources, spec versions) are kept aside as metadata: the
ordering and lint checks may read them, but they never count as business data.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from app.core.pointers import escape
from app.core.references import follow
from app.core.schema import SchemaDocument

from .names import norm

# Members that usually carry the payload in a generic wrapper.
PAYLOAD_MEMBERS = ("payload", "data", "body", "detail", "resource", "message", "record")

# Sibling names that may sit next to a payload member without making it business data.
ENVELOPE_KEYS = {
    norm(k)
    for k in (
        "id",
        "type",
        "time",
        "timestamp",
        "source",
        "specversion",
        "version",
        "schema",
        "topic",
        "subject",
        "channel",
        "event",
        "eventType",
        "eventTime",
        "eventId",
        "created",
        "create_time",
        "createdAt",
        "occurredAt",
        "datacontenttype",
        "dataschema",
        "dataVersion",
        "metadataVersion",
        "event_version",
        "resource_type",
        "resource_version",
        "summary",
        "links",
        "_links",
        "api_version",
        "livemode",
        "pending_webhooks",
        "request",
        "account",
        "account_id",
        "region",
        "resources",
        "headers",
        "metadata",
        "meta",
        "correlationId",
        "causationId",
        "traceparent",
        "tracestate",
        "partitionKey",
        "attributes",
        "publishTime",
        "messageId",
        "subscription",
        "webhook_id",
        "replayId",
        "status",
        "transmissions",
        "integration_key",
        "subdomain",
    )
}
_K8S_WATCH_TYPES = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK"}
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Unwrapped:
    """A payload with the envelopes that were peeled off it."""

    payload: Any
    kind: str | None
    prefix: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def unwrap(doc: Any) -> Unwrapped:
    """Peel known envelopes (EventBridge, CloudEvents, Event Grid, SNS, Pub/Sub...) off a sample."""
    kinds: list[str] = []
    meta: dict[str, Any] = {}
    prefix = ""
    current = doc
    for _ in range(_MAX_DEPTH):
        step = _unwrap_once(current)
        if step is None:
            break
        kind, member, inner = step
        kinds.append(kind)
        head = member.split("/")[0]
        for key, value in current.items():
            if key != head:
                meta[f"{prefix}/{escape(key)}"] = value
        prefix = f"{prefix}/{member}" if "/" in member else f"{prefix}/{escape(member)}"
        current = inner
    return Unwrapped(current, kinds[0] if kinds else None, prefix, meta)


def _unwrap_once(doc: Any) -> tuple[str, str, Any] | None:
    if not isinstance(doc, dict):
        return None
    for detector in _DETECTORS:
        found = detector(doc)
        if found is not None:
            return found
    return None


def _eventbridge(doc: dict) -> tuple[str, str, Any] | None:
    if "detail-type" in doc and isinstance(doc.get("detail"), dict):
        return "eventbridge", "detail", doc["detail"]
    return None


def _cloudevents(doc: dict) -> tuple[str, str, Any] | None:
    if "specversion" not in doc:
        return None
    data = doc.get("data")
    if isinstance(data, dict):
        return "cloudevents", "data", data
    # Non-JSON data (XML, base64) carries nothing we can read: an empty business payload.
    return "cloudevents", "data", {}


def _eventgrid(doc: dict) -> tuple[str, str, Any] | None:
    grid_keys = {"eventType", "subject", "dataVersion"}
    if grid_keys <= doc.keys() and isinstance(doc.get("data"), dict):
        return "eventgrid", "data", doc["data"]
    return None


def _stripe(doc: dict) -> tuple[str, str, Any] | None:
    data = doc.get("data")
    if doc.get("object") == "event" and isinstance(data, dict) and "object" in data:
        # Keep `previous_attributes` next to the object: it is the delta.
        return "stripe", "data", data
    return None


def _slack(doc: dict) -> tuple[str, str, Any] | None:
    if doc.get("type") == "event_callback" and isinstance(doc.get("event"), dict):
        return "slack", "event", doc["event"]
    return None


def _sns(doc: dict) -> tuple[str, str, Any] | None:
    if doc.get("Type") != "Notification" or not isinstance(doc.get("Message"), str):
        return None
    try:
        inner = json.loads(doc["Message"])
    except ValueError:
        inner = {}
    return "sns", "Message", inner if isinstance(inner, dict) else {}


def _pubsub(doc: dict) -> tuple[str, str, Any] | None:
    message = doc.get("message")
    if not isinstance(message, dict) or not ({"data", "attributes"} & message.keys()):
        return None
    if "subscription" not in doc and "messageId" not in message:
        return None
    inner = _decode_b64_json(message.get("data"))
    if inner is None:
        # payloadFormat NONE: only the attributes travel, the notification is all there is.
        inner = message.get("attributes") or {}
    return "pubsub", "message", inner


def _decode_b64_json(value: Any) -> dict | None:
    if not isinstance(value, str):
        return None
    try:
        decoded = json.loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return None
    return decoded if isinstance(decoded, dict) else None


def _records(doc: dict) -> tuple[str, str, Any] | None:
    for member in ("Records", "value"):
        items = doc.get(member)
        others = set(doc) - {member, "validationTokens"}
        if isinstance(items, list) and items and isinstance(items[0], dict) and not others:
            # A batch: the first record stands for all of them.
            return "batch", f"{member}/0", items[0]
    return None


def _aws_record(doc: dict) -> tuple[str, str, Any] | None:
    if "eventSource" not in doc:
        return None
    for member in ("dynamodb", "s3", "Sns", "kinesis", "body"):
        if isinstance(doc.get(member), dict):
            return "aws-record", member, doc[member]
    return None


def _kubernetes(doc: dict) -> tuple[str, str, Any] | None:
    if set(doc) == {"type", "object"} and doc["type"] in _K8S_WATCH_TYPES:
        return "kubernetes-watch", "object", doc["object"]
    return None


def _generic(doc: dict) -> tuple[str, str, Any] | None:
    members = [m for m in doc if m in PAYLOAD_MEMBERS and isinstance(doc[m], dict)]
    if len(members) != 1:
        return None
    others = [k for k in doc if k != members[0]]
    if all(norm(k) in ENVELOPE_KEYS for k in others):
        return "payload", members[0], doc[members[0]]
    return None


_DETECTORS = (
    _eventbridge,
    _cloudevents,
    _eventgrid,
    _stripe,
    _slack,
    _sns,
    _pubsub,
    _records,
    _aws_record,
    _kubernetes,
    _generic,
)


def unwrap_schema(document: SchemaDocument) -> tuple[Any, str | None, str, set[str]]:
    """Find the payload sub-schema inside an envelope schema; returns (node, kind, prefix, meta).

    References (at the root, or at a payload member) are followed through the document."""
    schema = document.raw
    node = follow(document, schema)
    props = node.get("properties") if isinstance(node, dict) else None
    if not isinstance(props, dict):
        return schema, None, "", set()
    member, kind = _schema_member(props, document)
    if member is None:
        return schema, None, "", set()
    meta = {f"/{k}" for k in props if k != member}
    return props[member], kind, f"/{member}", meta


def _schema_member(props: dict, document: SchemaDocument) -> tuple[str | None, str | None]:
    if "detail-type" in props and "detail" in props:
        return "detail", "eventbridge"
    if "specversion" in props and "data" in props:
        return "data", "cloudevents"
    if {"eventType", "subject", "dataVersion"} <= props.keys() and "data" in props:
        return "data", "eventgrid"
    candidates = [
        m for m in props if m in PAYLOAD_MEMBERS and _is_object(follow(document, props[m]))
    ]
    others = [k for k in props if k not in candidates]
    if len(candidates) == 1 and all(norm(k) in ENVELOPE_KEYS for k in others):
        return candidates[0], "payload"
    return None, None


def _is_object(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    return node.get("type") == "object" or "properties" in node
