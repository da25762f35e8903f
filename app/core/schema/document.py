"""SchemaDocument: a JSON Schema as one value with one meaning.

Parsed once, its canonical text and fingerprint computed once, its dialect decided once, its
references resolved by one resolver, and its compiled validator built lazily and kept. Two ways
in: ``SchemaDocument.checked`` for new input (meta-schema, references) and
``SchemaDocument.stored`` for the trusted canonical text the registry stored itself.

A document may carry Confluent-style references: other registered schemas, each a Reference
(its name, subject, version and document), that its ``$ref`` may name (``customer.json``,
``customer.json#/$defs/Address``); they are part of its content and of its fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from app.core import limits
from app.core.canonical import CanonicalJSONError, canonical_json, parse_json
from app.core.pointers import escape, split_pointer
from app.core.schema import checks
from app.core.schema.dialects import Dialect, default_dialect, dialect_of_uri
from app.core.schema.ignored import ignored_keywords
from app.core.schema.index import REFERENCE_KEYWORDS
from app.core.schema.limits import size_problems
from app.core.schema.messages import show
from app.core.schema.problems import InvalidSchema, SchemaProblem
from app.core.schema.resolver import Resolver, Target, UnresolvableReference
from app.core.vocabulary import is_digits


@dataclass(frozen=True)
class Reference:
    """A Confluent-style schema reference: ``name`` (what the referring schema's ``$ref`` calls
    it, e.g. ``customer.json``), the ``subject`` and ``version`` it was registered as, and its
    ``document`` (which carries its own references)."""

    name: str
    subject: str
    version: int
    document: SchemaDocument


class SchemaDocument:
    """One JSON Schema: ``raw`` (the parsed JSON: a dict or a bool), ``canonical`` (its canonical
    JSON text), ``references`` (a tuple of Reference, empty for most), ``fingerprint`` (sha-256
    hex of the canonical text, followed, when there are references, by the canonical JSON of
    ``[[name, subject, version, fingerprint of the referenced document], …]``), ``dialect`` and
    ``declared`` (whether ``$schema`` named the dialect, or the default was assumed)."""

    def __init__(
        self,
        raw: Any,
        canonical: str,
        dialect: Dialect,
        declared: bool,
        references: Sequence[Reference] = (),
    ) -> None:
        self.raw = raw
        self.canonical = canonical
        self.references = tuple(references)
        self.fingerprint = _fingerprint(canonical, self.references)
        self.dialect = dialect
        self.declared = declared

    @classmethod
    def checked(
        cls, raw: Any, default: Dialect | None = None, references: Sequence[Reference] = ()
    ) -> SchemaDocument:
        """Check new input and return it as a document.

        ``default`` is the dialect of a schema without ``$schema`` (the registry's setting when
        None); ``references`` the registered schemas its ``$ref`` may name (Reference values).
        Raises InvalidSchema with every problem (each with its JSON pointer): not an object
        or a boolean, an unsupported ``$schema``, a value with no canonical JSON form, a breach of
        the meta-schema, two references of one name, a reference that resolves neither locally
        nor into a referenced schema or that loops forever (across referenced schemas too), or a
        size beyond the configured limits (checked first: everything after it recurses)."""
        if not isinstance(raw, dict | bool):
            raise InvalidSchema([SchemaProblem("", "a JSON Schema must be an object or a boolean")])
        too_large = size_problems(raw)
        if too_large:
            raise InvalidSchema(too_large)
        dialect, declared = _decide_dialect(raw, default)
        try:
            text = canonical_json(raw)
        except CanonicalJSONError as error:
            raise InvalidSchema(
                [SchemaProblem("", f"the schema cannot be stored: {error}")]
            ) from None
        problems = checks.meta_schema_problems(raw, dialect) + _naming_problems(references)
        document = cls(raw, text, dialect, declared, references)
        if not problems:
            with limits.budget():  # a search per reference: bounded like every walk
                problems = checks.reference_problems(document.resolver)
            problems += checks.pattern_problems(document.resolver)
        if problems:
            raise InvalidSchema(problems)
        return document

    @classmethod
    def stored(
        cls, canonical: str, dialect: Dialect | str, references: Sequence[Reference] = ()
    ) -> SchemaDocument:
        """Return the document of canonical text the registry stored after checking it (trusted:
        parsed once, nothing re-checked) in the dialect decided when it was stored, with the
        references it was stored with."""
        raw = parse_json(canonical)
        declared = isinstance(raw, dict) and "$schema" in raw
        return cls(raw, canonical, Dialect(dialect), declared, references)

    @classmethod
    def trusted(
        cls, raw: Any, default: Dialect | None = None, references: Sequence[Reference] = ()
    ) -> SchemaDocument:
        """Return a document for a schema Eventry ships itself (request bodies, file formats)."""
        dialect, declared = _decide_dialect(raw, default)
        return cls(raw, canonical_json(raw), dialect, declared, references)

    @cached_property
    def resolver(self) -> Resolver:
        """The document's reference resolver (built on first use), which knows its references."""
        return Resolver(self.raw, self.dialect, self.references)

    def references_json(self) -> list[dict[str, Any]]:
        """Return the references as Confluent writes them: ``[{"name", "subject", "version"}]``,
        in order."""
        return [
            {"name": each.name, "subject": each.subject, "version": each.version}
            for each in self.references
        ]

    @cached_property
    def warnings(self) -> list[SchemaProblem]:
        """Keywords of another draft that this document's dialect ignores (e.g.
        ``unevaluatedProperties`` under an assumed draft-07), each with its pointer: constraints
        that would otherwise be dropped without a word."""
        return ignored_keywords(self)

    def dialect_at(self, node: Any) -> Dialect:
        """Return the dialect node is read in: that of the resource it sits in (a referenced
        schema keeps its own), the document's for a value outside the index."""
        place = self.resolver.index.place_of(node)
        return place.dialect if place is not None and place.dialect is not None else self.dialect

    def resolve(self, holder: dict, word: str = "$ref") -> Target:
        """Return the Target of holder's reference keyword. Raises UnresolvableReference."""
        return self.resolver.resolve(holder, word)

    def locate(self, path: str, into_refs: bool = False) -> Location:
        """Follow a path of keywords from the root, jumping through references, to the real
        place in this document's text: a Location with the JSON pointer reached, the pointers of
        the references crossed, and whether the whole path was found. With ``into_refs`` a
        path that ends on a reference goes on to the schema it names (a compatibility
        difference found at a ``$ref`` site is about its target).

        A reference token (``$dynamicRef``…) moves to the reference's target; any other token
        is a member of the current schema or, when the schema holds a reference, of the
        reference's target (a validator's paths leave ``$ref`` out), whichever lets the rest of
        the path be found: before 2019-09 always the target, since ``$ref`` hides its siblings.
        Dynamic references resolve in the dynamic scope of the walk. When no way finds the
        whole path, the walk that prefers members stops at the first token found nowhere."""
        tokens = split_pointer(path)
        first = _Walk(self.raw, "", (), (self.resolver.base,), 0, 0)
        stack, seen, stopped = [first], set(), None
        while stack:
            walk = stack.pop()
            if walk.at == len(tokens):
                return self._into_refs(walk) if into_refs else Location(walk.pointer, walk.refs)
            key = (id(walk.node), walk.at, walk.scope)
            if key in seen:
                continue
            seen.add(key)
            options = self._options(walk, tokens[walk.at])
            if not options and stopped is None:
                stopped = walk
            stack.extend(reversed(options))
        stopped = stopped or first
        return Location(stopped.pointer, stopped.refs, False)

    def _options(self, walk: _Walk, token: str) -> list[_Walk]:
        # The ways one token can be taken from walk.node, the likeliest first.
        node, found = walk.node, []
        words = [w for w in _REFS if isinstance(node, dict) and isinstance(node.get(w), str)]
        hidden = "$ref" in words and self._is_schema(node) and self.dialect_at(node).order < 2019
        if isinstance(node, dict) and token in node and token not in words and not hidden:
            found.append(self._moved(walk, node[token], f"{walk.pointer}/{escape(token)}"))
        elif isinstance(node, list) and is_digits(token) and int(token) < len(node):
            found.append(self._moved(walk, node[int(token)], f"{walk.pointer}/{token}"))
        if walk.jumps >= 32:  # a chain of $ref to $ref…; loops were refused when stored
            return found
        for word in [token] if token in words else words:
            try:
                targets = self.resolver.targets(node, word, walk.scope)
            except UnresolvableReference:
                continue
            for target in targets:
                pointer = _pointer_of(target)
                moved = self._moved(walk, target.schema, pointer, f"{walk.pointer}/{word}")
                found.append(moved if token == word else replace(moved, at=walk.at))
        return found

    def _moved(self, walk: _Walk, node: Any, pointer: str, ref: str | None = None) -> _Walk:
        scope = self._entered(walk.scope, node)
        if ref is None:
            return _Walk(node, pointer, walk.refs, scope, walk.at + 1, 0)
        return _Walk(node, pointer, (*walk.refs, ref), scope, walk.at + 1, walk.jumps + 1)

    def _into_refs(self, walk: _Walk) -> Location:
        node, pointer, crossed, scope = walk.node, walk.pointer, list(walk.refs), walk.scope
        word = _reference_word(node)
        for _ in range(32):
            if word is None or (self.dialect_at(node).order >= 2019 and _asserts_beside(node)):
                break
            try:
                target = self.resolver.resolve(node, word, scope)
            except UnresolvableReference:
                break
            crossed.append(f"{pointer}/{word}")
            node, scope = target.schema, self._entered(scope, target.schema)
            pointer = _pointer_of(target)
            word = _reference_word(node)
        return Location(pointer, tuple(crossed), True)

    def _entered(self, scope: tuple[str, ...], node: Any) -> tuple[str, ...]:
        # The dynamic scope once node is reached: its resource added when it is a new one.
        place = self.resolver.index.place_of(node)
        return (*scope, place.base) if place is not None and place.base != scope[-1] else scope

    def _is_schema(self, node: Any) -> bool:
        return self.resolver.index.place_of(node) is not None

    def __repr__(self) -> str:
        return f"SchemaDocument({self.dialect.value}, {self.fingerprint[:12]})"


