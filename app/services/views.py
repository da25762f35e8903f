"""Plain-dict views of the models: what the audit log records and the adapters render."""

from __future__ import annotations

from typing import Any

from app.core.lifecycle import Lifecycle, Stage
from app.core.routing.model import ConsumerScope
from app.db.models import (
    ApiToken,
    Bus,
    Consumer,
    Domain,
    EventType,
    Schema,
    SchemaVersion,
    Team,
    Webhook,
    WebhookDelivery,
)


def team_view(team: Team) -> dict[str, Any]:
    """Return a team as a dict."""
    return {"slug": team.slug, "name": team.name, "description": team.description}


def domain_view(domain: Domain) -> dict[str, Any]:
    """Return a domain as a dict."""
    return {
        "slug": domain.slug,
        "name": domain.name,
        "description": domain.description,
        "owner": domain.owner.slug,
    }


def bus_view(bus: Bus) -> dict[str, Any]:
    """Return a bus as a dict."""
    return {
        "slug": bus.slug,
        "domain": bus.domain.slug,
        "router": bus.router,
        "description": bus.description,
        "owner": bus.domain.owner.slug,
        "publishers": list(bus.publishers or []),
    }


def event_type_view(event_type: EventType) -> dict[str, Any]:
    """Return an event type's metadata as a dict."""
    return {
        "domain": event_type.domain.slug,
        "name": event_type.name,
        "bus": event_type.bus.slug if event_type.bus else None,
        "producer": event_type.producer,
        "aggregate": event_type.aggregate,
        "command": event_type.command,
        "description": event_type.description,
        "compatibility": event_type.compatibility,
        "policy": event_type.policy,
        "deprecated": event_type.deprecated,
        "lifecycle": stage_of(event_type).to_dict(),
    }


def stage_of(event_type: EventType | SchemaVersion) -> Stage:
    """An event type's or a version's lifecycle stage (app.core.lifecycle)."""
    since = event_type.deprecated_on
    return Stage(
        Lifecycle(event_type.lifecycle),
        since.isoformat() if since else None,
        event_type.lifecycle_reason,
        event_type.successor,
    )


def version_view(version: SchemaVersion) -> dict[str, Any]:
    """Return a schema version's metadata (not the schema itself) as a dict."""
    return {
        "version": version.version,
        "schema_id": version.schema_id,
        "note": version.note,
        "author": version.author,
        "deleted": version.deleted_at is not None,
        "lifecycle": stage_of(version).to_dict(),
    }


def contract_view(schema: Schema) -> dict[str, Any]:
    """Return what a stored content carries besides its text: its ``guid``, its
    ``references`` (``[{"name", "subject", "version"}]``, in order) and, when it has them, a
    data contract's ``metadata`` and ``ruleSet`` exactly as they were sent (Confluent's names)."""
    view: dict[str, Any] = {
        "guid": schema.guid,
        "references": [
            {"name": each.name, "subject": each.subject, "version": each.version}
            for each in schema.references
        ],
    }
    if schema.contract_metadata is not None:
        view["metadata"] = schema.contract_metadata
    if schema.rule_set is not None:
        view["ruleSet"] = schema.rule_set
    return view


def consumer_view(consumer: Consumer) -> dict[str, Any]:
    """Return a consumer as a dict."""
    event = consumer.event_type
    return {
        "id": consumer.id,
        "name": consumer.name,
        "team": consumer.team.slug if consumer.team else None,
        "bus": consumer.bus.slug,
        "event": f"{event.domain.slug}.{event.name}" if event else None,
        "pattern": consumer.pattern,
        "scope": consumer_scope_of(consumer),
        "fields": consumer.fields,
        "version": consumer.version,
        "calls_back": consumer.calls_back,
        "description": consumer.description,
        "created_at": _time(consumer.created_at),
    }


def consumer_scope_of(consumer: Consumer) -> str | None:
    """What an SNS consumer's filter policy reads (``message-attributes``, SNS's default, or
    ``message-body``); None for a consumer on another router."""
    if consumer.bus.router != "sns":
        return None
    return consumer.scope or ConsumerScope.MESSAGE_ATTRIBUTES.value


def token_view(token: ApiToken) -> dict[str, Any]:
    """Return a token's metadata as a dict; never its secret or its hash."""
    return {
        "id": token.id,
        "name": token.name,
        "team": token.team.slug if token.team else None,
        "admin": token.is_admin,
        "prefix": token.prefix,
        "scopes": token.scopes,
        "created_at": _time(token.created_at),
        "expires_at": _time(token.expires_at),
        "revoked_at": _time(token.revoked_at),
        "last_used_at": _time(token.last_used_at),
    }


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None


def webhook_view(webhook: Webhook) -> dict[str, Any]:
    """Return a webhook as a dict; never its secret."""
    return {
        "id": webhook.id,
        "team": webhook.team.slug,
        "domain": webhook.domain.slug if webhook.domain else None,
        "url": webhook.url,
        "kinds": list(webhook.kinds),
        "description": webhook.description,
        "active": webhook.active,
        "created_by": webhook.created_by,
        "created_at": _time(webhook.created_at),
    }


def delivery_view(delivery: WebhookDelivery) -> dict[str, Any]:
    """Return one delivery of a notification to a webhook as a dict, with the notification."""
    notification = delivery.notification
    return {
        "id": delivery.id,
        "webhook": delivery.webhook_id,
        "notification": notification.event_id,
        "kind": notification.kind,
        "subject": notification.envelope.get("subject"),
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": _time(delivery.next_attempt_at),
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "delivered_at": _time(delivery.delivered_at),
        "created_at": _time(delivery.created_at),
    }
