"""Validation (app/core/validation.py, through app/services/schemas.py as a registration checks
a schema) agrees with an independent generator: every instance hypothesis-jsonschema draws
from a real schema (the demo catalogue's event schemas and Eventry's own request bodies)
validates with no error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from app.config import DEMO_CATALOG, SCHEMAS
from app.core.validation import validate_event
from app.services import schemas
from tests.unit.properties.strategies import BOUNDED

ROOT = Path(__file__).parents[3]


def _real_schemas() -> list[tuple[str, dict]]:
    files = sorted(DEMO_CATALOG.glob("*/*/v*.json")) + sorted((SCHEMAS / "api").glob("*.json"))
    found = []
    for path in files:
        schema = json.loads(path.read_text(encoding="utf-8"))
        # hypothesis-jsonschema resolves references inside one document only.
        if not _remote_reference(schema):
            found.append((str(path.relative_to(path.parents[2])), schema))
    return found


def _remote_reference(node) -> bool:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return True
        return any(_remote_reference(value) for value in node.values())
    if isinstance(node, list):
        return any(_remote_reference(value) for value in node)
    return False


REAL = _real_schemas()
# Formats newer than hypothesis-jsonschema's list (it would draw any string for them).
FORMATS = {"uuid": st.uuids().map(str)}


def test_the_set_is_the_real_catalogue():
    assert len(REAL) >= 60, [name for name, _ in REAL]


@pytest.mark.parametrize(("name", "schema"), REAL, ids=[name for name, _ in REAL])
def test_generated_instances_validate(name, schema):
    document = schemas.checked(schema)

    # A few examples per schema: the schemas, not the examples, make the family. No shrinking
    # (a failure shows its instance as drawn): shrinking a large event takes minutes.
    @settings(
        BOUNDED,
        max_examples=max(5, BOUNDED.max_examples // 20),
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(from_schema(schema, custom_formats=FORMATS))
    def each(instance):
        errors = validate_event(document, instance)
        assert errors == [], (instance, [(e.path, e.message) for e in errors])

    each()
