"""An event type's lifecycle: draft → active → deprecated → retired, forward only except a
deprecation withdrawn; a deprecation says why, since when and what replaces it."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.errors import Conflict, InvalidInput
from app.core.lifecycle import Lifecycle, Stage, moved, pinnable, takes_versions, version_successor

TODAY = date(2026, 12, 6)
REF = "orders.OrderPlaced"


def test_a_state_moves_forward_one_step_or_several():
    assert moved(Stage(Lifecycle.DRAFT), Stage(Lifecycle.ACTIVE), REF, TODAY) == Stage()
    retired = moved(Stage(), Stage(Lifecycle.RETIRED, reason="gone"), REF, TODAY)
    assert (retired.state, retired.since, retired.reason) == (
        Lifecycle.RETIRED,
        "2026-12-06",
        "gone",
    )


def test_a_deprecation_keeps_its_day_reason_and_successor_into_retirement():
    wanted = Stage(Lifecycle.DEPRECATED, "2026-11-01", "use v2", "orders.OrderSubmitted")
    deprecated = moved(Stage(), wanted, REF, TODAY)
    assert deprecated == wanted
    retired = moved(deprecated, Stage(Lifecycle.RETIRED), REF, TODAY)
    assert (retired.since, retired.reason, retired.successor) == (
        "2026-11-01",
        "use v2",
        "orders.OrderSubmitted",
    )


def test_an_event_type_without_versions_can_go_back_to_draft():
    draft = Stage(Lifecycle.DRAFT)
    assert moved(Stage(), draft, REF, TODAY, registered=False) == draft
    with pytest.raises(Conflict, match="cannot go back"):
        moved(Stage(), draft, REF, TODAY, registered=True)


def test_a_deprecation_can_be_withdrawn_and_clears_its_details():
    deprecated = Stage(Lifecycle.DEPRECATED, "2026-11-01", "oops", None)
    assert moved(deprecated, Stage(Lifecycle.ACTIVE), REF, TODAY) == Stage()


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (Lifecycle.ACTIVE, Lifecycle.DRAFT),
        (Lifecycle.RETIRED, Lifecycle.ACTIVE),
        (Lifecycle.RETIRED, Lifecycle.DEPRECATED),
        (Lifecycle.DEPRECATED, Lifecycle.DRAFT),
    ],
)
def test_nothing_else_goes_back(current, wanted):
    with pytest.raises(Conflict, match="cannot go back"):
        moved(Stage(current, reason="r"), Stage(wanted, reason="r"), REF, TODAY)


@pytest.mark.parametrize(
    ("wanted", "pointer"),
    [
        (Stage(Lifecycle.DEPRECATED), "/reason"),
        (Stage(Lifecycle.DEPRECATED, "6 Dec", "r"), "/since"),
        (Stage(Lifecycle.DEPRECATED, None, "r", "not a ref"), "/successor"),
        (Stage(Lifecycle.DEPRECATED, None, "r", REF), "/successor"),
        (Stage(Lifecycle.ACTIVE, None, "r"), "/reason"),
    ],
)
def test_a_bad_deprecation_is_refused_with_its_pointer(wanted, pointer):
    with pytest.raises(InvalidInput) as refused:
        moved(Stage(), wanted, REF, TODAY)
    assert refused.value.errors[0]["pointer"] == pointer


def test_only_a_retired_event_refuses_new_versions():
    assert [takes_versions(s) for s in Lifecycle] == [True, True, True, False]


VERSION = "version 1 of orders.OrderPlaced"


def test_a_version_follows_the_same_rule_with_a_version_number_for_successor():
    check = version_successor(1)
    wanted = Stage(Lifecycle.DEPRECATED, "2026-11-01", "use v2", 2)
    deprecated = moved(Stage(), wanted, VERSION, TODAY, True, check)
    assert deprecated == wanted
    retired = moved(deprecated, Stage(Lifecycle.RETIRED), VERSION, TODAY, True, check)
    assert (retired.state, retired.successor) == (Lifecycle.RETIRED, 2)
    assert moved(deprecated, Stage(Lifecycle.ACTIVE), VERSION, TODAY, True, check) == Stage()
    with pytest.raises(Conflict, match="cannot go back"):
        moved(Stage(), Stage(Lifecycle.DRAFT), VERSION, TODAY, True, check)
    with pytest.raises(Conflict, match="cannot go back"):
        moved(retired, Stage(Lifecycle.DEPRECATED), VERSION, TODAY, True, check)


@pytest.mark.parametrize("successor", [1, 0, -3, "2", "orders.OrderPlaced", True, 2.5])
def test_a_version_successor_is_another_version_number(successor):
    wanted = Stage(Lifecycle.DEPRECATED, None, "r", successor)
    with pytest.raises(InvalidInput) as refused:
        moved(Stage(), wanted, VERSION, TODAY, True, version_successor(1))
    assert refused.value.errors[0]["pointer"] == "/successor"


def test_a_retired_version_is_not_pinned_anew():
    assert [pinnable(state) for state in Lifecycle] == [True, True, True, False]
