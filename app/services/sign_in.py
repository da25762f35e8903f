"""Signing in to the web UI: the secret that signs session cookies, and who a session is.

A browser that signs in with an API token keeps a signed cookie holding the token's hash, never
the token (docs/security.md, "Sessions"); every request looks the token up again, so a revoked
or expired token ends its sessions at once, and signing out records the session as ended, so a
saved copy of its cookie is refused too, on every process and host sharing the database.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import AlreadyExists
from app.db.base import utcnow
from app.db.models import Setting
from app.db.queries import tokens as token_queries
from app.services import audit, tokens
from app.services.transaction import atomic


def signing_secret(session: Session, configured: str | None) -> str:
    """The secret that signs session cookies: EVENTRY_SECRET_KEY (``configured``) when set,
    else the database's stored one (made on first use when a migration could not), so every
    process on every host that shares the database agrees on it."""
    if configured:
        return configured
    stored = token_queries.session_secret(session)
    if stored:
        return stored
    try:
        with atomic(session):
            if session.get(Setting, 1) is None:
                session.add(Setting(id=1, session_secret=secrets.token_hex(32)))
            else:
                token_queries.claim_session_secret(session, secrets.token_hex(32))
    except AlreadyExists:  # another process created the settings row first: read its secret
        pass
    return token_queries.session_secret(session) or ""


def digest_of(secret: str) -> str:
    """The hash a session keeps of the token it was signed in with (64 hex characters)."""
    return tokens.hash_secret(secret)


def sign_in(session: Session, secret: str, configured_admin: str | None) -> tuple[Actor, str]:
    """Check a token presented to the sign-in form; return its actor and the digest a session
    keeps. Raises Unauthorized when the token is unknown, revoked or expired."""
    return tokens.actor_for(session, secret, configured_admin), digest_of(secret)


def session_actor(session: Session, digest: str, configured_admin: str | None) -> Actor | None:
    """Who a session's digest stands for now, or None once its token is revoked or expired."""
    return tokens.actor_for_digest(session, digest, configured_admin)


def signed_out(session: Session, key: str) -> bool:
    """Whether the session whose random key is ``key`` (its CSRF token) was signed out."""
    return token_queries.session_ended(session, digest_of(key))


def sign_out(session: Session, actor: Actor, key: str, session_hours: int) -> None:
    """End the session whose random key is ``key`` for every copy of its cookie (OWASP
    Session Management cheat sheet: invalidate the session on logout), audited as
    ``session.sign-out``. Sign-outs older than ``session_hours`` are forgotten: their
    cookies are refused as expired."""
    key_hash = digest_of(key)
    try:
        with atomic(session):
            now = utcnow()
            token_queries.forget_ended_sessions(session, now - timedelta(hours=session_hours))
            token_queries.end_session(session, key_hash, now)
            target = f"session:{key_hash[:12]}"
            after = {"team": actor.team}
            audit.record(session, actor.name, "session.sign-out", target, after=after)
    except AlreadyExists:  # another copy of the cookie signed out first: the session is ended
        pass
