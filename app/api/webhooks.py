"""Webhooks: change notifications for a team or a domain, their delivery logs, and a ping."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from app.api.rendering import created, page
from app.api.requests import documented, json_body, page_args
from app.services import webhooks
from app.services.views import delivery_view, webhook_view
from app.web import db_session, runtime, writer

bp = Blueprint("webhooks", __name__, url_prefix="/api/v1")


@bp.post("/webhooks")
@documented(
    "Register a webhook for a team or a domain; its signing secret is in this answer only",
    body="webhook-create",
    status=201,
    auth=True,
    tag="webhooks",
    answer="NewWebhook",
)
def create_webhook() -> Response:
    body = json_body("webhook-create")
    scope = {key: body[key] for key in ("team", "domain") if key in body}
    issued = webhooks.create_webhook(
        db_session(),
        writer(),
        body["url"],
        scope,
        kinds=body.get("kinds", []),
        description=body.get("description", ""),
        allow_private=runtime().settings.webhooks_allow_private,
    )
    answer = {**webhook_view(issued.webhook), "secret": issued.secret}
    return created(answer, f"/api/v1/webhooks/{issued.webhook.id}")


@bp.get("/webhooks")
@documented(
    "List the webhooks of the token's team (every team's, for an admin)",
    paginated=True,
    auth=True,
    tag="webhooks",
    answer="Webhook",
)
def list_webhooks() -> Response:
    limit, after = page_args()
    return page(webhooks.list_webhooks(db_session(), writer(), after, limit), webhook_view)


@bp.get("/webhooks/<int:webhook_id>")
@documented("Get a webhook (never its secret)", auth=True, tag="webhooks", answer="Webhook")
def get_webhook(webhook_id: int) -> Response:
    return jsonify(webhook_view(webhooks.get_webhook(db_session(), writer(), webhook_id)))


@bp.patch("/webhooks/<int:webhook_id>")
@documented(
    "Change a webhook's url, kinds, description or active (false pauses its deliveries)",
    body="webhook-update",
    auth=True,
    tag="webhooks",
    answer="Webhook",
)
def update_webhook(webhook_id: int) -> Response:
    body = json_body("webhook-update")
    allow_private = runtime().settings.webhooks_allow_private
    changed = webhooks.update_webhook(db_session(), writer(), webhook_id, body, allow_private)
    return jsonify(webhook_view(changed))


@bp.post("/webhooks/<int:webhook_id>/secret")
@documented(
    "Rotate a webhook's signing secret; the new one is in this answer only",
    auth=True,
    tag="webhooks",
    answer="NewWebhook",
)
def rotate_secret(webhook_id: int) -> Response:
    issued = webhooks.rotate_secret(db_session(), writer(), webhook_id)
    return jsonify({**webhook_view(issued.webhook), "secret": issued.secret})


@bp.delete("/webhooks/<int:webhook_id>")
@documented("Remove a webhook and its delivery log", status=204, auth=True, tag="webhooks")
def delete_webhook(webhook_id: int) -> Response:
    webhooks.delete_webhook(db_session(), writer(), webhook_id)
    return Response(status=204)


@bp.get("/webhooks/<int:webhook_id>/deliveries")
@documented(
    "A webhook's delivery log, newest first: status, attempts, last answer",
    paginated=True,
    auth=True,
    tag="webhooks",
    answer="WebhookDelivery",
)
def list_deliveries(webhook_id: int) -> Response:
    limit, after = page_args()
    found = webhooks.deliveries(db_session(), writer(), webhook_id, after, limit)
    return page(found, delivery_view)


@bp.post("/webhooks/<int:webhook_id>/test")
@documented(
    "Send the webhook a WebhookPinged notification (queued; see its delivery log)",
    status=202,
    auth=True,
    tag="webhooks",
    answer="WebhookDelivery",
)
def test_webhook(webhook_id: int) -> Response:
    delivery = webhooks.ping(db_session(), writer(), webhook_id)
    response = jsonify(delivery_view(delivery))
    response.status_code = 202
    return response
