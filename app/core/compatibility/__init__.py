"""JSON Schema compatibility engine modelled on Confluent Schema Registry's SchemaDiff.

Pure standard library: no web framework, no database, no validator.
"""

from app.core.compatibility.check import CheckResult, check, compare
from app.core.compatibility.types import (
    DIFFERENCE_TYPES,
    INVENTED_TYPES,
    LEVELS,
    POLICIES,
    Difference,
    compares_all,
    directions,
    is_compatible_type,
)

__all__ = [
    "DIFFERENCE_TYPES",
    "INVENTED_TYPES",
    "LEVELS",
    "POLICIES",
    "CheckResult",
    "Difference",
    "check",
    "compare",
    "compares_all",
    "directions",
    "is_compatible_type",
]
