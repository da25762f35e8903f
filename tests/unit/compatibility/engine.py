"""The engine's entry points over raw JSON for table-driven tests: each schema is checked into
a SchemaDocument first, as every caller in the registry does."""

from __future__ import annotations

import json
from typing import Any

from app.core import compatibility
from app.core.schema import Dialect, SchemaDocument
from app.core.vocabulary import CompatibilityLevel

# The case tables were written without $schema; those that use a keyword of 2019-09 or later
# are read as 2020-12 (as their authors meant), the others as the registry's default, draft-07.
_LATER_KEYWORDS = (
    '"unevaluatedProperties"',
    '"unevaluatedItems"',
    '"prefixItems"',
    '"dependentRequired"',
    '"dependentSchemas"',
    '"minContains"',
    '"maxContains"',
    '"$anchor"',
)


def doc(schema: Any) -> SchemaDocument:
    """A checked document of raw JSON (raises InvalidSchema, a ValueError)."""
    text = json.dumps(schema)
    later = any(word in text for word in _LATER_KEYWORDS)
    return SchemaDocument.checked(schema, Dialect.DRAFT2020 if later else None)


def compare(old: Any, new: Any, policy: str = "strict") -> list[compatibility.Difference]:
    """compatibility.compare over raw JSON."""
    return compatibility.compare(doc(old), doc(new), policy)


def check(
    previous: list[tuple[int, Any]], new: Any, level: Any, policy: str = "strict"
) -> compatibility.CheckResult:
    """compatibility.check over raw JSON, the level named as the tables write it: a level's
    name becomes the CompatibilityLevel (as the services turn the names they take into one);
    anything else reaches the engine as it is, for the tests of what it refuses."""
    if level in compatibility.LEVELS:
        level = CompatibilityLevel(level)
    return compatibility.check([(n, doc(s)) for n, s in previous], doc(new), level, policy)
