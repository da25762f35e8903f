"""The registry-wide settings are read once per transaction and kept for it: a change committed
by another session is seen from the next transaction on, never a stale copy."""

from __future__ import annotations

from app.core.access import Actor
from app.services.settings import get_settings, set_defaults

ADMIN = Actor.system("test")


def test_a_change_by_another_session_is_seen_from_the_next_transaction(app, session):
    assert get_settings(session) is get_settings(session)  # one read, kept for the transaction
    before = get_settings(session).compatibility
    changed = "FULL" if before != "FULL" else "NONE"
    with app.extensions["eventry"].sessions() as other:
        set_defaults(other, ADMIN, compatibility=changed)
    session.rollback()  # the transaction ends, as each request's does
    assert get_settings(session).compatibility == changed
