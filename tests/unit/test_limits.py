"""Bounded work in the core: the limits, the JSON scan before parsing, the schema size check,
the work budget, and validation that stays linear and short (app/core/limits.py)."""

from __future__ import annotations

import json
import time

import pytest

from app.core import limits
from app.core.canonical import CanonicalJSONError, nesting_depth, parse_json
from app.core.limits import LimitExceeded, Limits, configure
from app.core.schema import InvalidSchema, SchemaDocument
from app.core.schema.limits import size_problems
from app.core.validation import event_report, validate_event

# Seconds of this process's CPU: generous bounds, never benchmarks, blind to whatever else
# runs on the machine; each hostile input is answered in well under them.
FAST = 5.0


def nested(depth: int, leaf=1, key: str | None = None):
    value = leaf
    for _ in range(depth):
        value = {key: value} if key else [value]
    return value


def test_every_limit_has_a_setting_and_a_positive_default():
    defaults = Limits()
    assert set(limits.SETTINGS) == {name for name in defaults.__dataclass_fields__}
    assert all(getattr(defaults, name) > 0 for name in limits.SETTINGS)
    assert all(setting.startswith("EVENTRY_MAX_") for setting in limits.SETTINGS.values())


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"max_enum_values": 0}, "EVENTRY_MAX_ENUM_VALUES"),
        ({"max_integer_digits": 5000}, "EVENTRY_MAX_INTEGER_DIGITS"),
    ],
)
def test_a_limit_python_cannot_honour_is_refused(values, named):
    with pytest.raises(ValueError, match=named):
        Limits(**values)


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [[], [[]]]}', 4),
        ('"[[[[{{{{"', 0),  # brackets inside strings do not count
        ('["\\"[[[", []]', 2),  # nor after an escaped quote
        ("[" * 100_000, 100_000),
    ],
)
def test_the_scan_measures_depth_without_parsing(text, depth):
    assert nesting_depth(text) == depth


def test_text_nested_deeper_than_the_limit_is_refused_before_it_is_parsed():
    started = time.process_time()
    with pytest.raises(LimitExceeded) as refused:
        parse_json("[" * 1_000_000 + "]" * 1_000_000, Limits(), "max_event_depth")
    assert time.process_time() - started < FAST
    assert refused.value.extensions == {"limit": "EVENTRY_MAX_EVENT_DEPTH", "max": 64}
    assert "1,000,000 levels" in refused.value.detail


def test_a_body_may_nest_a_few_levels_around_its_deepest_allowed_value():
    body = json.dumps({"events": [nested(64)]})
    assert parse_json(body, Limits(), "max_event_depth")["events"][0] == nested(64)
    with pytest.raises(LimitExceeded):
        parse_json(json.dumps({"events": [nested(70)]}), Limits(), "max_event_depth")


def test_integers_beyond_the_digit_limit_are_refused_naming_the_setting():
    with pytest.raises(LimitExceeded) as refused:
        parse_json("[" + "9" * 5000 + "]", Limits())
    assert refused.value.extensions["limit"] == "EVENTRY_MAX_INTEGER_DIGITS"
    assert parse_json("-" + "9" * 1000, Limits()) == -int("9" * 1000)
    with pytest.raises(LimitExceeded):
        parse_json("9" * 11, Limits(max_integer_digits=10))


def test_without_limits_only_what_python_cannot_parse_is_refused():
    # The registry's own stored text: no configured limit applies, Python's hard ones do, and
    # as a parse error rather than a ValueError or RecursionError.
    assert parse_json("9" * 4300) == int("9" * 4300)
    for text in ("9" * 4301, "[" * 600 + "]" * 600):
        with pytest.raises(CanonicalJSONError):
            parse_json(text)


def test_the_depth_of_a_parsed_value_is_counted_without_recursion():
    assert limits.depth_of(1, 10) == 0
    assert limits.depth_of({"a": [1, {"b": []}]}, 10) == 4
    deep = nested(100_000)  # far beyond what recursion could walk
    assert limits.depth_of(deep, 64) == 65  # stops once past the limit
    with pytest.raises(LimitExceeded) as refused:
        limits.check_event(deep, Limits(), "/event")
    assert refused.value.errors == [{"pointer": "/event", "message": refused.value.detail}]


