"""Consumers: who subscribes to which bus, reads which fields, and calls back."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.rendering import created, page
from app.api.requests import documented, json_body, page_args, require_read_access, writer
from app.db.queries import listing
from app.services import catalog, changes
from app.services.views import consumer_view
from app.web import db_session

bp = Blueprint("consumers", __name__, url_prefix="/api/v1")


@bp.post("/consumers")
@documented("Register a consumer", body="consumer-create", status=201, auth=True, tag="consumers")
def create_consumer() -> Response:
    body = json_body("consumer-create")
    name, bus = body.pop("name"), body.pop("bus")
    consumer = catalog.create_consumer(db_session(), writer(), name, bus, **body)
    return created(consumer_view(consumer), f"/api/v1/consumers/{consumer.id}")


@bp.get("/consumers")
@documented("List consumers (filters: bus, event, team)", paginated=True, tag="consumers")
def list_consumers() -> Response:
    require_read_access()
    session = db_session()
    limit, after = page_args()
    filters = {}
    if request.args.get("bus"):
        filters["bus_id"] = catalog.get_bus(session, request.args["bus"]).id
    if request.args.get("event"):
        ref = catalog.parse_ref(request.args["event"])
        filters["event_type_id"] = catalog.get_event_type(session, *ref).id
    if request.args.get("team"):
        filters["team_id"] = catalog.get_team(session, request.args["team"]).id
    return page(listing.consumers(session, filters, after, limit), consumer_view)


@bp.get("/consumers/<int:consumer_id>")
@documented("Get a consumer", tag="consumers")
def get_consumer(consumer_id: int) -> Response:
    require_read_access()
    return jsonify(consumer_view(changes.get_consumer(db_session(), consumer_id)))


@bp.patch("/consumers/<int:consumer_id>")
@documented("Change a consumer", body="consumer-update", auth=True, tag="consumers")
def update_consumer(consumer_id: int) -> Response:
    body = json_body("consumer-update")
    consumer = changes.update_consumer(db_session(), writer(), consumer_id, body)
    return jsonify(consumer_view(consumer))


@bp.delete("/consumers/<int:consumer_id>")
@documented("Unregister a consumer", status=204, auth=True, tag="consumers")
def delete_consumer(consumer_id: int) -> Response:
    changes.delete_consumer(db_session(), writer(), consumer_id)
    return Response(status=204)
