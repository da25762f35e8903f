"""Governance rules the registry applies to every event type (cfn-lint-style custom rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.core.access import Actor
from app.core.analysis import validate_rules
from app.core.errors import InvalidInput
from app.core.words import counted
from app.db.models import Setting
from app.services import audit, authz
from app.services.settings import get_settings
from app.services.transaction import atomic


def get_rules(session: Session) -> list[dict[str, Any]]:
    """Return the registry's governance rules."""
    return list(get_settings(session).rules or [])


def set_rules(session: Session, actor: Actor, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Replace the registry's governance rules (admin); every problem is reported at once."""
    problems = validate_rules(rules)
    if problems:
        raise InvalidInput(
            f"the rules have {counted(len(problems), 'problem')}",
            [{"message": problem} for problem in problems],
        )
    authz.admin(actor, "change the governance rules")
    with atomic(session):
        setting = session.get(Setting, 1) or Setting(id=1)
        session.add(setting)
        before = list(setting.rules or [])
        setting.rules = rules
        session.flush()
        audit.record(
            session, actor.name, "rules.update", "rules", {"rules": before}, {"rules": rules}
        )
    return rules
