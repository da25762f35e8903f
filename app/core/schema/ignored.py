"""Keywords a schema's dialect ignores: constraints that would be dropped without a word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.pointers import escape
from app.core.schema.dialects import Dialect
from app.core.schema.problems import SchemaProblem

if TYPE_CHECKING:
    from app.core.schema.document import SchemaDocument

_EVERY_KEYWORD = frozenset().union(*(dialect.keywords for dialect in Dialect))


def ignored_keywords(document: SchemaDocument) -> list[SchemaProblem]:
    """Return a warning for each keyword of another supported draft that the document's dialect
    does not apply (``unevaluatedProperties``, ``prefixItems`` or ``dependentRequired`` under
    draft-07; ``dependencies`` or ``additionalItems`` under 2020-12), with its pointer."""
    dialect = document.dialect
    found = []
    for place_id, place in document.resolver.index.places.items():
        if not place.local:
            continue
        node = document.resolver.index.node(place_id)
        for key in node:
            if key in _EVERY_KEYWORD and key not in dialect.keywords:
                found.append(
                    SchemaProblem(f"{place.pointer}/{escape(key)}", _message(key, document))
                )
    return sorted(found, key=lambda problem: problem.pointer)


def _message(key: str, document: SchemaDocument) -> str:
    knowing = [d.value for d in Dialect if key in d.keywords]
    how = (
        f"this schema has no $schema, so it is read as {document.dialect.value} (the registry's "
        f'default); add "$schema": "{Dialect(knowing[-1]).uri}" to apply it'
        if not document.declared
        else f"its $schema names {document.dialect.value}"
    )
    return f"{key} is a keyword of {', '.join(knowing)} only and is ignored here: {how}"
