"""The one `$ref` resolver: every reference of a schema, resolved per the specification.

Built on the `referencing` library (the resolver python-jsonschema uses), over the schema itself
and the bundled meta-schemas of every supported draft, so a ``$ref`` to a draft's meta-schema is
local and nothing is ever fetched over the network. It knows ``$id`` base URIs (URNs too),
embedded resources, ``$anchor``, legacy ``#name`` ids, percent-encoded pointers, and resolves
``$recursiveRef`` (2019-09) and ``$dynamicRef`` (2020-12) against the document's outermost
dynamic scope, the root resource (JSON Schema 2020-12 Core, section 8.2.3.2), or against the
dynamic scope of a path when the caller knows it (``SchemaDocument.locate`` does).

Confluent-style schema references (``references: [{"name", "subject", "version"}]``) make other
registered schemas resources too: each under its name, that name resolved against the referring
schema's base URI, and its own ``$id``, transitively; the first schema to claim a name keeps it,
as Confluent's flat map of names does. They are indexed as places outside the document's text,
each in its own dialect (the one it was stored with, not the referrer's): its sub-schemas,
``$id`` and anchors are found by its draft's rules, and every place records that dialect, so the
validator, the compatibility engine and the readers of a schema's fields read its keywords
(``dependencies``, the array form of ``items``, siblings of ``$ref``) as its draft means them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

import referencing
import referencing.exceptions
import referencing.jsonschema
from attrs import evolve
from jsonschema_specifications import REGISTRY as META_SCHEMAS

from app.core.schema.dialects import Dialect, dialect_of_uri
from app.core.schema.index import REFERENCE_KEYWORDS, Index, Place
from app.core.schema.messages import show

if TYPE_CHECKING:
    from app.core.schema.document import Reference


class UnresolvableReference(ValueError):
    """A reference that names nothing in the schema, the bundled meta-schemas or the schemas
    its Confluent-style references name.

    ``pointer`` is the JSON pointer of the reference keyword, ``ref`` its value."""

    def __init__(self, pointer: str, ref: str, why: str) -> None:
        super().__init__(f"{show(ref)} at {pointer or '/'}: {why}")
        self.pointer = pointer
        self.ref = ref
        self.why = why


@dataclass(frozen=True)
class Target:
    """Where a reference leads: the sub-schema, its place, and its absolute URI.

    ``dynamic`` is True when a ``$dynamicRef``/``$recursiveRef`` could lead elsewhere in a
    dynamic scope other than the document's own (the compatibility engine names such places)."""

    schema: Any
    place: Place | None
    uri: str
    dynamic: bool = False

    @property
    def pointer(self) -> str | None:
        """The target's JSON pointer in this document's text; None outside it."""
        return self.place.pointer if self.place is not None and self.place.local else None

    @property
    def referenced(self) -> bool:
        """Whether the target is in a Confluent-style referenced schema (a registered schema
        the document names), not in the document's text or a bundled meta-schema."""
        return self.place is not None and self.place.referenced

    @property
    def label(self) -> str | None:
        """Where the target is, for a reader: its pointer in the document's text, ``name#/…``
        (the reference's name and the pointer in it) in a referenced schema; None elsewhere."""
        if self.pointer is not None or not self.referenced or self.place is None:
            return self.pointer
        return f"{self.place.resource}#{self.place.pointer}"


def _bundled() -> referencing.Registry:
    # Every bundled meta-schema (vocabularies included) under both http and https, the spellings
    # $schema accepts, so a $ref to any of them is as local for the validator as for the resolver.
    extra = []
    for uri in list(META_SCHEMAS):
        scheme, _, rest = uri.partition("://")
        if rest.startswith("json-schema.org/") and scheme in ("http", "https"):
            other = ("https" if scheme == "http" else "http") + "://" + rest
            if other not in META_SCHEMAS:
                extra.append((other, META_SCHEMAS.get_or_retrieve(uri).value))
    return META_SCHEMAS.with_resources(extra).crawl()


#: The bundled meta-schemas of every supported draft: the only documents references may reach
#: besides the schema itself (nothing is fetched).
BUNDLED = _bundled()


@cache
def specification(dialect: Dialect) -> referencing.Specification:
    """The dialect's referencing rules (which members are sub-schemas, which ``$id`` starts a
    resource, where anchors are), as the `referencing` library states them."""
    return _only_schemas(referencing.jsonschema.specification_with(dialect.uri))


def _only_schemas(spec: referencing.Specification) -> referencing.Specification:
    # referencing 0.37 yields every value of a draft-04/06/07 `dependencies` once the first one
    # is a schema, arrays of names too, and then fails on them while crawling: keep schemas only.
    original = spec.subresources_of

    def subresources_of(contents: Any) -> Iterator[Any]:
        return (each for each in original(contents) if isinstance(each, dict | bool))

    return evolve(spec, subresources_of=subresources_of)


