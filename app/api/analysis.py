"""Event-design analysis: shapes, consumer cost, ordering hazards, lints, rules, router costs."""

from __future__ import annotations

import math

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest

from app.api.requests import documented, json_body
from app.core.analysis import MAX_EVENTS_PER_SECOND
from app.services import analysis, rules
from app.web import db_session, require_read_access, runtime, writer

bp = Blueprint("analysis", __name__, url_prefix="/api/v1")


@bp.post("/analysis")
@documented(
    "Is this event thin, delta or full? (schema and/or samples, stateless; with bus= or "
    "router=, its ordering hazard on that router)",
    body="analysis",
    tag="analysis",
    answer="Analysis",
)
def analyse() -> Response:
    require_read_access()
    body = json_body("analysis")
    schema, samples, bus, router = (body.get(k) for k in ("schema", "samples", "bus", "router"))
    return jsonify(analysis.analyse(db_session(), schema, samples, bus, router))


@bp.get("/events/<domain>/<name>/analysis")
@documented(
    "Shape, consumer cost, ordering hazard, lints and consumer findings (consumer_findings: "
    "rules against the schema, fields a consumer reads that the event lacks) of a registered "
    "event type",
    tag="analysis",
    answer="Analysis",
)
def analyse_event(domain: str, name: str) -> Response:
    require_read_access()
    return jsonify(analysis.analyse_event(db_session(), domain, name))


@bp.get("/buses/<bus>/advice")
@documented(
    "What the bus's router guarantees, what its events need, and (events_per_second=) the cost",
    tag="analysis",
    query={
        "events_per_second": (
            {"type": "number", "minimum": 0, "maximum": MAX_EVENTS_PER_SECOND},
            "A throughput, to add each router's monthly cost.",
        )
    },
    answer="BusAdvice",
)
def bus_advice(bus: str) -> Response:
    require_read_access()
    rate = request.args.get("events_per_second")
    try:
        per_second = float(rate) if rate is not None else None
    except ValueError:
        per_second = math.nan
    if per_second is not None and not math.isfinite(per_second):
        raise BadRequest(f"events_per_second must be a number (got {rate!r})")
    prices = runtime().settings.router_prices
    return jsonify(analysis.bus_advice(db_session(), bus, per_second, prices))


@bp.post("/router-estimate")
@documented(
    "Monthly cost of each router for a throughput and payload size",
    body="router-estimate",
    tag="analysis",
    answer="RouterEstimate",
)
def router_estimate() -> Response:
    require_read_access()
    body = json_body("router-estimate")
    prices = runtime().settings.router_prices
    return jsonify(
        analysis.router_estimate(body["events_per_second"], body["payload_bytes"], prices)
    )


@bp.get("/rules")
@documented("The registry's governance rules", tag="analysis", answer="Rules")
def get_rules() -> Response:
    require_read_access()
    return jsonify(rules=rules.get_rules(db_session()))


@bp.put("/rules")
@documented(
    "Replace the governance rules (admin)", body="rules", auth=True, tag="analysis", answer="Rules"
)
def put_rules() -> Response:
    body = json_body("rules")
    return jsonify(rules=rules.set_rules(db_session(), writer(), body["rules"]))
