"""Event-storming lints: naming, identity, time, documentation and ownership of an event."""

from __future__ import annotations

from typing import Any

from app.core.schema import SchemaDocument
from app.core.vocabulary import EventShape

from .envelope import unwrap
from .fields import flatten_sample, flatten_schema
from .model import LintFinding
from .names import OCCURRED_AT_NAMES, norm
from .tense import is_pascal_case, is_past_tense, looks_like_command, past_tense_word

EVENT_ID_NAMES = {"id", "eventid", "messageid", "notificationid", "sgeventid", "deliveryid"}
_SHALLOW = 2  # envelope members and one level below (e.g. `meta.occurredAt`)


def lint(
    event: dict,
    document: SchemaDocument | None,
    samples: list[dict] | None = None,
    shape: str | None = None,
) -> list[LintFinding]:
    """Run every event-storming lint on one event type; returns findings, most severe first."""
    if not isinstance(event, dict):
        raise ValueError("event must be a dict with domain, name, producer, aggregate, bus_domain")
    findings: list[LintFinding] = []
    findings += lint_name(str(event.get("name") or ""))
    findings += lint_identity_and_time(document, samples)
    findings += lint_descriptions(document)
    findings += lint_open_schema(document, samples, shape)
    findings += lint_ignored_keywords(document)
    findings += lint_ownership(event)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: order[f.severity])


def lint_name(name: str) -> list[LintFinding]:
    """`event-name-pascal-case` and `event-name-past-tense`."""
    if not is_pascal_case(name):
        return [
            LintFinding(
                "event-name-pascal-case",
                "error",
                "/name",
                f"event name {name!r} is not PascalCase",
                "Write it like `OrderPlaced`: capitalised words, no spaces, dots or underscores.",
            )
        ]
    if is_past_tense(name):
        return []
    hint = "Name the fact that happened, in the past tense: `OrderPlaced`, `PaymentFailed`."
    if looks_like_command(name):
        hint = f"`{name}` reads as a command; the event is its outcome, e.g. `OrderPlaced`."
    word = past_tense_word(name)
    message = f"event name {name!r} does not end in a past participle ({word!r})"
    return [LintFinding("event-name-past-tense", "error", "/name", message, hint)]


def _shallow_names(document: SchemaDocument | None, samples: list[dict] | None) -> set[str]:
    names: set[str] = set()
    if document is not None:
        for unwrap_envelope in (False, True):
            fields = flatten_schema(document, unwrap_envelope=unwrap_envelope)[0]
            names.update(norm(f.name) for f in fields if f.depth <= _SHALLOW)
    for sample in samples or []:
        for fields in (flatten_sample(sample), flatten_sample(unwrap(sample).payload)):
            names.update(norm(f.name) for f in fields if f.depth <= _SHALLOW)
    return names


def lint_identity_and_time(
    document: SchemaDocument | None, samples: list[dict] | None
) -> list[LintFinding]:
    """`event-id` and `event-occurred-at`: the envelope or the payload must carry both."""
    if document is None and not samples:
        return []
    names = _shallow_names(document, samples)
    out = []
    if not names & EVENT_ID_NAMES:
        out.append(
            LintFinding(
                "event-id",
                "error",
                "",
                "no event id in the envelope or the payload",
                "Add a unique `eventId` (or use an envelope that has one): consumers need it "
                "to drop duplicates of at-least-once deliveries.",
            )
        )
    if not names & OCCURRED_AT_NAMES:
        out.append(
            LintFinding(
                "event-occurred-at",
                "warning",
                "",
                "no occurred-at time in the envelope or the payload",
                "Add `occurredAt` (RFC 3339 date-time) set when the fact happened, not when sent.",
            )
        )
    return out