@pytest.mark.parametrize(
    ("schema", "setting", "pointer"),
    [
        (nested(200, {}, "not"), "EVENTRY_MAX_SCHEMA_DEPTH", "/not" * 128),
        ({"enum": list(range(1001))}, "EVENTRY_MAX_ENUM_VALUES", "/enum"),
        (
            {"properties": {f"p{i}": {} for i in range(1001)}},
            "EVENTRY_MAX_OBJECT_PROPERTIES",
            "/properties",
        ),
        ({"allOf": [{}] * 50_001}, "EVENTRY_MAX_SCHEMA_NODES", ""),
    ],
)
def test_a_schema_beyond_a_size_limit_is_refused_with_its_pointer_and_setting(
    schema, setting, pointer
):
    started = time.process_time()
    with pytest.raises(InvalidSchema) as refused:
        SchemaDocument.checked(schema)
    assert time.process_time() - started < FAST
    [problem] = [p for p in refused.value.problems if setting in p.message]
    assert problem.pointer == pointer


def test_the_size_limits_are_plain_values_a_caller_may_pass():
    schema = {"enum": [1, 2, 3]}
    assert size_problems(schema) == []
    [problem] = size_problems(schema, Limits(max_enum_values=2))
    assert "the limit of 2 (EVENTRY_MAX_ENUM_VALUES)" in problem.message


def test_the_configured_limits_apply_until_reset():
    configure(Limits(max_enum_values=2))
    with pytest.raises(InvalidSchema):
        SchemaDocument.checked({"enum": [1, 2, 3]})
    configure(None)
    assert SchemaDocument.checked({"enum": [1, 2, 3]})


def test_the_work_budget_stops_a_walk_and_stays_spent():
    with limits.budget(10):
        limits.step(10)
        with pytest.raises(LimitExceeded) as refused:
            limits.step()
        with pytest.raises(LimitExceeded):
            limits.step()  # the request is over budget for good
    assert refused.value.extensions["limit"] == "EVENTRY_MAX_WORK_STEPS"
    limits.step(10**9)  # outside a budget nothing is counted


def test_an_inner_budget_spends_the_outer_one():
    with limits.budget(5):
        with limits.budget(1000):
            limits.step(5)
        with pytest.raises(LimitExceeded):
            limits.step()


def test_errors_are_capped_and_the_rest_counted():
    schema = {"required": [f"p{i}" for i in range(300)]}
    document = SchemaDocument.checked({"type": "object", "properties": {}, **schema})
    report = event_report(document, {})
    assert (len(report.errors), report.cut) == (100, 200)  # one per missing property
    many = SchemaDocument.checked({"type": "array", "items": {"type": "string"}})
    report = event_report(many, list(range(250)))
    assert (len(report.errors), report.cut) == (100, 150)
    assert [e.path for e in report.errors[:3]] == ["/0", "/1", "/10"]  # the first, in order
    report = event_report(many, list(range(250)), max_errors=5)
    assert (len(report.errors), report.cut) == (5, 245)


def test_an_enum_of_100000_values_is_checked_and_reported_briefly():
    configure(Limits(max_enum_values=200_000, max_schema_nodes=300_000))
    document = SchemaDocument.checked({"items": {"enum": [f"value-{i}" for i in range(100_000)]}})
    started = time.process_time()
    report = event_report(document, ["value-5", "nope", 7, "value-99999"] * 500)
    assert time.process_time() - started < FAST
    assert (len(report.errors), report.cut) == (100, 900)
    assert all(len(error.message) < 400 for error in report.errors)
    assert "99992 more" in report.errors[0].message


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ([1, 1.0], False),  # the same number
        ([1, True], True),  # a number and a boolean differ
        ([{"a": 1, "b": 2}, {"b": 2, "a": 1}], False),
        ([[1, 2], [2, 1]], True),
    ],
)
def test_unique_items_follows_json_equality(value, valid):
    document = SchemaDocument.checked({"uniqueItems": True})
    assert (validate_event(document, value) == []) is valid


def test_unique_items_over_many_objects_is_linear():
    document = SchemaDocument.checked({"uniqueItems": True})
    started = time.process_time()
    assert validate_event(document, [{"id": i} for i in range(50_000)]) == []
    assert validate_event(document, [{"id": 0}] + [{"id": i} for i in range(50_000)])
    assert time.process_time() - started < FAST


HOSTILE = "a" * 34 + "!"
REDOS = "^(a+)+$"


@pytest.mark.parametrize(
    "schema",
    [
        {"pattern": REDOS},
        {"patternProperties": {REDOS: {"type": "integer"}}, "additionalProperties": False},
        {"propertyNames": {"pattern": REDOS}},
        {"additionalProperties": {"format": "regex"}},
    ],
    ids=["pattern", "patternProperties", "propertyNames", "format-regex"],
)
def test_a_catastrophic_pattern_runs_in_bounded_time_everywhere(schema):
    document = SchemaDocument.checked(schema)
    started = time.process_time()
    for event in (HOSTILE, {HOSTILE: "x"}, {"k": HOSTILE}, {"k": "(a+)+$" * 1000}):
        validate_event(document, event)
    assert time.process_time() - started < FAST