class Resolver:
    """Resolves the references of one schema document; built once per document.

    ``references`` are the document's Confluent-style references (each a Reference whose
    document carries its own): the schemas a ``$ref`` may name besides the document itself and
    the bundled meta-schemas. ``registry`` is the `referencing.Registry` of all of them."""

    def __init__(self, raw: Any, dialect: Dialect, references: Sequence[Reference] = ()) -> None:
        spec = specification(dialect)
        resource = referencing.Resource(contents=raw, specification=spec)
        # As python-jsonschema does: the root's $id is the base URI, else the empty URI.
        self.base = urldefrag(resource.id() or "").url
        self.dialect = dialect
        referenced = _referenced(references, self.base)
        claimed: dict[str, referencing.Resource] = {}
        for each in referenced:
            for uri in each.uris:
                claimed.setdefault(uri, each.resource)
        # The document itself is registered last: under its own base URI it wins, as in the
        # validator, which registers its root schema over whatever the registry holds.
        registry = BUNDLED.with_resources(claimed.items()) if claimed else BUNDLED
        # Crawled (every embedded $id and anchor found) on first use: a document without
        # references that is only checked and walked (by jsonschema-rs, the analyses) never is.
        self._uncrawled = registry.with_resource(self.base, resource)
        self.index = Index()
        self.index.add_resource(raw, self.base, spec, dialect=dialect)
        for each in referenced:
            if self.index.place_of(each.resource.contents) is None:
                contents, base = each.resource.contents, each.base
                self.index.add_resource(contents, base, each.spec, False, each.name, each.dialect)
        self._root = raw
        # A $ref leads to one place whatever the path to it (unlike the dynamic references):
        # each is resolved once, however often the walks over the document cross it.
        self._static: dict[int, Target] = {}

    @cached_property
    def registry(self) -> referencing.Registry:
        """The `referencing.Registry` of the document, its referenced schemas and the bundled
        meta-schemas (what a validator of the document resolves with)."""
        return self._uncrawled.crawl()

    def references(self) -> list[tuple[str, str, dict]]:
        """Return (pointer of the keyword, reference, holder) for every reference keyword the
        dialect reads, in document order."""
        words = [w for w in REFERENCE_KEYWORDS if w in self.dialect.keywords]
        found = []
        for pointer, holder in self.index.holders:
            for word in words:
                if isinstance(holder.get(word), str):
                    found.append((f"{pointer}/{word}", holder[word], holder))
        return sorted(found, key=lambda item: item[0])

    def resolve(self, holder: dict, word: str = "$ref", scope: Sequence[str] = ()) -> Target:
        """Return where holder's reference keyword leads. Raises UnresolvableReference.

        ``scope`` is the dynamic scope, the base URIs of the schema resources entered on the
        way to holder, outermost first: a ``$dynamicRef``/``$recursiveRef`` then resolves in
        it; without it, in the document's root resource alone."""
        ref = holder[word]
        if word == "$ref" and id(holder) in self._static:
            return self._static[id(holder)]
        place = self.index.place_of(holder) or Place("", self.base)
        if word == "$recursiveRef":
            return self._recursive(holder, place, scope)
        target = self._lookup(place, ref, f"{place.pointer}/{word}")
        if word == "$dynamicRef":
            return self._dynamic(ref, target, scope)
        if place.pointer or holder is self._root or self.index.place_of(holder) is not None:
            self._static[id(holder)] = target  # a holder of this document: it lives as long
        return target

    def targets(self, holder: dict, word: str, scope: Sequence[str] = ()) -> list[Target]:
        """Return where holder's reference keyword may lead, the most likely first: for
        ``$ref`` its one target; for a dynamic reference, its target in ``scope``, then in the
        root resource, then its static target. Raises UnresolvableReference."""
        found = [self.resolve(holder, word, scope)]
        if word != "$ref":
            place = self.index.place_of(holder) or Place("", self.base)
            static = "#" if word == "$recursiveRef" else holder[word]
            found += [
                self.resolve(holder, word),
                self._lookup(place, static, f"{place.pointer}/{word}"),
            ]
        unique: dict[int, Target] = {}
        for target in found:
            unique.setdefault(id(target.schema), target)
        return list(unique.values())

    def _lookup(self, place: Place, ref: str, pointer: str) -> Target:
        try:
            resolved = self.registry.resolver(base_uri=place.base).lookup(ref)
        except referencing.exceptions.Unresolvable as error:
            raise UnresolvableReference(pointer, ref, _why(error)) from None
        uri = urljoin(place.base, ref) if not ref.startswith("#") else place.base + ref
        contents = resolved.contents
        found = self.index.place_of(contents)
        if found is None and isinstance(contents, dict):
            self._index_foreign(urldefrag(uri).url)
            found = self.index.place_of(contents)
        return Target(contents, found, uri)

    def _index_foreign(self, uri: str) -> None:
        # A bundled meta-schema reached by a reference: index it so its own references resolve.
        try:
            resource = self.registry.get_or_retrieve(uri).value
        except referencing.exceptions.Unresolvable:
            return
        contents = resource.contents
        dialect_uri = contents.get("$schema", uri) if isinstance(contents, dict) else uri
        foreign = referencing.jsonschema.specification_with(
            dialect_uri, default=referencing.jsonschema.DRAFT202012
        )
        spec = _only_schemas(foreign)
        self.index.add_resource(contents, uri, spec, False, dialect=dialect_of_uri(dialect_uri))

    def _dynamic(self, ref: str, static: Target, scope: Sequence[str]) -> Target:
        name = urldefrag(ref).fragment
        bookended = isinstance(static.schema, dict) and static.schema.get("$dynamicAnchor") == name
        if not bookended:
            return static  # without a matching $dynamicAnchor it is a plain $ref
        for base in scope:  # the outermost resource of the scope that declares the anchor
            found = self.index.dynamic_anchors.get(base, {}).get(name)
            if found is not None:
                return Target(found, self.index.place_of(found), f"{base}#{name}")
        if scope:
            return static
        declaring = [base for base, names in self.index.dynamic_anchors.items() if name in names]
        outermost = self.index.dynamic_anchors.get(self.base, {}).get(name)
        if outermost is None:
            return Target(static.schema, static.place, static.uri, dynamic=len(declaring) > 1)
        return Target(outermost, self.index.place_of(outermost), f"{self.base}#{name}")

    def _recursive(self, holder: dict, place: Place, scope: Sequence[str]) -> Target:
        static = self._lookup(place, "#", f"{place.pointer}/$recursiveRef")
        anchored = isinstance(static.schema, dict) and static.schema.get("$recursiveAnchor") is True
        if scope and anchored:
            # As python-jsonschema does: outwards from the innermost resource, while each
            # resource's root has "$recursiveAnchor": true too.
            for base in reversed(scope):
                try:
                    outer = self._lookup(Place("", base), "#", f"{place.pointer}/$recursiveRef")
                except UnresolvableReference:
                    break
                if not (isinstance(outer.schema, dict) and outer.schema.get("$recursiveAnchor")):
                    break
                static = Target(outer.schema, outer.place, base + "#")
            return static
        root_anchored = isinstance(self._root, dict) and self._root.get("$recursiveAnchor") is True
        if anchored and root_anchored:
            return Target(self._root, self.index.place_of(self._root), self.base + "#")
        return static


