"""Vocabulary of field names and values: identifiers, links, statuses, times, versions."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Categories a field can fall in; "business" is everything the others are not.
ID, LINK, STATUS, TIME, VERSION, META, REF, BUSINESS = (
    "id",
    "link",
    "status",
    "time",
    "version",
    "meta",
    "reference",
    "business",
)


# Field names repeat across leaves, samples, versions and event types: the name-only rules
# below are pure functions of one string, so each name is worked out once (bounded caches).
_NAME_CACHE = 16384
_SEPARATORS = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=_NAME_CACHE)
def norm(name: str) -> str:
    """Lower-case a name and drop separators: `previous_attributes` ~ `previousAttributes`."""
    return _SEPARATORS.sub("", name.lower())


_ID_EXACT = {"id", "key", "ref", "sid", "uuid", "guid", "arn", "urn", "gid", "nodeid", "etag"}
_ID_SUFFIX = re.compile(r"(?:Id|ID|Ids|IDs|_id|_ids|-id|Sid|_sid|Key|_key|Ref|_ref|Arn|_arn|Uuid)$")
_ID_VALUE_PATTERNS = (
    re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I),
    re.compile(r"^arn:[a-z0-9-]+:[a-z0-9-]*:"),
    # Stripe-like prefixed ids: cus_9s6XKzkNRiz8i3, evt_1Nv..., in_...
    re.compile(r"^[a-z]{2,8}_[A-Za-z0-9]{8,}$"),
    # AWS resource ids: i-0abc1234, vol-..., sg-...
    re.compile(r"^[a-z]{1,5}-[0-9a-f]{8,17}$"),
    # Twilio SIDs: SM + 32 hex, AC + 32 hex
    re.compile(r"^[A-Z]{2}[0-9a-fA-FX]{32}$"),
    # Slack-style opaque ids: U024BE7LH, C0698JE0H, T123ABC456
    re.compile(r"^(?=.*\d)[A-Z][A-Z0-9]{7,}$"),
    # GraphQL global ids and Shopify gids
    re.compile(r"^gid://"),
)


@lru_cache(maxsize=_NAME_CACHE)
def is_identifier_name(name: str) -> bool:
    """True for `id`, `*Id`, `*_id`, `*ID`, `key`, `ref`, SIDs, ARNs and similar names."""
    if norm(name) in _ID_EXACT:
        return True
    return bool(_ID_SUFFIX.search(name))


def looks_like_id_value(value: Any) -> bool:
    """True for uuid, ARN, prefixed-id and SID string values."""
    if not isinstance(value, str) or " " in value or len(value) > 200:
        return False
    return any(p.search(value) for p in _ID_VALUE_PATTERNS)


_LINK_EXACT = {
    "href",
    "url",
    "uri",
    "self",
    "selflink",
    "medialink",
    "dataref",
    "resourceurl",
    "links",
    "link",
    "odataid",
    "location",
}
_LINK_SUFFIX = re.compile(r"(?:url|uri|link|href)s?$", re.I)


@lru_cache(maxsize=_NAME_CACHE)
def is_link_name(name: str) -> bool:
    """True for names inviting a call-back: `href`, `url`, `self`, `dataref`, `*Url`, `_links`."""
    n = norm(name)
    return n in _LINK_EXACT or bool(_LINK_SUFFIX.search(n))


def is_url_value(value: Any) -> bool:
    """True for absolute http(s) URLs."""
    return isinstance(value, str) and value.startswith(("http://", "https://"))


_STATUS_EXACT = {
    "status",
    "state",
    "phase",
    "result",
    "outcome",
    "action",
    "event",
    "eventtype",
    "eventname",
    "type",
    "kind",
    "reason",
    "op",
    "operation",
    "changetype",
    "detailtype",
    "resourcestate",
    "object",
    "subtype",
    "resourcetype",
}
_STATUS_SUFFIX = re.compile(r"(?:Status|_status|State|_state|Type|_type)$")


@lru_cache(maxsize=_NAME_CACHE)
def is_status_name(name: str) -> bool:
    """True for status/state/type-tag names that say what happened, not what the entity is."""
    return norm(name) in _STATUS_EXACT or bool(_STATUS_SUFFIX.search(name))


_TIME_EXACT = {
    "time",
    "timestamp",
    "ts",
    "tsms",
    "date",
    "created",
    "updated",
    "occurredat",
    "eventtime",
    "eventts",
}
_TIME_SUFFIX = re.compile(
    r"(?:At|_at|Time|_time|Date|_date|DateTime|Timestamp|_timestamp|_ts|_ts_ms|_on|On)$"
)
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@lru_cache(maxsize=_NAME_CACHE)
def is_time_name(name: str) -> bool:
    """True for occurred-at style names: `time`, `timestamp`, `*At`, `*_at`, `*Time`, `*Date`."""
    return norm(name) in _TIME_EXACT or bool(_TIME_SUFFIX.search(name))


def is_datetime_value(value: Any) -> bool:
    """True for ISO-8601 date-time strings."""
    return isinstance(value, str) and bool(_ISO_DATETIME.match(value))


OCCURRED_AT_NAMES = {
    "occurredat",
    "eventtime",
    "time",
    "timestamp",
    "eventtimestamp",
    "createdat",
    "created",
    "createtime",
    "eventts",
    "committimestamp",
    "publishtime",
    "tsms",
    "ts",
}

_VERSION_EXACT = {
    "version",
    "sequence",
    "seq",
    "sequencenumber",
    "sequencer",
    "revision",
    "rev",
    "generation",
    "metageneration",
    "resourceversion",
    "entityversion",
    "aggregateversion",
    "streamversion",
    "lsn",
    "offset",
    "commitnumber",
    "replayid",
    "position",
    "seqno",
    "eventversion",
}
_VERSION_SUFFIXES = ("version", "sequence", "seq", "revision", "seqno", "sequencenumber")


@lru_cache(maxsize=_NAME_CACHE)
def is_version_name(name: str) -> bool:
    """True for entity-version and sequence names: `version`, `sequence`, `revision`, `*Version`."""
    n = norm(name)
    return n in _VERSION_EXACT or n.endswith(_VERSION_SUFFIXES)


# Schema/format versions say nothing about the entity's order, so ordering checks skip them.
FORMAT_VERSION_NAMES = {
    "specversion",
    "apiversion",
    "dataversion",
    "metadataversion",
    "schemaversion",
    "eventversion",
    "s3schemaversion",
    "resourceversion2",
}

_META_EXACT = {
    "specversion",
    "apiversion",
    "livemode",
    "pendingwebhooks",
    "token",
    "region",
    "awsregion",
    "account",
    "datacontenttype",
    "dataschema",
    "dataversion",
    "metadataversion",
    "eventversion",
    "schemaversion",
    "s3schemaversion",
    "clientstate",
    "idempotencykey",
    "integrationkey",
    "subdomain",
    "signature",
    "source",
    "eventsource",
    "topic",
    "subject",
    "channel",
    "resources",
    "schema",
    "summary",
    "attempt",
    "smtpid",
    "configurationid",
    "changeorigin",
    "entityname",
    "odatatype",
    "odataetag",
    "apiappid",
    "authedusers",
    # The request or actor behind an event is context, not entity state.
    "ip",
    "ipaddress",
    "sourceipaddress",
    "clientip",
    "useragent",
    "requester",
}
# When the event happened and what kind it is: event metadata even inside the payload.
EVENT_META_NAMES = {
    "time",
    "timestamp",
    "eventtime",
    "eventtimestamp",
    "occurredat",
    "eventts",
    "ts",
    "tsms",
    "publishtime",
    "event",
    "eventtype",
    "eventname",
    "detailtype",
    "action",
}

# Containers whose members describe the delivery, the actor or the connector, not the entity.
META_CONTAINERS = {
    "changeeventheader",
    "source",
    "meta",
    "request",
    "sender",
    "installation",
    "enterprise",
    "authorizations",
    "storagediagnostics",
    "transmissions",
    "useridentity",
    "requestparameters",
    "responseelements",
    "transaction",
    "links",
    "_links",
    "headers",
}


# Who acted, and the people or entities the subject points at: not the subject itself
# (issue 14: `createdBy`, `owner` were counted as if they identified it).
ACTOR_NAMES = {
    "actor",
    "user",
    "sender",
    "author",
    "creator",
    "createdby",
    "updatedby",
    "modifiedby",
    "lastmodifiedby",
    "editedby",
    "changedby",
    "performedby",
    "triggeredby",
    "owner",
    "assignee",
    "assignees",
    "reporter",
    "requester",
    "submitter",
    "approver",
    "initiator",
    "invoker",
    "principal",
    "claims",
    "authorization",
    "identity",
    "pusher",
}
_REFERENCE_TAILS = ("id", "ids", "key", "login", "email", "name")


@lru_cache(maxsize=_NAME_CACHE)
def is_actor_name(name: str) -> bool:
    """True for names of actors and referenced people: `createdBy`, `sender`, `owner_id`,
    `assigneeId`, `authorEmail`; the subject's own `id` or `orderId` are not."""
    n = norm(name)
    if n in ACTOR_NAMES:
        return True
    return any(n.endswith(t) and n[: -len(t)] in ACTOR_NAMES for t in _REFERENCE_TAILS)


@lru_cache(maxsize=_NAME_CACHE)
def is_meta_name(name: str) -> bool:
    """True for envelope and delivery metadata names that never count as business data."""
    return norm(name) in _META_EXACT or norm(name) in EVENT_META_NAMES


def categorize(name: str, value: Any = None, has_value: bool = False) -> str:
    """Put one leaf field in a category: id, link, status, time, version, meta or business."""
    if is_meta_name(name):
        return META
    if is_link_name(name) or (has_value and is_url_value(value)):
        return LINK
    if is_version_name(name):
        return VERSION
    if is_time_name(name) or (has_value and is_datetime_value(value)):
        return TIME
    if is_identifier_name(name) or (has_value and looks_like_id_value(value)):
        return ID
    if is_status_name(name):
        return STATUS
    return BUSINESS