_REFS = REFERENCE_KEYWORDS


@dataclass(frozen=True)
class Location:
    """Where a path leads in a document: ``pointer`` (RFC 6901, into the stored text; a URI
    with a fragment inside a bundled meta-schema, and ``name#/pointer`` inside a referenced
    schema, by the reference's name), ``refs`` (pointers of the reference keywords
    crossed) and ``found`` (False when the walk stopped early, at ``pointer``)."""

    pointer: str
    refs: tuple[str, ...]
    found: bool = True


@dataclass(frozen=True)
class _Walk:
    # One way along a path: where it is, how it got there, and the next token's index.
    node: Any
    pointer: str
    refs: tuple[str, ...]
    scope: tuple[str, ...]  # the dynamic scope: base URIs of the resources entered
    at: int
    jumps: int  # references crossed since the last token was taken


def _pointer_of(target: Target) -> str:
    # The target's pointer in this document, else a URI whose fragment is its pointer in the
    # bundled meta-schema (never "…/schema/properties": members are added after the "#").
    place = target.place
    if target.pointer is not None or place is None:
        return target.pointer if target.pointer is not None else target.uri
    return f"{place.resource}#{place.pointer}"


def _asserts_beside(node: dict) -> bool:
    # From 2019-09 keywords beside $ref apply too: the place is the holder, not the target.
    return any(key not in _REFS and not key.startswith("$") for key in node) and any(
        key in _ASSERTING for key in node
    )


