"""API tokens: creation (the secret is shown once), hashing, and authentication."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import InvalidInput, NotFound, Unauthorized
from app.core.paging import Page
from app.core.vocabulary import check_fields
from app.db.base import utcnow
from app.db.models import ApiToken
from app.db.queries import catalog as catalog_queries
from app.db.queries import listing
from app.db.queries import tokens as token_queries
from app.services import audit, authz
from app.services.transaction import atomic
from app.services.views import token_view

TOKEN_PREFIX = "evt_"


@dataclass(frozen=True)
class IssuedToken:
    """A newly created token: the secret exists only in this value, never in the database."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    """Return the sha-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """Return a fresh random token secret."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(
    session: Session,
    actor: Actor,
    name: str,
    team_slug: str | None = None,
    admin: bool = False,
    scopes: list[str] | None = None,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Create a team token (or an admin token) and return its secret, once."""
    check_fields({"name": name})
    if not name.strip():
        raise InvalidInput("a token needs a name, e.g. the pipeline or person that will use it")
    if admin == (team_slug is not None):
        raise InvalidInput("a token belongs to exactly one team, or is an admin token")
    if expires_at is not None and expires_at <= utcnow():
        raise InvalidInput("expires_at is in the past; a token must be usable when it is made")
    authz.admin(actor, "create tokens")
    with atomic(session):
        team = None
        if team_slug is not None:
            team = catalog_queries.team_by_slug(session, team_slug)
            if team is None:
                raise NotFound(f"there is no team {team_slug!r}")
        secret = new_secret()
        token = ApiToken(
            name=name,
            team=team,
            is_admin=admin,
            prefix=secret[:12],
            secret_hash=hash_secret(secret),
            scopes=list(scopes or []),
            expires_at=expires_at,
        )
        session.add(token)
        session.flush()
        target = f"token:{token.id}"
        audit.record(session, actor.name, "token.create", target, after=token_view(token))
    return IssuedToken(token, secret)


def ensure_admin_token(session: Session, configured: str | None) -> str | None:
    """Create an admin token on first start when none is configured; return its secret once."""
    if configured:
        return None
    if token_queries.admin_token_exists(session):
        return None
    return create_token(session, Actor.system("eventry"), "first-start admin", admin=True).secret


def authenticate(session: Session, presented: str, configured_admin: str | None) -> ApiToken | None:
    """Return the live token matching the presented secret, or None.

    The admin token from EVENTRY_ADMIN_TOKEN is not stored: it is matched here and returned as an
    unsaved admin token.
    """
    return _live_token(session, hash_secret(presented), configured_admin)


def _live_token(session: Session, digest: str, configured_admin: str | None) -> ApiToken | None:
    if configured_admin and hmac.compare_digest(digest, hash_secret(configured_admin)):
        return ApiToken(id=0, name="EVENTRY_ADMIN_TOKEN", is_admin=True, scopes=[])
    token = token_queries.token_by_hash(session, digest)
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    now = utcnow()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    return token


def actor_for(session: Session, presented: str, configured_admin: str | None) -> Actor:
    """Return the actor a bearer secret stands for, recording the token's use.

    Raises Unauthorized when the secret is unknown, revoked or expired.
    """
    token = authenticate(session, presented, configured_admin)
    if token is None:
        raise Unauthorized("the token is unknown, revoked or expired")
    return _acting(session, token)


def actor_for_digest(session: Session, digest: str, configured_admin: str | None) -> Actor | None:
    """Return the actor of the token whose secret hashes to ``digest`` (hash_secret: 64 hex
    characters, what a signed-in browser's session cookie holds instead of the secret), or None
    once that token is unknown, revoked or expired: revoking a token ends its sessions."""
    token = _live_token(session, digest, configured_admin)
    return None if token is None else _acting(session, token)


def _acting(session: Session, token: ApiToken) -> Actor:
    touch(session, token)
    team = token.team.slug if token.team is not None else None
    return Actor(name=token.name, team=team, admin=token.is_admin, scopes=tuple(token.scopes))


def revoke_token(session: Session, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token at once; its holder gets 401 from the next request on."""
    with atomic(session):
        token = session.get(ApiToken, token_id)
        if token is None:
            raise NotFound(f"there is no token {token_id}")
        authz.team_manager(actor, token.team.slug if token.team else None, "revoke a token")
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            session.flush()
            audit.record(
                session, actor.name, "token.revoke", f"token:{token.id}", after=token_view(token)
            )
    return token


def touch(session: Session, token: ApiToken) -> None:
    """Record that a stored token was used, at most once a minute so reads stay cheap."""
    now = utcnow()
    if token.id and (token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60):
        with atomic(session):
            stored = session.get(ApiToken, token.id)
            if stored is not None:
                stored.last_used_at = now


def list_tokens(
    session: Session, actor: Actor, team: str, after: Any, limit: int
) -> Page[ApiToken]:
    """A team's tokens (never their secrets), for an admin or an unscoped token of the team."""
    owner = catalog_queries.team_by_slug(session, team)
    if owner is None:
        raise NotFound(f"there is no team {team!r}")
    authz.team_manager(actor, team, "list the team's tokens")
    return listing.tokens(session, owner.id, after, limit)
