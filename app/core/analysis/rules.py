"""Configurable governance rules, in the spirit of cfn-lint custom rules."""

from __future__ import annotations

from typing import Any

from app.core.pointers import escape
from app.core.references import follow
from app.core.schema import SchemaDocument

from .fields import Field, flatten_schema
from .model import SEVERITIES, LintFinding

RULE_KINDS = (
    "require-property",
    "forbid-keyword-value",
    "require-descriptions",
    "require-examples",
    "allowed-formats",
)

_BASE = {
    "id": {"type": "string", "minLength": 1, "description": "Stable id reported in findings."},
    "severity": {"enum": list(SEVERITIES), "description": "Defaults to warning."},
    "message": {"type": "string", "description": "Optional message replacing the default."},
}


def _kind_schema(kind: str, extra: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"kind": {"const": kind}, **_BASE, **extra},
        "required": ["kind", *required],
        "additionalProperties": False,
    }


RULE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Eventry governance rules",
    "type": "array",
    "items": {
        "oneOf": [
            _kind_schema(
                "require-property",
                {"pointer": {"type": "string", "pattern": "^(/[^/]+)+$"}},
                ["pointer"],
            ),
            _kind_schema(
                "forbid-keyword-value",
                {"keyword": {"type": "string", "minLength": 1}, "value": {}},
                ["keyword", "value"],
            ),
            _kind_schema("require-descriptions", {}, []),
            _kind_schema("require-examples", {}, []),
            _kind_schema(
                "allowed-formats",
                {"formats": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
                ["formats"],
            ),
        ]
    },
}

_REQUIRED = {
    "require-property": ("pointer",),
    "forbid-keyword-value": ("keyword", "value"),
    "allowed-formats": ("formats",),
}


def validate_rules(rules: list[dict]) -> list[str]:
    """Problems with a rules list (empty when valid); mirrors RULE_SCHEMA without jsonschema."""
    if not isinstance(rules, list):
        return ["rules must be a list"]
    problems: list[str] = []
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        problems += [f"rule {i}: {p}" for p in _rule_problems(rule)]
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        if isinstance(rule_id, str) and rule_id in seen:
            problems.append(f"rule {i}: duplicate id {rule_id!r}")
        seen.add(str(rule_id))
    return problems


def _rule_problems(rule: Any) -> list[str]:
    if not isinstance(rule, dict):
        return ["must be an object"]
    kind = rule.get("kind")
    if kind not in RULE_KINDS:
        return [f"unknown kind {kind!r}; expected one of {', '.join(RULE_KINDS)}"]
    out = [f"missing {key!r}" for key in _REQUIRED.get(kind, ()) if key not in rule]
    if "severity" in rule and rule["severity"] not in SEVERITIES:
        out.append(f"severity must be one of {', '.join(SEVERITIES)}")
    if "id" in rule and (not isinstance(rule["id"], str) or not rule["id"]):
        out.append("id must be a non-empty string")
    pointer = rule.get("pointer")
    if kind == "require-property" and "pointer" in rule and not _is_pointer(pointer):
        out.append("pointer must be a JSON pointer like /correlationId")
    formats = rule.get("formats")
    if kind == "allowed-formats" and "formats" in rule and not _is_name_list(formats):
        out.append("formats must be a non-empty list of strings")
    return out


def _is_pointer(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("/") and "//" not in value


def _is_name_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def apply_rules(rules: list[dict], document: SchemaDocument) -> list[LintFinding]:
    """Check a schema document against governance rules; invalid rules raise ValueError."""
    problems = validate_rules(rules)
    if problems:
        raise ValueError("; ".join(problems))
    fields, _kind = flatten_schema(document, unwrap_envelope=False)
    findings: list[LintFinding] = []
    for rule in rules:
        findings += _APPLY[rule["kind"]](rule, document, fields)
    return findings


def _finding(rule: dict, pointer: str, message: str, hint: str = "") -> LintFinding:
    return LintFinding(
        rule.get("id") or rule["kind"],
        rule.get("severity", "warning"),
        pointer,
        rule.get("message") or message,
        hint,
    )


def _require_property(
    rule: dict, document: SchemaDocument, fields: list[Field]
) -> list[LintFinding]:
    pointer = rule["pointer"]
    if any(f.pointer == pointer for f in fields):
        return []
    return [_finding(rule, pointer, f"schema does not declare {pointer}", "Add the property.")]


def _forbid_keyword_value(
    rule: dict, document: SchemaDocument, fields: list[Field]
) -> list[LintFinding]:
    keyword, value = rule["keyword"], rule["value"]
    out = []
    for pointer, node in _schema_nodes(document.raw):
        if keyword in node and node[keyword] == value and type(node[keyword]) is type(value):
            msg = f"{keyword} is {value!r} at {pointer or '/'}"
            out.append(_finding(rule, f"{pointer}/{keyword}", msg, "Use another value."))
    return out


def _schema_nodes(schema: Any, pointer: str = "", depth: int = 0):
    """Every sub-schema object with its JSON pointer inside the schema document."""
    if depth > 32:
        return
    if isinstance(schema, dict):
        yield pointer, schema
        for key, child in schema.items():
            if key in ("const", "enum", "examples", "default", "example"):
                continue  # instance data, not schemas
            yield from _schema_nodes(child, f"{pointer}/{escape(key)}", depth + 1)
    elif isinstance(schema, list):
        for i, child in enumerate(schema):
            yield from _schema_nodes(child, f"{pointer}/{i}", depth + 1)


def _require_descriptions(
    rule: dict, document: SchemaDocument, fields: list[Field]
) -> list[LintFinding]:
    return [
        _finding(rule, f.schema_pointer, f"property {f.pointer!r} has no description")
        for f in fields
        if not str(f.node.get("description") or "").strip()
    ]


def _require_examples(
    rule: dict, document: SchemaDocument, fields: list[Field]
) -> list[LintFinding]:
    out = []
    for f in fields:
        if f.leaf and not any(k in f.node for k in ("examples", "example", "const", "enum")):
            out.append(_finding(rule, f.schema_pointer, f"property {f.pointer!r} has no examples"))
    root = follow(document, document.raw)
    if not fields and not (isinstance(root, dict) and root.get("examples")):
        out.append(_finding(rule, "", "schema has no examples"))
    return out


def _allowed_formats(
    rule: dict, document: SchemaDocument, fields: list[Field]
) -> list[LintFinding]:
    allowed = set(rule["formats"])
    out = []
    for pointer, node in _schema_nodes(document.raw):
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt not in allowed:
            msg = f"format {fmt!r} at {pointer or '/'} is not allowed"
            hint = f"Use one of: {', '.join(sorted(allowed))}."
            out.append(_finding(rule, f"{pointer}/format", msg, hint))
    return out


_APPLY = {
    "require-property": _require_property,
    "forbid-keyword-value": _forbid_keyword_value,
    "require-descriptions": _require_descriptions,
    "require-examples": _require_examples,
    "allowed-formats": _allowed_formats,
}
