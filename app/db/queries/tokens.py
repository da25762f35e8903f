"""Look-ups of API tokens."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import ApiToken


def token_by_hash(session: Session, secret_hash: str) -> ApiToken | None:
    """Return the token whose secret hashes to this value, or None."""
    return session.scalar(select(ApiToken).where(ApiToken.secret_hash == secret_hash))


def admin_token_exists(session: Session) -> bool:
    """Return whether any stored admin token that is not revoked exists."""
    return (
        session.scalar(
            select(ApiToken.id).where(ApiToken.is_admin.is_(True), ApiToken.revoked_at.is_(None))
        )
        is not None
    )