def lint_descriptions(document: SchemaDocument | None) -> list[LintFinding]:
    """`property-description`: every property of the schema explains itself."""
    if document is None:
        return []
    fields, _kind = flatten_schema(document, unwrap_envelope=False)
    out = []
    for f in fields:
        if not str(f.node.get("description") or "").strip():
            out.append(
                LintFinding(
                    "property-description",
                    "warning",
                    f.schema_pointer,
                    f"property {f.pointer!r} has no description",
                    "Say what the value means for the business, its unit and who sets it.",
                )
            )
    return out


def lint_open_schema(
    document: SchemaDocument | None, samples: list[dict] | None, shape: str | None
) -> list[LintFinding]:
    """`open-additional-properties`: a full-state event's top level must be closed."""
    if document is None:
        return []
    if shape is None:
        from .shape import classify  # late import: shape depends on fields, not on lints

        shape = classify(document, samples).shape
    if shape != EventShape.FULL:
        return []
    # The keyword as written at the root: the finding points at /additionalProperties.
    schema = document.raw
    value: Any = schema.get("additionalProperties", True) if isinstance(schema, dict) else True
    if value is False or isinstance(value, dict):
        return []
    state = (
        "is true" if "additionalProperties" in schema else "is not set (JSON Schema default: open)"
    )
    return [
        LintFinding(
            "open-additional-properties",
            "warning",
            "/additionalProperties",
            f"top-level additionalProperties {state} on a full-state event",
            "Set additionalProperties to false so every field consumers couple to is declared.",
        )
    ]


def lint_ignored_keywords(document: SchemaDocument | None) -> list[LintFinding]:
    """`keyword-ignored`: a keyword of another draft that the schema's dialect does not apply
    (``unevaluatedProperties`` read as draft-07…): a constraint nobody enforces."""
    if document is None:
        return []
    hint = "Name the dialect that has the keyword in $schema, or remove the keyword."
    return [
        LintFinding("keyword-ignored", "warning", warning.pointer, warning.message, hint)
        for warning in document.warnings
    ]


def lint_ownership(event: dict) -> list[LintFinding]:
    """`producer-named`, `aggregate-named`, `bus-other-domain` and `bus-publisher-not-allowed`."""
    out = []
    if not str(event.get("producer") or "").strip():
        out.append(
            LintFinding(
                "producer-named",
                "error",
                "/producer",
                "no producer service is named",
                "Name the one service that emits this event; it owns the schema.",
            )
        )
    if not str(event.get("aggregate") or "").strip():
        out.append(
            LintFinding(
                "aggregate-named",
                "warning",
                "/aggregate",
                "no aggregate is named",
                "Name the aggregate whose state change this event records (e.g. `Order`).",
            )
        )
    domain, bus_domain = event.get("domain"), event.get("bus_domain")
    if bus_domain and domain and bus_domain != domain:
        out.append(
            LintFinding(
                "bus-other-domain",
                "warning",
                "/bus_domain",
                f"event of domain {domain!r} is published on a bus of domain {bus_domain!r}",
                "Publish on your own domain's bus and let other domains subscribe or bridge.",
            )
        )
    return out + lint_bus_consent(event)


def lint_bus_consent(event: dict) -> list[LintFinding]:
    """`bus-publisher-not-allowed`: the event travels on another team's bus whose owner has not
    consented. The caller decides consent (`bus_consent`: what allows it, or None) by the
    registry's one publishing rule; without that fact nothing is reported."""
    if "bus_consent" not in event or not event.get("bus_domain") or event["bus_consent"]:
        return []
    bus, owner = event.get("bus") or event["bus_domain"], event.get("bus_owner")
    team = f"team {owner!r}" if owner else f"domain {event['bus_domain']!r}"
    return [
        LintFinding(
            "bus-publisher-not-allowed",
            "error",
            "/bus",
            f"event of domain {event.get('domain')!r} is published on bus {bus!r} of {team}, "
            "whose owner has not allowed it",
            f"Ask {team} to add 'domain:{event.get('domain')}' or your team to the publishers "
            f"of {bus!r}, or move the event to a bus of your own domain.",
        )
    ]
