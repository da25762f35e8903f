"""The findings gatherer (app.core.findings): uniform findings from one event's evidence,
filtered, counted and paged."""

from __future__ import annotations

import pytest

from app.core.analysis import LintFinding, OrderingHazard
from app.core.errors import InvalidCursor
from app.core.findings import (
    ConsumerEvidence,
    EventEvidence,
    Filters,
    FindingKind,
    Severity,
    counts,
    gather,
    page_of,
)
from app.core.lifecycle import Lifecycle, Stage
from app.core.routing.lint import ConsumerFinding, ConsumerFindingKind

GAP = ConsumerFinding(ConsumerFindingKind.FIELD_NOT_CARRIED, None, "it reads /x", "/x")
RULE = ConsumerFinding(ConsumerFindingKind.FIELD_MISSING, "/detail/y", "no /y", "/y", "/properties")


def evidence(**changes) -> EventEvidence:
    base = {
        "domain": "orders",
        "team": "checkout",
        "name": "OrderPlaced",
        "version": 3,
        "bus": "orders-events",
        "lints": [
            LintFinding("property-description", "warning", "/properties/a", "no description")
        ],
        "hazard": OrderingHazard(
            "sns", "full", ["occurred-at time"], "sns does not keep order", "fix"
        ),
        "consumers": [
            ConsumerEvidence(7, "mailer", "crm", True, (GAP, RULE)),
            ConsumerEvidence(8, "elsewhere", None, False, ()),
        ],
    }
    return EventEvidence(**{**base, **changes})


def test_every_kind_becomes_one_uniform_finding():
    found = gather(evidence(no_example=("error", "/a", "admits no value")))
    kinds = [f.kind for f in found]
    assert sorted(kinds) == sorted(
        [FindingKind.LINT, FindingKind.ORDERING_HAZARD, FindingKind.NO_EXAMPLE,
         FindingKind.CONSUMER_GAP, FindingKind.ROUTING_RULE]
    )  # fmt: skip
    assert all(f.event == "orders.OrderPlaced" and f.version == 3 for f in found)
    rule = next(f for f in found if f.kind is FindingKind.ROUTING_RULE)
    assert (rule.severity, rule.id, rule.pointer, rule.rule_pointer) == (
        Severity.ERROR, "rule-field-missing", "/y", "/detail/y"
    )  # fmt: skip
    assert (rule.team, rule.consumer, rule.consumer_id) == ("crm", "mailer", 7)
    hazard = next(f for f in found if f.kind is FindingKind.ORDERING_HAZARD)
    assert (hazard.team, hazard.consumer, hazard.hint) == ("checkout", None, "fix")
    assert found == sorted(found, key=lambda f: f.key())


def test_only_consumers_it_reaches_hear_of_a_deprecation():
    stage = Stage(Lifecycle.DEPRECATED, "2026-01-02", "use v2", "orders.OrderPlacedV2")
    found = [f for f in gather(evidence(stage=stage)) if f.kind is FindingKind.DEPRECATED_USE]
    assert [f.consumer for f in found] == ["mailer"]
    assert found[0].message == (
        "mailer consumes orders.OrderPlaced, deprecated since 2026-01-02: use v2; "
        "move to orders.OrderPlacedV2"
    )
    assert not [f for f in gather(evidence()) if f.kind is FindingKind.DEPRECATED_USE]


def test_filters_and_counts():
    found = gather(evidence()) + gather(evidence(domain="payments", team="money", consumers=[]))
    kept = [f for f in found if Filters(teams=frozenset({"crm"})).keeps(f)]
    assert {f.consumer for f in kept} == {"mailer"}
    warnings = Filters(severities=frozenset({Severity.WARNING}), domains=frozenset({"payments"}))
    assert len([f for f in found if warnings.keeps(f)]) == 2
    assert counts(found) == {
        "domains": {"orders": 4, "payments": 2},
        "kinds": {"lint": 2, "ordering-hazard": 2, "consumer-gap": 1, "routing-rule": 1},
        "severities": {"error": 1, "warning": 5},
    }


def test_pages_never_skip_nor_repeat():
    found = sorted(
        gather(evidence()) + gather(evidence(domain="payments", consumers=[])),
        key=lambda f: f.key(),
    )
    seen, after = [], None
    while True:
        page = page_of(found, after, 2)
        seen += page.items
        if page.after is None:
            break
        after = page.after
    assert seen == found


@pytest.mark.parametrize("after", [["x"], "text", [1, 2, 3, 4, 5, 6]])
def test_a_forged_position_is_refused(after):
    with pytest.raises(InvalidCursor):
        page_of([], after, 10)
