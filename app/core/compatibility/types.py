"""The difference catalogue, the result value and the policy classification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.vocabulary import COMPATIBILITY_LEVELS, POLICIES, CompatibilityLevel

# The names live with the registry's other vocabularies; re-exported here for the engine's users.
LEVELS = COMPATIBILITY_LEVELS

# Confluent's types that STRICT (and therefore LENIENT) accept.
_STRICT_COMPATIBLE = [
    "ID_CHANGED",
    "DESCRIPTION_CHANGED",
    "TITLE_CHANGED",
    "DEFAULT_CHANGED",
    "SCHEMA_REMOVED",
    "TYPE_EXTENDED",
    "MAX_LENGTH_INCREASED",
    "MAX_LENGTH_REMOVED",
    "MIN_LENGTH_DECREASED",
    "MIN_LENGTH_REMOVED",
    "PATTERN_REMOVED",
    "MAXIMUM_INCREASED",
    "MAXIMUM_REMOVED",
    "MINIMUM_DECREASED",
    "MINIMUM_REMOVED",
    "EXCLUSIVE_MAXIMUM_INCREASED",
    "EXCLUSIVE_MAXIMUM_REMOVED",
    "EXCLUSIVE_MINIMUM_DECREASED",
    "EXCLUSIVE_MINIMUM_REMOVED",
    "MULTIPLE_OF_REDUCED",
    "MULTIPLE_OF_REMOVED",
    "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
    "REQUIRED_ATTRIBUTE_REMOVED",
    "DEPENDENCY_ARRAY_NARROWED",
    "DEPENDENCY_ARRAY_REMOVED",
    "DEPENDENCY_SCHEMA_REMOVED",
    "MAX_PROPERTIES_INCREASED",
    "MAX_PROPERTIES_REMOVED",
    "MIN_PROPERTIES_DECREASED",
    "MIN_PROPERTIES_REMOVED",
    "ADDITIONAL_PROPERTIES_ADDED",
    "ADDITIONAL_PROPERTIES_EXTENDED",
    "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "UNEVALUATED_PROPERTIES_ADDED",
    "UNEVALUATED_PROPERTIES_EXTENDED",
    "MAX_ITEMS_INCREASED",
    "MAX_ITEMS_REMOVED",
    "MIN_ITEMS_DECREASED",
    "MIN_ITEMS_REMOVED",
    "MAX_CONTAINS_INCREASED",
    "MAX_CONTAINS_REMOVED",
    "MIN_CONTAINS_DECREASED",
    "MIN_CONTAINS_REMOVED",
    "UNIQUE_ITEMS_REMOVED",
    "ADDITIONAL_ITEMS_ADDED",
    "ADDITIONAL_ITEMS_EXTENDED",
    "UNEVALUATED_ITEMS_ADDED",
    "UNEVALUATED_ITEMS_EXTENDED",
    "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ENUM_ARRAY_EXTENDED",
    "COMBINED_TYPE_EXTENDED",
    "PRODUCT_TYPE_NARROWED",
    "SUM_TYPE_EXTENDED",
    "NOT_TYPE_NARROWED",
]

# Confluent's LENIENT additions: changes that only break data carrying undeclared properties.
_LENIENT_ONLY = [
    "ADDITIONAL_PROPERTIES_NARROWED",
    "ADDITIONAL_PROPERTIES_REMOVED",
    "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
    "UNEVALUATED_PROPERTIES_NARROWED",
    "UNEVALUATED_PROPERTIES_REMOVED",
]

# Confluent's types that neither policy accepts.
_INCOMPATIBLE = [
    "SCHEMA_ADDED",
    "TYPE_NARROWED",
    "TYPE_CHANGED",
    "MAX_LENGTH_ADDED",
    "MAX_LENGTH_DECREASED",
    "MIN_LENGTH_ADDED",
    "MIN_LENGTH_INCREASED",
    "PATTERN_ADDED",
    "PATTERN_CHANGED",
    "MAXIMUM_ADDED",
    "MAXIMUM_DECREASED",
    "MINIMUM_ADDED",
    "MINIMUM_INCREASED",
    "EXCLUSIVE_MAXIMUM_ADDED",
    "EXCLUSIVE_MAXIMUM_DECREASED",
    "EXCLUSIVE_MINIMUM_ADDED",
    "EXCLUSIVE_MINIMUM_INCREASED",
    "MULTIPLE_OF_ADDED",
    "MULTIPLE_OF_EXPANDED",
    "MULTIPLE_OF_CHANGED",
    "REQUIRED_ATTRIBUTE_ADDED",
    "MAX_PROPERTIES_ADDED",
    "MAX_PROPERTIES_DECREASED",
    "MIN_PROPERTIES_ADDED",
    "MIN_PROPERTIES_INCREASED",
    "DEPENDENCY_ARRAY_ADDED",
    "DEPENDENCY_ARRAY_EXTENDED",
    "DEPENDENCY_ARRAY_CHANGED",
    "DEPENDENCY_SCHEMA_ADDED",
    "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    "RESERVED_PROPERTY_REMOVED",
    "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY",
    "MAX_ITEMS_ADDED",
    "MAX_ITEMS_DECREASED",
    "MIN_ITEMS_ADDED",
    "MIN_ITEMS_INCREASED",
    "MAX_CONTAINS_ADDED",
    "MAX_CONTAINS_DECREASED",
    "MIN_CONTAINS_ADDED",
    "MIN_CONTAINS_INCREASED",
    "UNIQUE_ITEMS_ADDED",
    "ADDITIONAL_ITEMS_REMOVED",
    "ADDITIONAL_ITEMS_NARROWED",
    "UNEVALUATED_ITEMS_REMOVED",
    "UNEVALUATED_ITEMS_NARROWED",
    "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
    "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    "ENUM_ARRAY_NARROWED",
    "ENUM_ARRAY_CHANGED",
    "COMBINED_TYPE_CHANGED",
    "PRODUCT_TYPE_EXTENDED",
    "SUM_TYPE_NARROWED",
    "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
    "NOT_TYPE_EXTENDED",
]

# Eventry's own names for keywords Confluent does not compare (see docs/compatibility.md).
INVENTED_STRICT_COMPATIBLE = (
    "FORMAT_REMOVED",
    "PROPERTY_NAMES_REMOVED",
    "PATTERN_PROPERTY_REMOVED",
    "CONTAINS_REMOVED",
)
INVENTED_LENIENT_ONLY = (
    "PATTERN_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    "PATTERN_PROPERTY_REMOVED_NOT_COVERED",
    # A name made required that `properties` does not declare: Confluent reports nothing.
    "REQUIRED_UNDECLARED_PROPERTY_ADDED",
    # string <-> number under Kafka Connect's `connect.type: bytes`: Confluent reports nothing.
    "BYTES_ENCODING_CHANGED",
)
# Confluent's STRICT accepts these, but data that the old schema (and Eventry's own validator)
# accepted is rejected after them: a required property with a default is still required when
# validating, and validators fill in no defaults. Eventry's strict policy refuses them; lenient
# keeps Confluent's verdict (docs/compatibility.md gives the counter-examples).
EVENTRY_STRICTER = frozenset(
    {
        "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
        "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
    }
)
INVENTED_INCOMPATIBLE = (
    "FORMAT_ADDED",
    "FORMAT_CHANGED",
    "PROPERTY_NAMES_ADDED",
    "PATTERN_PROPERTY_ADDED",
    "CONTAINS_ADDED",
    "CONDITION_CHANGED",
    "CONSTRUCT_NOT_COMPARED",
)

# The differences in annotations only (JSON Schema's meta-data keywords and ``$id``): no value
# that either schema accepts changes (JSON Schema Validation, section 9, "annotations").
ANNOTATIONS = frozenset({"DESCRIPTION_CHANGED", "TITLE_CHANGED", "ID_CHANGED", "DEFAULT_CHANGED"})
CONFLUENT_STRICT_COMPATIBLE = frozenset(_STRICT_COMPATIBLE)
STRICT_COMPATIBLE = (CONFLUENT_STRICT_COMPATIBLE | frozenset(INVENTED_STRICT_COMPATIBLE)) - (
    EVENTRY_STRICTER
)
LENIENT_COMPATIBLE = (
    STRICT_COMPATIBLE
    | EVENTRY_STRICTER
    | frozenset(_LENIENT_ONLY)
    | frozenset(INVENTED_LENIENT_ONLY)
)
CONFLUENT_TYPES = tuple(_STRICT_COMPATIBLE + _LENIENT_ONLY + _INCOMPATIBLE)
INVENTED_TYPES = INVENTED_STRICT_COMPATIBLE + INVENTED_LENIENT_ONLY + INVENTED_INCOMPATIBLE
DIFFERENCE_TYPES = CONFLUENT_TYPES + INVENTED_TYPES

_COMPATIBLE_BY_POLICY = {"strict": STRICT_COMPATIBLE, "lenient": LENIENT_COMPATIBLE}


def compatible_set(policy: str) -> frozenset[str]:
    """Return the difference types that are backward-compatible under policy."""
    try:
        return _COMPATIBLE_BY_POLICY[policy]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown compatibility policy {policy!r}; expected one of {', '.join(POLICIES)}."
        ) from None


def is_compatible_type(diff_type: str, policy: str) -> bool:
    """Tell whether a difference of this type is backward-compatible under policy."""
    return diff_type in compatible_set(policy)


@dataclass(frozen=True)
class Difference:
    """One change found between the old (registered) and the new schema.

    ``type`` is Confluent's difference type (or Eventry's own, see docs/compatibility.md), seen
    from the reader of the comparison that found it; ``path`` the JSON pointer of the place from
    the root as the comparison walked it (through the site of any ``$ref``); ``old``/``new`` the
    values in the registered and the new schema; ``old_pointer``/``new_pointer`` the real JSON
    pointers into each schema's stored text (the target of a ``$ref`` when the path crosses one,
    None when that side has nothing there) and ``refs`` the pointers of the ``$ref`` keywords
    crossed on each side."""

    type: str
    path: str
    old: Any
    new: Any
    message: str
    old_pointer: str | None = None
    new_pointer: str | None = None
    refs: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    def to_dict(self) -> dict:
        """Return the difference as a JSON-ready dict (``refs`` only when a $ref was crossed)."""
        body = {
            "type": self.type,
            "path": self.path,
            "old": self.old,
            "new": self.new,
            "message": self.message,
            "old_pointer": self.old_pointer,
            "new_pointer": self.new_pointer,
        }
        if self.refs[0] or self.refs[1]:
            body["refs"] = {"old": list(self.refs[0]), "new": list(self.refs[1])}
        return body


_TRANSITIVE = frozenset(
    {
        CompatibilityLevel.BACKWARD_TRANSITIVE,
        CompatibilityLevel.FORWARD_TRANSITIVE,
        CompatibilityLevel.FULL_TRANSITIVE,
    }
)
_BACKWARD, _FORWARD = ("backward",), ("forward",)
_DIRECTIONS = {
    CompatibilityLevel.NONE: (),
    CompatibilityLevel.BACKWARD: _BACKWARD,
    CompatibilityLevel.BACKWARD_TRANSITIVE: _BACKWARD,
    CompatibilityLevel.FORWARD: _FORWARD,
    CompatibilityLevel.FORWARD_TRANSITIVE: _FORWARD,
    CompatibilityLevel.FULL: _BACKWARD + _FORWARD,
    CompatibilityLevel.FULL_TRANSITIVE: _BACKWARD + _FORWARD,
}


def compares_all(level: CompatibilityLevel) -> bool:
    """Whether a level compares a new version with every earlier one (the ``*_TRANSITIVE``
    levels) rather than with the latest alone."""
    return level in _TRANSITIVE


def directions(level: CompatibilityLevel) -> tuple[str, ...]:
    """The directions a level checks, in the order it checks them: "backward" (the new schema
    reads the earlier versions' data), "forward" (the earlier versions read the new schema's
    data); none for NONE. Raises KeyError for anything but a CompatibilityLevel's value."""
    return _DIRECTIONS[level]
