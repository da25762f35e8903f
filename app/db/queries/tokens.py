"""Look-ups of API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.db.models import ApiToken, EndedSession, Setting


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


def session_secret(session: Session) -> str | None:
    """Return the stored secret that signs the UI's session cookies, None when unset."""
    return session.scalar(select(Setting.session_secret).where(Setting.id == 1))


def claim_session_secret(session: Session, candidate: str) -> None:
    """Store ``candidate`` as the session secret unless one is stored already: the first
    process to claim it wins, and every other reads the winner's value afterwards."""
    session.execute(
        update(Setting)
        .where(Setting.id == 1, Setting.session_secret.is_(None))
        .values(session_secret=candidate)
    )


def session_ended(session: Session, key_hash: str) -> bool:
    """Return whether the web UI session with this key hash was signed out."""
    found = select(EndedSession.key_hash).where(EndedSession.key_hash == key_hash)
    return session.scalar(found) is not None


def end_session(session: Session, key_hash: str, at: datetime) -> None:
    """Record the web UI session with this key hash as signed out at ``at``."""
    session.add(EndedSession(key_hash=key_hash, ended_at=at))
    session.flush()


def forget_ended_sessions(session: Session, before: datetime) -> None:
    """Delete the sign-outs older than ``before``: their cookies have expired anyway."""
    session.execute(delete(EndedSession).where(EndedSession.ended_at < before))
