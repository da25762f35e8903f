"""Domains and the buses they publish on."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from app.api.rendering import created, domain_json, page
from app.api.requests import documented, flag, json_body, page_args
from app.services import catalog, changes, listing
from app.services.views import bus_view
from app.web import db_session, require_read_access, writer

bp = Blueprint("domains", __name__, url_prefix="/api/v1")


@bp.post("/domains")
@documented(
    "Create a domain", body="domain-create", status=201, auth=True, tag="domains", answer="Domain"
)
def create_domain() -> Response:
    body = json_body("domain-create")
    domain = catalog.create_domain(
        db_session(),
        writer(),
        body["slug"],
        body["name"],
        body["owner"],
        body.get("description", ""),
    )
    return created(domain_json(domain), f"/api/v1/domains/{domain.slug}")


@bp.get("/domains")
@documented("List domains", paginated=True, tag="domains", answer="Domain")
def list_domains() -> Response:
    require_read_access()
    limit, after = page_args()
    return page(listing.list_domains(db_session(), after, limit), domain_json)


@bp.get("/domains/<domain>")
@documented("Get a domain", tag="domains", answer="Domain")
def get_domain(domain: str) -> Response:
    require_read_access()
    return jsonify(domain_json(catalog.get_domain(db_session(), domain)))


@bp.patch("/domains/<domain>")
@documented("Change a domain", body="domain-update", auth=True, tag="domains", answer="Domain")
def update_domain(domain: str) -> Response:
    body = json_body("domain-update")
    return jsonify(domain_json(changes.update_domain(db_session(), writer(), domain, body)))


@bp.delete("/domains/<domain>")
@documented(
    "Delete a domain (409 while buses or event types depend on it)",
    status=204,
    auth=True,
    tag="domains",
)
def delete_domain(domain: str) -> Response:
    changes.delete_domain(db_session(), writer(), domain)
    return Response(status=204)


@bp.post("/buses")
@documented("Create a bus", body="bus-create", status=201, auth=True, tag="buses", answer="Bus")
def create_bus() -> Response:
    body = json_body("bus-create")
    bus = catalog.create_bus(
        db_session(),
        writer(),
        body["slug"],
        body["domain"],
        body["router"],
        body.get("description", ""),
        body.get("publishers"),
    )
    return created(bus_view(bus), f"/api/v1/buses/{bus.slug}")


@bp.get("/buses")
@documented(
    "List buses (filter: domain)",
    paginated=True,
    tag="buses",
    query={"domain": ({}, "Only the buses of this domain.")},
    answer="Bus",
)
def list_buses() -> Response:
    require_read_access()
    limit, after = page_args()
    domain = request.args.get("domain")
    return page(listing.list_buses(db_session(), after, limit, domain), bus_view)


@bp.get("/buses/<bus>")
@documented("Get a bus", tag="buses", answer="Bus")
def get_bus(bus: str) -> Response:
    require_read_access()
    return jsonify(bus_view(catalog.get_bus(db_session(), bus)))


@bp.patch("/buses/<bus>")
@documented(
    "Change a bus; a new router re-checks its consumers' rules against its grammar (409 "
    "naming each rule it refuses, with its pointer)",
    body="bus-update",
    auth=True,
    tag="buses",
    flags={
        "force": "true (admin): change the router although it refuses consumers' rules; "
        "audited, naming them."
    },
    answer="Bus",
)
def update_bus(bus: str) -> Response:
    body = json_body("bus-update")
    changed = changes.update_bus(db_session(), writer(), bus, body, force=bool(flag("force")))
    return jsonify(bus_view(changed))


@bp.delete("/buses/<bus>")
@documented(
    "Delete a bus (409 while event types or consumers use it, naming them)",
    status=204,
    auth=True,
    tag="buses",
    flags={
        "force": "true (admin): delete it anyway; its consumers go, its event types stay on "
        "no bus; audited."
    },
)
def delete_bus(bus: str) -> Response:
    changes.delete_bus(db_session(), writer(), bus, force=bool(flag("force")))
    return Response(status=204)
