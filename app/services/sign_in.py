"""Signing in to the web UI: the secret that signs session cookies, and who a session is.

A browser that signs in with an API token keeps a signed cookie holding the token's hash, never
the token (docs/security.md, "Sessions"); every request looks the token up again, so a revoked
or expired token ends its sessions at once.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import AlreadyExists
from app.db.models import Setting
from app.db.queries import tokens as token_queries
from app.services import tokens
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
