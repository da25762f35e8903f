"""The formats jsonschema-rs gets right, compiled once per dialect and format.

jsonschema-rs implements every JSON Schema format in Rust per its RFC and passes all of the
JSON-Schema-Test-Suite's optional/format cases; the few places where it reads an RFC too loosely
are covered by the sibling modules (mailbox, idn, checker).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import jsonschema_rs

SCHEMA_URIS = {
    "draft-04": "http://json-schema.org/draft-04/schema#",
    "draft-06": "http://json-schema.org/draft-06/schema#",
    "draft-07": "http://json-schema.org/draft-07/schema#",
    "2019-09": "https://json-schema.org/draft/2019-09/schema",
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
}


@cache
def rust_check(format_name: str, dialect: str = "2020-12") -> Callable[[str], bool]:
    """Return a predicate telling whether a string matches the format, as jsonschema-rs reads it."""
    # A schema with nothing but "format": no $ref, so compiling and validating never fetch.
    schema = {"$schema": SCHEMA_URIS[dialect], "format": format_name}
    return jsonschema_rs.validator_for(schema, validate_formats=True).is_valid
