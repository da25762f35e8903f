"""Every walk over a schema spends the work budget: references that fan out and anyOf branches
that multiply stop with a 422 naming EVENTRY_MAX_WORK_STEPS, in bounded time, on each path
(validation, compatibility, analysis, the UI's field table)."""

from __future__ import annotations

import time

import pytest

from app.core import compatibility, limits
from app.core.analysis.fields import flatten_schema
from app.core.errors import InvalidInput
from app.core.fast_errors import MAX_FAST_ERRORS
from app.core.limits import LimitExceeded
from app.core.schema import SchemaDocument
from app.core.validation import event_report, validate_event
from app.core.vocabulary import CompatibilityLevel
from app.services import schemas
from app.ui.fields import field_page, field_rows

# Seconds of this process's CPU: generous, never a benchmark, and blind to other processes
# that share the machine (the default budget is a few seconds of one core at most).
FAST = 10.0


def fan_out(levels: int = 10, width: int = 8) -> dict:
    """Ten definitions, each naming the next eight times: 8^10 paths through 170 nodes."""
    definitions = {}
    for level in range(levels):
        below = {"$ref": f"#/definitions/d{level + 1}"} if level + 1 < levels else {}
        definitions[f"d{level}"] = {
            "type": "object",
            "properties": {f"p{i}": below for i in range(width)},
        }
    return {"$ref": "#/definitions/d0", "definitions": definitions}


def branching(levels: int = 40) -> tuple[dict, object]:
    """anyOf with two branches at each level of nested arrays; the leaf fails both, so the
    validator tries 2^levels paths."""
    node = {
        "anyOf": [
            {"type": "array", "items": {"$ref": "#/definitions/n"}},
            {"type": "array", "items": {"$ref": "#/definitions/n"}, "maxItems": 9},
        ]
    }
    event: object = "leaf"
    for _ in range(levels):
        event = [event]
    return {"$ref": "#/definitions/n", "definitions": {"n": node}}, event


@pytest.fixture
def timed():
    started = time.process_time()
    yield
    assert time.process_time() - started < FAST


def test_the_compatibility_check_of_a_fan_out_stops_at_the_budget(timed):
    old = SchemaDocument.checked(fan_out())
    new = SchemaDocument.checked(fan_out(width=9))
    with pytest.raises(LimitExceeded) as refused:
        compatibility.check([(1, old)], new, CompatibilityLevel.FULL_TRANSITIVE)
    assert refused.value.extensions["limit"] == "EVENTRY_MAX_WORK_STEPS"
    limits.configure(limits.Limits(max_work_steps=50_000))  # the same, sooner
    with pytest.raises(LimitExceeded):
        compatibility.compare(old, new)


def test_the_analysis_of_a_fan_out_stops_at_the_budget(timed):
    with pytest.raises(LimitExceeded):
        flatten_schema(SchemaDocument.checked(fan_out()))


def test_a_fan_out_is_refused_when_it_is_registered(timed):
    # app.services.schemas.checked walks the fields once, so what is stored can be shown.
    with pytest.raises(InvalidInput) as refused:
        schemas.checked(fan_out())
    assert refused.value.extensions["limit"] == "EVENTRY_MAX_WORK_STEPS"


def test_the_field_table_walks_only_the_page_asked_for(timed):
    document = SchemaDocument.checked(fan_out())
    page = field_page(document, 3, size=50)
    assert (page.first, len(page.rows), page.more) == (100, 50, True)
    assert len(field_rows(document, 10)) == 10


def test_a_field_table_beyond_the_budget_stops(timed):
    with pytest.raises(LimitExceeded):
        field_rows(SchemaDocument.checked(fan_out()))


def test_validation_whose_branches_multiply_stops_at_the_budget(timed):
    schema, event = branching()
    document = SchemaDocument.checked(schema)
    with pytest.raises(LimitExceeded) as refused:
        event_report(document, event)
    assert refused.value.extensions["limit"] == "EVENTRY_MAX_WORK_STEPS"
    # One item of many (a file, a stored sample) gets one error rather than a refusal.
    limits.configure(limits.Limits(max_work_steps=50_000))
    [error] = validate_event(document, event)
    assert "EVENTRY_MAX_WORK_STEPS" in error.message


def test_a_smaller_budget_is_a_setting():
    limits.configure(limits.Limits(max_work_steps=50))
    document = SchemaDocument.checked({"type": "array", "items": {"type": "integer"}})
    assert validate_event(document, list(range(10))) == []
    # An invalid event the reference path answers (more errors than the fast path takes, or
    # errors through anyOf…) spends the budget.
    many = ["x"] * (MAX_FAST_ERRORS + 1)
    with pytest.raises(LimitExceeded):
        event_report(document, [*range(100), *many])
    # A valid event decided by the fast path, and an invalid one whose errors it takes
    # (app/core/fast_errors.py), spend no steps: their work is bounded by the schema's size
    # (app/core/fast_path.py), not counted.
    assert event_report(document, list(range(100))).errors == []
    assert len(event_report(document, [*range(100), "x"]).errors) == 1


def test_the_stateless_comparison_of_catastrophic_patterns_is_fast(timed):
    old = SchemaDocument.checked(
        {"type": "object", "patternProperties": {"^(a+)+$": {"type": "string"}}}
    )
    new = SchemaDocument.checked(
        {
            "type": "object",
            "properties": {"a" * 34 + "!": {"type": "string"}},
            "patternProperties": {"^(a+)+$": {"type": "string"}},
            "propertyNames": {"pattern": "^(a+)+$"},
        }
    )
    for level in (CompatibilityLevel.BACKWARD, CompatibilityLevel.FORWARD, CompatibilityLevel.FULL):
        compatibility.check([(1, old)], new, level)
