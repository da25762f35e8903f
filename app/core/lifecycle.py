"""The lifecycle of an event type: ``draft`` → ``active`` → ``deprecated`` (with a date, a
reason and a successor) → ``retired``.

A draft is designed but not yet relied on; an active event is in use; a deprecated one still
flows but its consumers should move to its successor by the date given; a retired one no
longer flows and takes no new versions. The states are those of API lifecycles in common use
(e.g. Backstage's ``spec.lifecycle`` experimental/production/deprecated, and the deprecation
notices of AsyncAPI's and OpenAPI's ``deprecated``), in event-storming words.

A state moves forward, one step or several; a deprecation may be withdrawn (deprecated →
active), and an event type with no version yet may go back to draft (it is still a design;
an import restores a draft this way). Nothing comes back from retired: a retired event
type's name is not reused for a new meaning, and its consumers were told to move.
"""

from __future__ import annotations

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
    """An event type's state with the deprecation's ``since`` date (ISO 8601, a day), its
    ``reason`` and its ``successor`` (domain.EventName), each None outside a deprecation."""

    state: Lifecycle = Lifecycle.ACTIVE
    since: str | None = None
    reason: str | None = None
    successor: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """{state, since, reason, successor}."""
        return {
            "state": self.state.value,
            "since": self.since,
            "reason": self.reason,
            "successor": self.successor,
        }


def moved(current: Stage, wanted: Stage, ref: str, today: date, registered: bool = True) -> Stage:
    """The stage an event type ``ref`` moves to from ``current`` when asked for ``wanted``:
    forward (one step or several), deprecated back to active, or back to draft while it has no
    version (``registered`` False). Deprecating needs a reason;
    its date defaults to ``today``; a successor is another event type; leaving deprecation
    clears them. Raises Conflict (409) for a move backwards, InvalidInput (422) for a missing
    reason, a malformed date or successor, or details outside a deprecation."""
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
        _successor(wanted.successor, ref) or current.successor,
    )


def takes_versions(state: Lifecycle) -> bool:
    """Whether an event type in this state takes new versions (a retired one does not)."""
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
    warning of the findings and of `eventry check`): the state, its day, reason and successor.
    None while the event type is draft or active."""
    if stage.state not in LEAVING:
        return None
    since = f" since {stage.since}" if stage.since else ""
    why = f": {stage.reason}" if stage.reason else ""
    then = f"; move to {stage.successor}" if stage.successor else ""
    return f"{consumer} consumes {ref}, {stage.state.value}{since}{why}{then}"