@dataclass(frozen=True)
class _Referenced:
    # One referenced schema as a resource: the name it was referenced by, the URIs it is
    # registered under, the base URI its own references resolve against, and its rules.
    name: str
    uris: tuple[str, ...]
    base: str
    resource: referencing.Resource
    spec: referencing.Specification
    dialect: Dialect  # its own, as stored: never the referring schema's


def _referenced(references: Sequence[Reference], base: str) -> list[_Referenced]:
    """Return every schema the references name, transitively, in Confluent's order (a schema's
    own references before it, a name already claimed skipped).

    Each is registered under its name, that name resolved against every URI the referring
    schema is registered under (python-jsonschema resolves inside a schema reached by a URI
    against that URI, the specification against its ``$id``: both must find it), and its own
    ``$id``; its base URI is its ``$id``, else its name resolved against the referrer's."""
    found: list[_Referenced] = []
    names: set[str] = set()

    def visit(references: Sequence[Reference], base: str, bases: tuple[str, ...]) -> None:
        for reference in references:
            if reference.name in names:
                continue
            names.add(reference.name)
            document = reference.document
            spec = specification(document.dialect)
            resource = referencing.Resource(contents=document.raw, specification=spec)
            joined = urldefrag(urljoin(base, reference.name)).url
            own = resource.id()
            own_base = urldefrag(urljoin(joined, own)).url if own else joined
            others = (urldefrag(urljoin(each, reference.name)).url for each in bases)
            candidates = (reference.name, joined, *others, own_base)
            uris = tuple(dict.fromkeys(uri for uri in candidates if uri))
            visit(document.references, own_base, uris)
            found.append(
                _Referenced(reference.name, uris, own_base, resource, spec, document.dialect)
            )

    visit(references, base, (base,))
    return found


def _why(error: Exception) -> str:
    if isinstance(error, referencing.exceptions.PointerToNowhere):
        return "nothing is at that JSON pointer"
    if isinstance(error, referencing.exceptions.NoSuchAnchor):
        return "no schema declares that anchor"
    return (
        "it names no schema inside this document, a bundled meta-schema or a referenced schema, "
        "and Eventry never fetches remote references: put the definition under $defs (or "
        "definitions) and refer to it with #/$defs/…, give the embedded schema that $id, or name "
        "the registered schema it means in the Confluent-style references (name, subject, "
        "version), with the name the $ref uses"
    )
