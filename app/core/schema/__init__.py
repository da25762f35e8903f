"""A JSON Schema as one value: SchemaDocument, its dialect, its resolver, its problems."""

from app.core.schema.dialects import Dialect, default_dialect, dialect_of_uri, parse_dialect
from app.core.schema.document import Reference, SchemaDocument
from app.core.schema.problems import InvalidSchema, SchemaProblem
from app.core.schema.resolver import Target, UnresolvableReference

__all__ = [
    "Dialect",
    "InvalidSchema",
    "Reference",
    "SchemaDocument",
    "SchemaProblem",
    "Target",
    "UnresolvableReference",
    "default_dialect",
    "dialect_of_uri",
    "parse_dialect",
]
