"""Registering webhooks, reading their delivery logs and pinging them: owner-checked, audited.

A webhook belongs to a team: team-wide (every domain the team owns) or for one of its domains.
Its URL must reach a public internet address unless EVENTRY_WEBHOOKS_ALLOW_PRIVATE is set
(``allow_private``): a registry that POSTs wherever a caller asks would otherwise be a way into
the network it runs in (SSRF, OWASP API7:2023).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import InvalidInput, NotFound
from app.core.notifications import (
    CHANGE_KINDS,
    NotificationKind,
    shown_address,
    url_problem,
)
from app.core.paging import Page
from app.core.vocabulary import check_fields, member_of
from app.db.models import Webhook, WebhookDelivery
from app.db.queries import webhooks as queries
from app.services import audit, authz, delivery, notifications
from app.services.catalog import get_domain, get_team
from app.services.transaction import atomic
from app.services.views import webhook_view

SECRET_PREFIX = "whsec_"


@dataclass(frozen=True)
class IssuedWebhook:
    """A webhook just created and its signing secret, which is shown this once."""

    webhook: Webhook
    secret: str


def create_webhook(
    session: Session,
    actor: Actor,
    url: str,
    scope: dict[str, str],
    kinds: Sequence[str] = (),
    description: str = "",
    allow_private: bool = False,
) -> IssuedWebhook:
    """Register a webhook for ``scope``: ``{"team": slug}`` (every domain of the team) or
    ``{"domain": slug}`` (one domain; its owner team's). ``kinds`` filters the notification
    kinds (app.core.notifications.CHANGE_KINDS; empty: all).

    Raises InvalidInput (a bad URL or kind, a private address without ``allow_private``, both
    or neither scope), NotFound (team, domain) or Forbidden (not the team's or domain's owner).
    """
    wanted = _kinds(kinds)
    check_fields({"description": description})
    check_address(url, allow_private)
    if len(scope) != 1 or not set(scope) <= {"team", "domain"}:
        raise InvalidInput("a webhook's scope is either a team or a domain, not both")
    with atomic(session):
        domain = get_domain(session, scope["domain"]) if "domain" in scope else None
        team = domain.owner if domain else get_team(session, scope["team"])
        if domain is not None:
            authz.domain_owner(actor, domain)
        else:
            authz.team_member(actor, team.slug, "register a webhook")
        secret = _new_secret()
        webhook = Webhook(
            team=team,
            domain=domain,
            url=url,
            secret=secret,
            kinds=wanted,
            description=description,
            created_by=actor.name,
        )
        session.add(webhook)
        session.flush()
        audit.record(session, actor.name, "webhook.create", _target(webhook), None, _seen(webhook))
    return IssuedWebhook(webhook, secret)


def update_webhook(
    session: Session,
    actor: Actor,
    webhook_id: int,
    changes: Mapping[str, Any],
    allow_private: bool = False,
) -> Webhook:
    """Change some of a webhook's ``url`` (checked as at registration), ``kinds``,
    ``description`` and ``active``; the scope and the secret stay (rotate_secret).

    An inactive webhook is paused: no new notification is queued for it, and its pending
    deliveries stay pending (the worker skips them) and go out when it is active again.
    Raises InvalidInput (a bad URL or kind, an unknown field), NotFound or Forbidden.
    """
    unknown = sorted(set(changes) - {"url", "kinds", "description", "active"})
    if unknown:
        raise InvalidInput(f"a webhook cannot change {', '.join(unknown)}")
    if "url" in changes:
        check_address(changes["url"], allow_private)
    if "description" in changes:
        check_fields({"description": changes["description"]})
    wanted = _kinds(changes["kinds"]) if "kinds" in changes else None
    with atomic(session):
        webhook = get_webhook(session, actor, webhook_id)
        before = _seen(webhook)
        if "url" in changes:
            webhook.url = changes["url"]
        if wanted is not None:
            webhook.kinds = wanted
        if "description" in changes:
            webhook.description = changes["description"]
        if "active" in changes:
            webhook.active = bool(changes["active"])
        session.flush()
        audit.record(
            session, actor.name, "webhook.update", _target(webhook), before, _seen(webhook)
        )
    return webhook


def rotate_secret(session: Session, actor: Actor, webhook_id: int) -> IssuedWebhook:
    """Give a webhook a new signing secret, returned this once; the old one stops at once.

    The worker signs each attempt with the secret it reads then, so every attempt after the
    rotation (new notifications and retries of earlier ones alike) is signed with the new
    secret. Raises NotFound or Forbidden."""
    with atomic(session):
        webhook = get_webhook(session, actor, webhook_id)
        secret = _new_secret()
        webhook.secret = secret
        session.flush()
        seen = _seen(webhook)
        audit.record(session, actor.name, "webhook.rotate-secret", _target(webhook), seen, seen)
    return IssuedWebhook(webhook, secret)


def check_address(url: str, allow_private: bool) -> None:
    """Refuse a URL a webhook cannot have (app.core.notifications.url_problem) and, unless
    ``allow_private``, one whose host resolves to a private, loopback or link-local address.
    Raises InvalidInput (422)."""
    problem = url_problem(url)
    if problem:
        raise InvalidInput(problem)
    refusal = None if allow_private else delivery.address_refusal(url)
    if refusal:
        raise InvalidInput(refusal)


def get_webhook(session: Session, actor: Actor, webhook_id: int) -> Webhook:
    """A webhook of the actor's team (any, for an admin). Raises NotFound or Forbidden."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound(f"there is no webhook {webhook_id}")
    authz.team_member(actor, webhook.team.slug, "read a webhook")
    return webhook


def list_webhooks(session: Session, actor: Actor, after: Any, limit: int) -> Page[Webhook]:
    """The webhooks of the actor's team by id (every team's, for an admin)."""
    if actor.admin:
        return queries.webhooks(session, None, after, limit)
    if actor.team is None:
        return Page([], None)
    return queries.webhooks(session, get_team(session, actor.team).id, after, limit)


def delete_webhook(session: Session, actor: Actor, webhook_id: int) -> None:
    """Remove a webhook and its delivery log. Raises NotFound or Forbidden."""
    with atomic(session):
        webhook = get_webhook(session, actor, webhook_id)
        before = _seen(webhook)
        session.delete(webhook)
        audit.record(session, actor.name, "webhook.delete", f"webhook:{webhook_id}", before)


def deliveries(
    session: Session, actor: Actor, webhook_id: int, after: Any, limit: int
) -> Page[WebhookDelivery]:
    """A webhook's delivery log, newest first. Raises NotFound or Forbidden."""
    get_webhook(session, actor, webhook_id)
    return queries.deliveries(session, webhook_id, after, limit)


def ping(session: Session, actor: Actor, webhook_id: int) -> WebhookDelivery:
    """Queue a WebhookPinged notification for this one webhook (whatever its kinds, active or
    not: an inactive one's ping waits until it is active again) and return its pending
    delivery. Raises NotFound or Forbidden."""
    with atomic(session):
        webhook = get_webhook(session, actor, webhook_id)
        data = {"webhook": webhook.id, "asked_by": actor.name}
        kind = NotificationKind.WEBHOOK_PINGED
        entry = notifications.outbox_entry(session, kind, f"webhook:{webhook.id}", data)
        delivery = WebhookDelivery(webhook=webhook, notification=entry)
        session.add(delivery)
        session.flush()
        audit.record(session, actor.name, "webhook.test", _target(webhook), None, _seen(webhook))
    return delivery


def _kinds(kinds: Sequence[str]) -> list[str]:
    """The notification kinds a webhook may filter on, sorted without repeats; empty: all.
    Raises InvalidInput for any other kind (WebhookPinged is sent on request only)."""
    wanted = [member_of(NotificationKind, kind, "kinds") for kind in kinds]
    if any(kind not in CHANGE_KINDS for kind in wanted):
        raise InvalidInput(f"kinds are some of {', '.join(CHANGE_KINDS)}")
    return sorted(set(wanted))


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _target(webhook: Webhook) -> str:
    return f"webhook:{webhook.id}"


def _seen(webhook: Webhook) -> dict[str, Any]:
    # Never the secret, nor the URL's query: the audit log is readable by anyone.
    return {**webhook_view(webhook), "url": shown_address(webhook.url)}


def team_webhooks(session: Session, team_id: int) -> list[Webhook]:
    """A team's webhooks by id, for its page (which shows no secret and no URL query)."""
    return queries.of_team(session, team_id)


def delivery_log(
    session: Session, team: str, webhook_id: int, after: Any, limit: int
) -> tuple[Webhook, Page[WebhookDelivery]]:
    """A team's webhook and a page of its delivery log, newest first, for the UI (readable as
    the team's page is). Raises NotFound for a webhook of no such team."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None or webhook.team.slug != team:
        raise NotFound(f"team {team!r} has no webhook {webhook_id}")
    return webhook, queries.deliveries(session, webhook_id, after, limit)
