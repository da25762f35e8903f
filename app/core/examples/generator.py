"""The example generator: a walk over a SchemaDocument that builds one value, then validates it.

What it uses, in order: ``const``; ``enum``; ``examples``; ``default``; else a value of the
schema's type built from its bounds: strings by format, pattern or property name
(app.core.examples.strings), numbers within bounds and multipleOf (app.core.examples.numbers),
objects with every required property and, near the top, the optional ones too, arrays of
``minItems`` items (at least one) honouring ``prefixItems``/``items``, ``contains`` and
``uniqueItems``. References are followed through the document's one resolver; ``allOf`` members
are merged, one ``oneOf``/``anyOf`` branch is taken, ``if`` with ``then`` or ``else``. ``not``
is not built from: the validator rules out what it excludes.

Each of ATTEMPTS tries draws from its own random generator, seeded by (seed, attempt), and
the first value the registry's validator accepts is the answer: the same seed gives the same
example. All of it spends the work budget (app.core.limits), so a hostile schema ends in a 422.
"""

from __future__ import annotations

import copy
from random import Random
from typing import Any

from app.core import limits
from app.core.examples.failure import ExampleFailure, NoExample
from app.core.examples.merge import merge
from app.core.examples.numbers import example_number
from app.core.examples.strings import example_string
from app.core.pointers import escape
from app.core.schema import SchemaDocument, UnresolvableReference
from app.core.schema.regex import EcmaRe
from app.core.validation import validate_event

ATTEMPTS = 6
# Optional properties are included down to this depth: a full picture without endless nesting.
OPTIONAL_DEPTH = 3
# Deeper than this the schema requires an endless value (a required recursive reference).
MAX_DEPTH = 32
# The most items an array of an example holds, and the most references one node may chain.
MAX_ITEMS = 1_000
MAX_CHAIN = 64
_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")
_SCALARS = {"string": "example", "integer": 1, "number": 1, "boolean": True, "null": None}


def example_of(document: SchemaDocument, seed: int = 0) -> Any:
    """Return an example event (a parsed JSON value) that validates against the document,
    the same for the same seed (an int).

    Raises NoExample (422) with the kind and place of the failure, and LimitExceeded (422)
    when the schema needs more work than one request may do."""
    failure: NoExample | None = None
    with limits.budget():
        for attempt in range(ATTEMPTS):
            walk = _Walk(document, Random(f"{seed}:{attempt}"), attempt)
            try:
                value = walk.value(document.raw, "", 0, None)
            except NoExample as error:
                if error.kind is ExampleFailure.UNSATISFIABLE:
                    raise
                failure = error
                continue
            errors = validate_event(document, value, max_errors=1)
            if not errors:
                return value
            first = errors[0]
            failure = NoExample(
                ExampleFailure.NOT_VALID,
                first.schema_path,
                f"every value tried failed the schema, the last one because at "
                f"{first.path or '/'}: {first.message}",
            )
    assert failure is not None
    raise failure


