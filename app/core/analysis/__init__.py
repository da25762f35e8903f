"""Event-design analysis: shape classification, consumer cost, ordering, lints, rules, routers.

No web framework or ORM is imported here; a schema comes in as a SchemaDocument, whose
references are followed through its one resolver (app.core.references).
"""

from .consumers import consumer_cost
from .fields import field_pointers
from .lints import lint
from .model import (
    ConsumerCost,
    ConsumerGap,
    LintFinding,
    OrderingHazard,
    RouterEstimate,
    ShapeResult,
    Signal,
)
from .ordering import needs_ordering, ordering_hazard
from .routers import DEFAULT_PRICES, MAX_EVENTS_PER_SECOND, estimate, router_advice
from .rules import RULE_SCHEMA, apply_rules, validate_rules
from .shape import classify

__all__ = [
    "DEFAULT_PRICES",
    "MAX_EVENTS_PER_SECOND",
    "RULE_SCHEMA",
    "ConsumerCost",
    "ConsumerGap",
    "LintFinding",
    "OrderingHazard",
    "RouterEstimate",
    "ShapeResult",
    "Signal",
    "apply_rules",
    "classify",
    "consumer_cost",
    "estimate",
    "field_pointers",
    "lint",
    "needs_ordering",
    "ordering_hazard",
    "router_advice",
    "validate_rules",
]
