"""What app.core.analysis offers its callers (tests/unit/test_layers.py checks its purity)."""

import app.core.analysis as analysis


def test_public_api():
    for name in (
        "classify",
        "consumer_cost",
        "field_pointers",
        "ordering_hazard",
        "lint",
        "validate_rules",
        "apply_rules",
        "RULE_SCHEMA",
        "DEFAULT_PRICES",
        "estimate",
        "router_advice",
    ):
        assert hasattr(analysis, name)
