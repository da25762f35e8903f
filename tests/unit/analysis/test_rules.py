"""Governance rules: validation and each rule kind."""

import pytest

from app.core.analysis import RULE_SCHEMA, apply_rules, validate_rules
from app.core.schema import SchemaDocument

RAW = {
    "type": "object",
    "additionalProperties": True,
    "properties": {
        "orderId": {
            "type": "string",
            "format": "uuid",
            "description": "Order id.",
            "examples": ["x"],
        },
        "placedAt": {"type": "string", "format": "date-time"},
        "meta": {
            "type": "object",
            "additionalProperties": True,
            "properties": {"ip": {"format": "ipv4"}},
        },
    },
}
SCHEMA = SchemaDocument.checked(RAW)


def test_rule_schema_describes_every_kind():
    kinds = {branch["properties"]["kind"]["const"] for branch in RULE_SCHEMA["items"]["oneOf"]}
    assert kinds == {
        "require-property",
        "forbid-keyword-value",
        "require-descriptions",
        "require-examples",
        "allowed-formats",
    }


def test_validate_rules_reports_problems():
    problems = validate_rules(
        [
            {"kind": "nope"},
            {"kind": "require-property"},
            {"kind": "require-property", "pointer": "correlationId"},
            {"kind": "allowed-formats", "formats": []},
            {"kind": "require-descriptions", "severity": "fatal"},
            {"id": "a", "kind": "require-examples"},
            {"id": "a", "kind": "require-examples"},
        ]
    )
    assert len(problems) == 6
    assert any("unknown kind" in p for p in problems)
    assert any("duplicate id" in p for p in problems)
    assert validate_rules("x") == ["rules must be a list"]


def test_valid_rules_have_no_problems():
    assert validate_rules([{"id": "r", "kind": "require-property", "pointer": "/a/b"}]) == []


def test_apply_rules_rejects_invalid_rules():
    with pytest.raises(ValueError, match="unknown kind"):
        apply_rules([{"kind": "nope"}], SCHEMA)


def test_require_property():
    rule = {
        "id": "corr",
        "kind": "require-property",
        "pointer": "/correlationId",
        "severity": "error",
    }
    [finding] = apply_rules([rule], SCHEMA)
    assert (finding.id, finding.severity, finding.pointer) == ("corr", "error", "/correlationId")
    assert apply_rules([{**rule, "pointer": "/meta/ip"}], SCHEMA) == []


def test_forbid_keyword_value():
    rule = {"kind": "forbid-keyword-value", "keyword": "additionalProperties", "value": True}
    pointers = [f.pointer for f in apply_rules([rule], SCHEMA)]
    assert pointers == ["/additionalProperties", "/properties/meta/additionalProperties"]
    # 1 == True in Python, but not in JSON Schema
    assert apply_rules([{**rule, "value": 1}], SCHEMA) == []


def test_require_descriptions():
    findings = apply_rules([{"kind": "require-descriptions"}], SCHEMA)
    assert {f.pointer for f in findings} == {
        "/properties/placedAt",
        "/properties/meta",
        "/properties/meta/properties/ip",
    }
    assert all(f.severity == "warning" and f.id == "require-descriptions" for f in findings)


def test_require_examples():
    findings = apply_rules([{"kind": "require-examples"}], SCHEMA)
    assert {f.pointer for f in findings} == {
        "/properties/placedAt",
        "/properties/meta/properties/ip",
    }


def test_allowed_formats():
    findings = apply_rules([{"kind": "allowed-formats", "formats": ["uuid", "date-time"]}], SCHEMA)
    assert [f.pointer for f in findings] == ["/properties/meta/properties/ip/format"]
    assert "ipv4" in findings[0].message
