"""Consumers: who subscribes to which bus, reads which fields, and calls back."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.rendering import created, page
from app.api.requests import documented, json_body, page_args
from app.services import catalog, changes, listing, reception, routing
from app.services.views import consumer_view
from app.web import db_session, require_read_access, writer

bp = Blueprint("consumers", __name__, url_prefix="/api/v1")


@bp.post("/consumers")
@documented(
    "Register a consumer",
    body="consumer-create",
    status=201,
    auth=True,
    tag="consumers",
    answer="Consumer",
)
def create_consumer() -> Response:
    body = json_body("consumer-create")
    name, bus = body.pop("name"), body.pop("bus")
    consumer = catalog.create_consumer(db_session(), writer(), name, bus, **body)
    return created(consumer_view(consumer), f"/api/v1/consumers/{consumer.id}")


@bp.get("/consumers")
@documented(
    "List consumers (filters: bus, event, team)",
    paginated=True,
    tag="consumers",
    query={
        "bus": ({}, "Only the consumers of this bus."),
        "event": ({}, "Only the consumers of this event type (domain.EventName)."),
        "team": ({}, "Only the consumers of this team."),
    },
    answer="Consumer",
)
def list_consumers() -> Response:
    require_read_access()
    limit, after = page_args()
    filters = {key: request.args.get(key) for key in ("bus", "event", "team")}
    return page(listing.list_consumers(db_session(), after, limit, **filters), consumer_view)


@bp.get("/consumers/<int:consumer_id>")
@documented("Get a consumer", tag="consumers", answer="Consumer")
def get_consumer(consumer_id: int) -> Response:
    require_read_access()
    return jsonify(consumer_view(changes.get_consumer(db_session(), consumer_id)))


@bp.patch("/consumers/<int:consumer_id>")
@documented(
    "Change a consumer", body="consumer-update", auth=True, tag="consumers", answer="Consumer"
)
def update_consumer(consumer_id: int) -> Response:
    body = json_body("consumer-update")
    consumer = changes.update_consumer(db_session(), writer(), consumer_id, body)
    return jsonify(consumer_view(consumer))


@bp.delete("/consumers/<int:consumer_id>")
@documented("Unregister a consumer", status=204, auth=True, tag="consumers")
def delete_consumer(consumer_id: int) -> Response:
    changes.delete_consumer(db_session(), writer(), consumer_id)
    return Response(status=204)


@bp.post("/patterns/test")
@documented(
    "Does a routing rule match an event? (EventBridge's TestEventPattern; SNS filter policies "
    "with router sns; stateless)",
    body="pattern-test",
    tag="consumers",
    answer="PatternTest",
)
def test_pattern() -> Response:
    require_read_access()
    body = json_body("pattern-test")
    return jsonify(
        routing.test_pattern(
            body["pattern"], body["event"], body.get("router", "eventbridge"), body.get("scope")
        )
    )


@bp.get("/events/<domain>/<name>/consumers")
@documented(
    "Who receives an event type and why: each consumer on its bus (or declaring it) with its "
    "rule's answer (receives, reason, samples delivered, values assumed, where the rule fails) "
    "and the findings about it (a rule that can never match or matches everything, fields it "
    "reads that the event lacks: missing_fields, must_call_back)",
    tag="consumers",
    answer="EventConsumers",
)
def event_consumers(domain: str, name: str) -> Response:
    require_read_access()
    return jsonify(consumers=reception.event_receivers(db_session(), domain, name))