class _Walk:
    """One attempt: a random generator and the document it walks."""

    def __init__(self, document: SchemaDocument, rng: Random, attempt: int) -> None:
        self.document = document
        self.rng = rng
        self.attempt = attempt

    def value(self, schema: Any, pointer: str, depth: int, name: str | None) -> Any:
        """A value for the (sub)schema at pointer; ``name`` is the property it is for."""
        limits.step()
        if depth > MAX_DEPTH:
            raise NoExample(
                ExampleFailure.UNSUPPORTED, pointer, f"it requires nesting deeper than {MAX_DEPTH}"
            )
        flat = self.flatten(schema, pointer)
        if "const" in flat:
            return copy.deepcopy(flat["const"])
        for word in ("enum", "examples"):
            if isinstance(flat.get(word), list) and (flat[word] or word == "enum"):
                if not flat[word]:
                    raise NoExample(ExampleFailure.UNSATISFIABLE, pointer, "the enum is empty")
                return copy.deepcopy(self.rng.choice(flat[word]))
        if "default" in flat and self.attempt == 0:
            return copy.deepcopy(flat["default"])
        kind = self.kind_of(flat, pointer)
        if kind == "object":
            return self.object(flat, pointer, depth)
        if kind == "array":
            return self.array(flat, pointer, depth)
        if kind == "string":
            return example_string(flat, self.rng, pointer, name)
        if kind in ("integer", "number"):
            return example_number(flat, kind == "integer", self.rng, pointer)
        return _SCALARS[kind]

    def flatten(self, schema: Any, pointer: str) -> dict[str, Any]:
        """The schema with its references, allOf members and one chosen branch of each
        oneOf/anyOf (and if/then/else) merged in. Raises NoExample for a ``false`` schema."""
        flat: dict[str, Any] = {}
        pending, chained = [(schema, pointer)], 0
        while pending:
            node, where = pending.pop()
            limits.step()
            if node is False:
                raise NoExample(ExampleFailure.UNSATISFIABLE, where, "the schema is false")
            if not isinstance(node, dict):
                continue
            chained += 1
            if chained > MAX_CHAIN:
                raise NoExample(ExampleFailure.UNSUPPORTED, where, "the references loop")
            if self.document.dialect.order < 2019 and isinstance(node.get("$ref"), str):
                # Before 2019-09 a $ref hides its siblings: its target alone applies.
                pending.append((self.target(node, "$ref", where), f"{where}/$ref"))
                continue
            pending += self.followed(node, where)
            merge(flat, node)
        return flat

    def followed(self, node: dict, where: str) -> list[tuple[Any, str]]:
        """The schemas that apply with node: its references' targets, its allOf members, a
        branch of its oneOf/anyOf, its then or else."""
        found = [(self.target(node, word, where), f"{where}/{word}") for word in self.refs(node)]
        members = node.get("allOf")
        if isinstance(members, list):
            found += [(each, f"{where}/allOf/{i}") for i, each in enumerate(members)]
        for word in ("oneOf", "anyOf"):
            branches = node.get(word)
            if isinstance(branches, list) and branches:
                chosen = self.rng.randrange(len(branches))
                found.append((branches[chosen], f"{where}/{word}/{chosen}"))
        if "if" in node:
            branch = "then" if self.attempt % 2 == 0 else "else"
            if branch == "then":
                found.append((node["if"], f"{where}/if"))
            if branch in node:
                found.append((node[branch], f"{where}/{branch}"))
        return found

    def refs(self, node: dict) -> list[str]:
        return [word for word in _REFERENCES if isinstance(node.get(word), str)]

    def target(self, node: dict, word: str, where: str) -> Any:
        try:
            return self.document.resolve(node, word).schema
        except UnresolvableReference as error:
            raise NoExample(ExampleFailure.UNSUPPORTED, where, str(error)) from None

    def kind_of(self, flat: dict, pointer: str) -> str:
        """The JSON type to build: one the schema allows (not null when another is allowed),
        else the one its keywords suggest."""
        declared = flat.get("type")
        if declared is not None:
            types = [declared] if isinstance(declared, str) else list(declared)
            if not types:
                raise NoExample(ExampleFailure.UNSATISFIABLE, pointer, "no type is allowed")
            useful = [t for t in types if t != "null"] or types
            return self.rng.choice(useful) if len(useful) > 1 else useful[0]
        if any(w in flat for w in ("properties", "required", "additionalProperties")):
            return "object"
        if any(w in flat for w in ("items", "prefixItems", "minItems", "contains")):
            return "array"
        if any(w in flat for w in ("minimum", "maximum", "multipleOf", "exclusiveMinimum")):
            return "number"
        return "string"

    def object(self, flat: dict, pointer: str, depth: int) -> dict[str, Any]:
        """Every required property, the optional ones near the top, and more from
        additionalProperties when minProperties asks for them."""
        properties = flat.get("properties") if isinstance(flat.get("properties"), dict) else {}
        required = [n for n in flat.get("required", []) if isinstance(n, str)]
        wanted = list(dict.fromkeys(required))
        if depth < OPTIONAL_DEPTH:
            wanted += [n for n in properties if n not in wanted and properties[n] is not False]
        most = flat.get("maxProperties")
        if isinstance(most, int) and len(wanted) > most:
            wanted = (
                required + [n for n in wanted if n not in required][: max(0, most - len(required))]
            )
        result: dict[str, Any] = {}
        for name in _with_dependencies(wanted, flat):
            sub = self.property_schema(flat, properties, name)
            result[name] = self.value(sub, f"{pointer}/properties/{escape(name)}", depth + 1, name)
        extra = flat.get("additionalProperties", True)
        while len(result) < flat.get("minProperties", 0) and extra is not False:
            limits.step()
            name = f"extra{len(result) + 1}"
            result[name] = self.value(extra, f"{pointer}/additionalProperties", depth + 1, name)
        return result

    def property_schema(self, flat: dict, properties: dict, name: str) -> Any:
        """The schema of a property: its own, else the first patternProperties entry whose
        pattern matches its name, else additionalProperties."""
        if name in properties:
            return properties[name]
        patterns = flat.get("patternProperties")
        for pattern, sub in (patterns if isinstance(patterns, dict) else {}).items():
            if EcmaRe.search(pattern, name):
                return sub
        return flat.get("additionalProperties", True)

    def array(self, flat: dict, pointer: str, depth: int) -> list[Any]:
        """``minItems`` items (at least one when allowed), from prefixItems (or a draft's
        items array) then items (or additionalItems), with one from ``contains``."""
        low, high = flat.get("minItems", 0), flat.get("maxItems")
        if isinstance(high, int) and low > high:
            raise NoExample(
                ExampleFailure.UNSATISFIABLE, pointer, f"minItems {low} is above maxItems {high}"
            )
        if low > MAX_ITEMS:
            raise NoExample(
                ExampleFailure.UNSUPPORTED, pointer, f"minItems {low} is beyond {MAX_ITEMS}"
            )
        prefix, rest, rest_word = self.item_schemas(flat)
        count = max(low, 1, len(prefix) if depth < OPTIONAL_DEPTH else 0)
        if rest is False:
            count = min(count, max(low, len(prefix)))
        if isinstance(high, int):
            count = min(count, high)
        items = []
        for index in range(count):
            if index < len(prefix):
                sub, where = prefix[index], f"{pointer}/{self.prefix_word()}/{index}"
            else:
                sub, where = rest, f"{pointer}/{rest_word}"
            items.append(self.unique(flat, items, sub, where, depth))
        if "contains" in flat and count > len(prefix):
            where = f"{pointer}/contains"
            items[len(prefix)] = self.value(flat["contains"], where, depth + 1, None)
        return items

    def item_schemas(self, flat: dict) -> tuple[list[Any], Any, str]:
        """The schemas of the first items, that of the others, and the keyword that gave it."""
        modern = self.document.dialect.order >= 2020
        if modern and isinstance(flat.get("prefixItems"), list):
            return list(flat["prefixItems"]), flat.get("items", True), "items"
        if not modern and isinstance(flat.get("items"), list):
            return list(flat["items"]), flat.get("additionalItems", True), "additionalItems"
        return [], flat.get("items", True), "items"

    def prefix_word(self) -> str:
        return "prefixItems" if self.document.dialect.order >= 2020 else "items"

    def unique(self, flat: dict, items: list, sub: Any, where: str, depth: int) -> Any:
        """An item, drawn again (a few times) when uniqueItems wants it new."""
        value = self.value(sub, where, depth + 1, None)
        if flat.get("uniqueItems") is True:
            for _ in range(ATTEMPTS):
                if value not in items:
                    break
                value = self.value(sub, where, depth + 1, None)
        return value


def _with_dependencies(wanted: list[str], flat: dict) -> list[str]:
    """The names wanted and those they require: ``dependentRequired`` (2019-09 on) and the
    array form of ``dependencies`` (earlier drafts), followed until nothing is added."""
    rules: dict[str, Any] = {}
    for word in ("dependencies", "dependentRequired"):
        if isinstance(flat.get(word), dict):
            rules |= {k: v for k, v in flat[word].items() if isinstance(v, list)}
    names, index = list(wanted), 0
    while index < len(names):
        limits.step()
        names += [n for n in rules.get(names[index], []) if isinstance(n, str) and n not in names]
        index += 1
    return names
