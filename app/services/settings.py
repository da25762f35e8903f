"""Registry-wide settings: the default compatibility level and policy."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.errors import InvalidLevel
from app.core.vocabulary import (
    COMPATIBILITY_LEVELS,
    DEFAULT_COMPATIBILITY,
    DEFAULT_POLICY,
    POLICIES,
    check_fields,
)
from app.db.models import Setting
from app.services import audit, authz
from app.services.transaction import atomic


def get_settings(session: Session) -> Setting:
    """Return the settings row (the migration creates it; a missing one is recreated)."""
    kept = session.info.get(_KEPT)
    if kept is not None and kept[0] is session.get_transaction():
        return kept[1]
    # Read afresh once per transaction, then kept for it: the identity map holds rows weakly,
    # so before this every caller read the row again (a registration read it 7 times).
    setting = session.get(Setting, 1, populate_existing=True)
    if setting is None:
        return Setting(id=1, compatibility=DEFAULT_COMPATIBILITY, policy=DEFAULT_POLICY)
    session.info[_KEPT] = (session.get_transaction(), setting)
    return setting


_KEPT = "eventry_settings"


def set_defaults(
    session: Session,
    actor: Actor,
    compatibility: str | None = None,
    policy: str | None = None,
    group: str | None = None,
) -> Setting:
    """Change the global compatibility level, policy and/or compatibility group (a metadata
    property, Confluent's ``compatibilityGroup``; "" clears it). None leaves one as it is."""
    check_level_and_policy(compatibility, policy, group)
    authz.admin(actor, "change the registry-wide compatibility settings")
    with atomic(session):
        setting = session.get(Setting, 1) or Setting(id=1)
        session.add(setting)
        before = _config(setting)
        if compatibility is not None:
            setting.compatibility = compatibility
        if policy is not None:
            setting.policy = policy
        if group is not None:
            setting.compatibility_group = group or None
        session.flush()
        after = _config(setting)
        if after != before:
            audit.record(session, actor.name, "config.update", "config", before, after)
    return setting


def _config(setting: Setting) -> dict[str, str | None]:
    return {
        "compatibility": setting.compatibility,
        "policy": setting.policy,
        "compatibility_group": setting.compatibility_group,
    }


def check_level_and_policy(
    compatibility: str | None, policy: str | None, group: str | None = None
) -> None:
    """Raise InvalidInput unless the level and the policy are known names (or None) and the
    compatibility group (a metadata property's name) holds no control character."""
    check_fields({"compatibility_group": group})
    if compatibility is not None and compatibility not in COMPATIBILITY_LEVELS:
        levels = ", ".join(COMPATIBILITY_LEVELS)
        raise InvalidLevel(f"unknown compatibility level {compatibility!r}; use one of {levels}")
    if policy is not None and policy not in POLICIES:
        raise InvalidLevel(f"unknown policy {policy!r}; use 'strict' or 'lenient'")
