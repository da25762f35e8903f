"""Following a schema's references through its SchemaDocument, for readers of its structure.

The event-design analysis and the UI's field table walk a schema's sub-schemas. When one holds a
reference they ask the document where it leads (its one resolver knows ``$id`` base URIs,
embedded resources, anchors and dynamic references) and never look a pointer up themselves.
"""

from __future__ import annotations

from typing import Any

from app.core.schema import SchemaDocument, Target, UnresolvableReference
from app.core.schema.index import REFERENCE_KEYWORDS

# In the order SchemaDocument.locate reads them: a node holding two follows the first.
REFERENCE_WORDS = REFERENCE_KEYWORDS


def reference_word(document: SchemaDocument, node: Any) -> str | None:
    """Return the reference keyword node holds that its dialect reads (a node in a referenced
    schema is read in that schema's own), or None (``$dynamicRef`` means nothing to a draft-07
    schema, as to its validator)."""
    if not isinstance(node, dict):
        return None
    keywords = document.dialect_at(node).keywords
    return next(
        (word for word in REFERENCE_WORDS if word in keywords and isinstance(node.get(word), str)),
        None,
    )


def target_of(document: SchemaDocument, node: Any) -> Target | None:
    """Return where node's reference leads, in the document's own text or in a registered
    schema it references (Confluent-style), or None when node holds no reference, when it names
    nothing, or when it leads into a bundled meta-schema."""
    word = reference_word(document, node)
    if word is None:
        return None
    try:
        target = document.resolve(node, word)
    except UnresolvableReference:
        return None
    # A meta-schema's members are JSON Schema keywords, not fields of an event: not walked.
    return target if target.pointer is not None or target.referenced else None


def follow(document: SchemaDocument, node: Any, seen: frozenset[int] = frozenset()) -> Any:
    """Follow node's references to the sub-schema that holds none.

    ``seen`` holds the identities of the targets already on the caller's path: reaching one of
    them again (a recursive structure), or a reference that leads nowhere in the document,
    gives ``{}``: nothing is known about what it allows."""
    while reference_word(document, node) is not None:
        target = target_of(document, node)
        if target is None or id(target.schema) in seen:
            return {}
        seen = seen | {id(target.schema)}
        node = target.schema
    return node
