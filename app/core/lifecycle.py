"""The lifecycle of an event type or of one of its schema versions: ``draft`` → ``active``
→ ``deprecated`` (with a date, a reason and a successor) → ``retired``.

A draft is designed but not yet relied on; an active event is in use; a deprecated one still
flows but its consumers should move to its successor by the date given; a retired one no
longer flows and takes no new versions. The states are those of API lifecycles in common use
(e.g. Backstage's ``spec.lifecycle`` experimental/production/deprecated, and the deprecation
notices of AsyncAPI's and OpenAPI's ``deprecated``), in event-storming words.

A state moves forward, one step or several; a deprecation may be withdrawn (deprecated →
active), and an event type with no version yet may go back to draft (it is still a design;
an import restores a draft this way). Nothing comes back from retired: a retired event
type's name is not reused for a new meaning, and its consumers were told to move.

A schema version follows the same rule (one rule, ``moved``): its successor is another version
number of the same event type, and a version is registered, so it never goes back to draft.
A deprecated version's pinned consumers are asked to move; a retired version takes no newly
pinned consumer and validates nothing (as a retired event type takes no version).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from app.core.errors import Conflict, InvalidInput
from app.core.vocabulary import parse_event_ref


class Lifecycle(StrEnum):
    """Where an event type is in its life."""

    DRAFT = "draft"
    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


LIFECYCLES: tuple[Lifecycle, ...] = tuple(Lifecycle)
_ORDER = {state: index for index, state in enumerate(LIFECYCLES)}
# The states whose consumers should move away (listed, and warned by `eventry check`).
LEAVING = frozenset({Lifecycle.DEPRECATED, Lifecycle.RETIRED})


@dataclass(frozen=True)
class Stage:
    """An event type's or a version's state with the deprecation's ``since`` date (ISO 8601,
    a day), its ``reason`` and its ``successor`` (domain.EventName for an event type, a version
    number for a version), each None outside a deprecation."""

    state: Lifecycle = Lifecycle.ACTIVE
    since: str | None = None
    reason: str | None = None
    successor: str | int | None = None

    def to_dict(self) -> dict[str, Any]:
        """{state, since, reason, successor}."""
        return {
            "state": self.state.value,
            "since": self.since,
            "reason": self.reason,
            "successor": self.successor,
        }


# Checks a wanted successor for the thing ``ref``: answers it, or raises InvalidInput.
Successor = Callable[[Any, str], Any]


def moved(
    current: Stage,
    wanted: Stage,
    ref: str,
    today: date,
    registered: bool = True,
    successor: Successor | None = None,
) -> Stage:
    """The stage an event type (or a version, with ``successor`` = ``version_successor(n)``)
    ``ref`` moves to from ``current`` when asked for ``wanted``:
    forward (one step or several), deprecated back to active, or back to draft while it has no
    version (``registered`` False). Deprecating needs a reason;
    its date defaults to ``today``; a successor is another event type (or version); leaving
    deprecation clears them. Raises Conflict (409) for a move backwards, InvalidInput (422)
    for a missing reason, a malformed date or successor, or details outside a deprecation."""
    state = wanted.state
    back = _ORDER[state] < _ORDER[current.state]
    withdrawn = current.state is Lifecycle.DEPRECATED and state is Lifecycle.ACTIVE
    redrafted = state is Lifecycle.DRAFT and not registered and current.state is Lifecycle.ACTIVE
    if back and not (withdrawn or redrafted):
        raise Conflict(
            f"{ref} is {current.state.value}: it cannot go back to {state.value} (a state "
            "moves forward; a deprecation can be withdrawn, back to active, and an event type "
            "with no version yet can go back to draft)"
        )
    if state not in LEAVING:
        for key in ("since", "reason", "successor"):
            if getattr(wanted, key) is not None:
                raise InvalidInput(
                    f"{key} is about a deprecation; {ref} would be {state.value}",
                    [{"message": "only with deprecated or retired", "pointer": f"/{key}"}],
                )
        return Stage(state)
    reason = wanted.reason or current.reason
    if not reason:
        raise InvalidInput(
            f"say why {ref} is {state.value}: a reason tells its consumers what to do",
            [{"message": "a reason is needed", "pointer": "/reason"}],
        )
    return Stage(
        state,
        _day(wanted.since) or current.since or today.isoformat(),
        reason,
        (successor or _successor)(wanted.successor, ref) or current.successor,
    )


def move_notice(consumer: str, what: str, stage: dict[str, Any], successor: str = "") -> str:
    """'loyalty consumes orders.OrderPlaced, deprecated since 2026-11-01: why; move to X':
    what ``eventry check`` tells a consumer of ``what`` (an event type, or "version n of" one)
    in a leaving ``stage`` ({state, since, reason, successor}); ``successor`` names it when
    the stage's is only a number."""
    since = f" since {stage['since']}" if stage.get("since") else ""
    why = f": {stage['reason']}" if stage.get("reason") else ""
    then = successor or (str(stage["successor"]) if stage.get("successor") else "")
    then = f"; move to {then}" if then else ""
    return f"{consumer} consumes {what}, {stage['state']}{since}{why}{then}"


def version_notice(consumer: str, number: int, ref: str, stage: dict[str, Any]) -> str:
    """``move_notice`` for a consumer pinned to version ``number`` of ``ref``."""
    then = f"version {stage['successor']}" if stage.get("successor") else ""
    return move_notice(consumer, f"version {number} of {ref}", stage, then)


def takes_versions(state: Lifecycle) -> bool:
    """Whether an event type in this state takes new versions (a retired one does not)."""
    return state is not Lifecycle.RETIRED


def version_successor(number: int) -> Successor:
    """The successor check for version ``number``: another version number (an integer from 1)
    of the same event type; whether it exists is the caller's to check."""

    def check(value: Any, ref: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInput(
                f"a version's successor is a version number from 1 (got {str(value)[:40]!r})",
                [{"message": "not a version number", "pointer": "/successor"}],
            )
        if value == number:
            raise InvalidInput(
                f"{ref} cannot succeed itself",
                [{"message": "another version", "pointer": "/successor"}],
            )
        return value

    return check


def pinnable(state: Lifecycle) -> bool:
    """Whether a consumer may newly pin a version in this state (a retired one: no)."""
    return state is not Lifecycle.RETIRED


def _day(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(
            f"since is a day as YYYY-MM-DD (got {text[:40]!r})",
            [{"message": "not a date", "pointer": "/since"}],
        ) from None


def _successor(text: str | None, ref: str) -> str | None:
    if text is None:
        return None
    try:
        parse_event_ref(text)
    except ValueError as error:
        raise InvalidInput(
            str(error), [{"message": "not domain.EventName", "pointer": "/successor"}]
        ) from None
    if text == ref:
        raise InvalidInput(
            f"{ref} cannot succeed itself",
            [{"message": "another event type", "pointer": "/successor"}],
        )
    return text


def leaving_notice(consumer: str, ref: str, stage: Stage) -> str | None:
    """What a consumer of a deprecated or retired event type is told (the ``deprecated-use``
    warning of the findings and of `eventry check`, worded by ``move_notice``). None while the
    event type is draft or active."""
    if stage.state not in LEAVING:
        return None
    return move_notice(consumer, ref, stage.to_dict())
