"""The one `$ref` resolver: every reference of a schema, resolved per the specification.

Built on the `referencing` library (the resolver python-jsonschema uses), over the schema itself
and the bundled meta-schemas of every supported draft, so a ``$ref`` to a draft's meta-schema is
local and nothing is ever fetched over the network. It knows ``$id`` base URIs (URNs too),
embedded resources, ``$anchor``, legacy ``#name`` ids, percent-encoded pointers, and resolves
``$recursiveRef`` (2019-09) and ``$dynamicRef`` (2020-12) against the document's outermost
dynamic scope, the root resource (JSON Schema 2020-12 Core, section 8.2.3.2), or against the
dynamic scope of a path when the caller knows it (``SchemaDocument.locate`` does).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urldefrag, urljoin

import referencing
import referencing.exceptions
import referencing.jsonschema
from attrs import evolve
from jsonschema_specifications import REGISTRY as META_SCHEMAS

from app.core.schema.dialects import Dialect
from app.core.schema.index import REFERENCE_KEYWORDS, Index, Place
from app.core.schema.messages import show


class UnresolvableReference(ValueError):
    """A reference that names nothing in the schema or the bundled meta-schemas.

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
    """Resolves the references of one schema document; built once per document."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        spec = specification(dialect)
        resource = referencing.Resource(contents=raw, specification=spec)
        # As python-jsonschema does: the root's $id is the base URI, else the empty URI.
        self.base = urldefrag(resource.id() or "").url
        self.dialect = dialect
        self._registry = BUNDLED.with_resource(self.base, resource).crawl()
        self.index = Index()
        self.index.add_resource(raw, self.base, spec)
        self._root = raw
        # A $ref leads to one place whatever the path to it (unlike the dynamic references):
        # each is resolved once, however often the walks over the document cross it.
        self._static: dict[int, Target] = {}

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
            resolved = self._registry.resolver(base_uri=place.base).lookup(ref)
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
            resource = self._registry.get_or_retrieve(uri).value
        except referencing.exceptions.Unresolvable:
            return
        contents = resource.contents
        dialect_uri = contents.get("$schema", uri) if isinstance(contents, dict) else uri
        foreign = referencing.jsonschema.specification_with(
            dialect_uri, default=referencing.jsonschema.DRAFT202012
        )
        self.index.add_resource(contents, uri, _only_schemas(foreign), local=False)

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


def _why(error: Exception) -> str:
    if isinstance(error, referencing.exceptions.PointerToNowhere):
        return "nothing is at that JSON pointer"
    if isinstance(error, referencing.exceptions.NoSuchAnchor):
        return "no schema declares that anchor"
    return (
        "it names no schema inside this document or a bundled meta-schema, and Eventry never "
        "fetches remote references: put the definition under $defs (or definitions) and refer "
        "to it with #/$defs/…, or give the embedded schema that $id"
    )