_ASSERTING = frozenset().union(*(d.assertions for d in Dialect)) - set(_REFS)


def _reference_word(node: Any) -> str | None:
    if not isinstance(node, dict):
        return None
    return next((word for word in _REFS if isinstance(node.get(word), str)), None)


def _fingerprint(canonical: str, references: tuple[Reference, ...]) -> str:
    # Without references the text alone, as stored before references existed; with them the
    # same text naming other schemas is other content.
    text = canonical
    if references:
        named = [[r.name, r.subject, r.version, r.document.fingerprint] for r in references]
        text += canonical_json(named)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _naming_problems(references: Sequence[Reference]) -> list[SchemaProblem]:
    names = [each.name for each in references]
    repeated = sorted({name for name in names if names.count(name) > 1})
    problems = [SchemaProblem("", "a reference needs a non-empty name")] if "" in names else []
    return problems + [
        SchemaProblem("", f"two references are named {show(name)}: a name names one schema")
        for name in repeated
    ]


def _decide_dialect(raw: Any, default: Dialect | None) -> tuple[Dialect, bool]:
    if isinstance(raw, dict) and "$schema" in raw:
        dialect = dialect_of_uri(raw["$schema"])
        if dialect is None:
            names = ", ".join(d.uri for d in Dialect)
            message = f"unsupported $schema {show(raw['$schema'])}; use one of {names}"
            raise InvalidSchema([SchemaProblem("/$schema", message)])
        return dialect, True
    return default or default_dialect(), False
