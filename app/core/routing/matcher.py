"""Match a compiled rule against an event, as EventBridge and SNS do.

Every member of a rule object must match (AND), one branch of each `$or`; a field matches when
any of its conditions holds for any of its leaf values (an array matches if any element does;
an object under a rule array is no value: exists matches leaf nodes only). An object of the
rule met by an array of objects matches when one element matches all of it (event-ruler's
array-consistent matching: two fields never match from two different elements). A field
missing from the event matches only `exists: false`.

When it fails, the answer names the first part of the rule that failed and where in the event.
"""

from __future__ import annotations

import json
from typing import Any

from app.core.limits import step
from app.core.pointers import escape

from .conditions import holds, may_hold
from .model import Condition, Leaf, MatchResult, Mismatch, Node, Op
from .values import MISSING, StringArray, SymArray, SymObject, Unknown, leaves


def match(node: Node, event: Any, explain: bool = True) -> MatchResult:
    """Match a compiled rule against an event (JSON, or stand-ins from app.core.routing.values).
    With ``explain`` False a mismatch says where the rule failed but not why (its reason is
    empty): for a caller that needs only the answer, as wording each failure cost about a
    fifth of answering a bus's rules."""
    matcher = _Matcher(explain)
    mismatch = matcher.node(node, event, "")
    return MatchResult(mismatch, tuple(dict.fromkeys(matcher.assumed)) if mismatch is None else ())


def leaf_mismatch(leaf: Leaf, value: Any, at: str) -> Mismatch | None:
    """Where one field's conditions fail against a value (None when one of them can hold)."""
    return _Matcher().leaf(leaf, value, at)


class _Matcher:
    def __init__(self, explain: bool = True) -> None:
        self.assumed: list[str] = []
        self.explain = explain

    def node(self, node: Node, value: Any, at: str) -> Mismatch | None:
        if isinstance(value, list) and not isinstance(value, StringArray):
            return self._any_element(node, value, at)
        if isinstance(value, SymArray):
            return self.node(node, value.item, at)
        for key, child in node.members.items():
            found = self._member(key, child, value, f"{at}/{escape(key)}")
            if found is not None:
                return found
        for pointer, branches in zip(node.alternative_pointers, node.alternatives, strict=True):
            found = self._one_of(pointer, branches, value, at)
            if found is not None:
                return found
        return None

    def _any_element(self, node: Node, items: list, at: str) -> Mismatch | None:
        if not items:
            return self.node(node, MISSING, at)
        first = None
        for index, item in enumerate(items):
            kept = len(self.assumed)
            found = self.node(node, item, f"{at}/{index}")
            if found is None:
                return None
            del self.assumed[kept:]
            first = first or found
        return first

    def _member(self, key: str, rule: Node | Leaf, value: Any, at: str) -> Mismatch | None:
        child, optional = member_of(value, key)
        kept = len(self.assumed)
        found = self._check(rule, child, at)
        if found is None or not optional:
            return found
        del self.assumed[kept:]
        if self._check(rule, MISSING, at) is None:
            self.assumed.append(at)  # the field may be absent, and the rule wants it so
            return None
        return found

    def _check(self, rule: Node | Leaf, value: Any, at: str) -> Mismatch | None:
        if isinstance(rule, Leaf):
            return self.leaf(rule, value, at)
        return self.node(rule, value, at)

    def _one_of(self, pointer: str, branches: tuple[Node, ...], value: Any, at: str):
        failures = []
        for branch in branches:
            kept = len(self.assumed)
            found = self.node(branch, value, at)
            if found is None:
                return None
            del self.assumed[kept:]
            failures.append(found)
        first = failures[0]
        return Mismatch(
            pointer,
            at,
            f"none of its {len(branches)} patterns matches; the first fails at "
            f"{first.rule_pointer}: {first.reason}",
        )

    def leaf(self, leaf: Leaf, value: Any, at: str) -> Mismatch | None:
        found = leaves(value)
        step(1 + len(found) * len(leaf.conditions) // 8)
        for condition in leaf.conditions:
            if self._holds(condition, value, found, at):
                return None
        return Mismatch(leaf.pointer, at, _reason(leaf, value, found) if self.explain else "")

    def _holds(self, condition: Condition, value: Any, found: list, at: str) -> bool:
        if condition.op is Op.EXISTS:
            return bool(found) is condition.value
        known = [v for v in found if not isinstance(v, Unknown)]
        if condition.op is Op.ANYTHING_BUT and isinstance(value, StringArray):
            return bool(known) and all(holds(condition, v) for v in known)
        if any(holds(condition, v) for v in known):
            return True
        if any(may_hold(condition, v) for v in found if isinstance(v, Unknown)):
            self.assumed.append(at)
            return True
        return False


def member_of(value: Any, key: str) -> tuple[Any, bool]:
    """A member of the event and whether it may be absent."""
    if isinstance(value, SymObject):
        if key in value:
            return value[key], key in value.optional
        return (value.others, True) if value.others is not None else (MISSING, False)
    if isinstance(value, dict):
        return value.get(key, MISSING), False
    if isinstance(value, Unknown) and value.allows({"object"}):
        return Unknown(why=value.why), True
    return MISSING, False


def _reason(leaf: Leaf, value: Any, found: list) -> str:
    if not found:
        shown = "the field is missing" if value is MISSING else "the field holds no value"
        if isinstance(value, dict):
            shown = "the field holds an object (exists and values match leaf fields only)"
    elif isinstance(value, Unknown | SymArray):
        shown = f"{_show(value)} satisfies any of its conditions"
    else:
        shown = f"{_show(value)} satisfies none of its conditions"
    wanted = ", ".join(_describe(c) for c in leaf.conditions[:5])
    more = f" and {len(leaf.conditions) - 5} more" if len(leaf.conditions) > 5 else ""
    return f"{shown} (the rule wants {wanted}{more})"


def _show(value: Any) -> str:
    if isinstance(value, Unknown):
        return f"no value it may hold ({value.why or 'unknown'})"
    if isinstance(value, SymArray):
        return "no element it may hold"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _describe(condition: Condition) -> str:
    op = condition.op
    if op is Op.EXACT:
        return json.dumps(condition.value, ensure_ascii=False)
    if op is Op.NUMERIC:
        return "numeric " + " ".join(f"{o} {n}" for o, n in condition.value)
    if op is Op.EXISTS:
        return f"exists: {'true' if condition.value else 'false'}"
    if op is Op.ANYTHING_BUT:
        inner = "" if condition.inner is Op.EXACT else f"{condition.inner} "
        return f"anything but {inner}{json.dumps(list(condition.value), ensure_ascii=False)}"
    case = " (ignoring case)" if condition.ignore_case else ""
    return f"{op} {json.dumps(str(condition.value), ensure_ascii=False)}{case}"
