"""One JSON Schema inferred from every example of a type, merged as they come.

genson (https://github.com/wolverdude/GenSON) merges each example into one schema: a member is
``required`` when every object at its place had it, and a place holding several kinds of value
gets their ``anyOf``. Beside it ``Inference`` keeps counts, never the examples, so memory grows
with the number of distinct fields, not of events: how many objects were seen at each place and
how often each member was present (the frequency of each optional field), which formats every
string at a place matched (checked with the registry's own format checkers, app/core/formats),
and, only when enums are asked for, the first few distinct strings of each place.

A place is a data path: member names, and ``ITEM`` for any item of an array; it is shown as a
JSON pointer with ``*`` for any item (``/lines/*/sku``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from genson import SchemaBuilder

from app.core import limits
from app.core.formats.checker import check_for
from app.core.pointers import escape
from app.core.schema.dialects import Dialect

ITEM = object()  # the path step into any item of an array
DIALECT = Dialect.DRAFT2020  # the draft of inferred schemas: it knows every detected format
# Formats tried on strings, most specific first; the first one every string matched is kept.
FORMATS = ("date-time", "uuid", "email", "uri")
ENUM_MAX_VALUES = 10  # at most this many distinct strings make an enum
ENUM_MAX_LENGTH = 64  # a longer string is no enum value (a name, a text): it stops the count
_CHECKS: dict[str, Callable[[str], bool]] = {}

Path = tuple[Any, ...]


@dataclass(frozen=True)
class OptionalField:
    """A member absent from some objects at its place: ``present`` times out of ``of``."""

    pointer: str
    present: int
    of: int

    def to_dict(self) -> dict[str, Any]:
        """``{"pointer", "present", "of", "frequency"}``, the frequency rounded to 4 places."""
        frequency = round(self.present / self.of, 4)
        return {
            "pointer": self.pointer,
            "present": self.present,
            "of": self.of,
            "frequency": frequency,
        }


class Room:
    """The distinct places (and types) one discovery may count, shared by its inferences: at
    most ``maximum``, then LimitExceeded ``max_schema_nodes`` (the schemas could not be
    registered anyway), so hostile events with ever new fields or types are bounded."""

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self.used = 0

    def take(self) -> None:
        """Count one more place; raise LimitExceeded when there is no room left."""
        if self.used >= self.maximum:
            raise limits.LimitExceeded(
                "max_schema_nodes",
                self.maximum,
                "the events have more distinct fields and types than one discovery may hold",
            )
        self.used += 1


class Inference:
    """The schema of one type's examples, merged as each is ``add``-ed.

    ``room`` bounds the distinct places counted (a number, or a Room shared with the other
    types of a discovery); ``enums`` keeps the distinct strings of each place for
    ``schema``'s enums."""

    def __init__(self, room: Room | int, enums: bool = False) -> None:
        self.examples = 0
        self._builder = SchemaBuilder(schema_uri=DIALECT.uri)
        self._room = room if isinstance(room, Room) else Room(room)
        self._objects: dict[Path, int] = {}  # objects seen at a place
        self._present: dict[Path, int] = {}  # times a member was in its parent object
        self._strings: dict[Path, int] = {}  # strings seen at a place
        self._formats: dict[Path, set[str]] = {}  # formats every string at a place matched
        self._values: dict[Path, dict[str, None] | None] | None = {} if enums else None

    @property
    def fields(self) -> int:
        """How many distinct places (members and array items) were seen."""
        return len(self._present) + len(self._strings)

    def add(self, example: Any) -> None:
        """Merge one example (a parsed JSON value, depth already checked by the caller).
        Spends one work step per value (app.core.limits.step)."""
        self._builder.add_object(example)
        self.examples += 1
        stack: list[tuple[Path, Any]] = [((), example)]
        while stack:
            path, value = stack.pop()
            limits.step()
            if isinstance(value, dict):
                self._objects[path] = self._objects.get(path, 0) + 1
                for key, member in value.items():
                    self._count((*path, key))
                    stack.append(((*path, key), member))
            elif isinstance(value, list):
                stack += [((*path, ITEM), item) for item in value]
            elif isinstance(value, str):
                self._string(path, value)

    def _count(self, path: Path) -> None:
        if path not in self._present:
            self._room.take()
        self._present[path] = self._present.get(path, 0) + 1

    def _string(self, path: Path, text: str) -> None:
        if path not in self._strings:
            self._room.take()
            self._formats[path] = set(FORMATS)
        self._strings[path] = self._strings.get(path, 0) + 1
        candidates = self._formats[path]
        if candidates:
            candidates.difference_update([name for name in candidates if not _check(name)(text)])
        if self._values is None:
            return
        values = self._values.setdefault(path, {})
        if values is not None and text not in values:
            too_many = len(values) >= ENUM_MAX_VALUES or len(text) > ENUM_MAX_LENGTH
            self._values[path] = None if too_many else {**values, text: None}

    def schema(self) -> dict[str, Any]:
        """The merged schema, refined: ``format`` where every string at a place matched one,
        and with enums asked for, ``enum`` for a place of at most ``ENUM_MAX_VALUES`` distinct
        strings (none longer than ``ENUM_MAX_LENGTH``), each seen twice on average."""
        schema = self._builder.to_schema()
        self._refine(schema, ())
        return schema

    def _refine(self, node: dict[str, Any], path: Path) -> None:
        for branch in node.get("anyOf", []):
            self._refine(branch, path)
        kinds = node.get("type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if "string" in kinds:
            self._refine_string(node, path, kinds)
        for key, member in node.get("properties", {}).items():
            self._refine(member, (*path, key))
        if isinstance(node.get("items"), dict):
            self._refine(node["items"], (*path, ITEM))

    def _refine_string(self, node: dict[str, Any], path: Path, kinds: list[str]) -> None:
        found = [name for name in FORMATS if name in self._formats.get(path, ())]
        if found:
            node["format"] = found[0]
            return
        values = (self._values or {}).get(path)
        seen = self._strings.get(path, 0)
        if values and set(kinds) <= {"string", "null"} and seen >= 2 * len(values):
            node["enum"] = [*sorted(values), *([None] if "null" in kinds else [])]

    def optional(self) -> list[OptionalField]:
        """The members absent from some objects at their place, by pointer."""
        found = [
            OptionalField(_pointer(path), count, self._objects[path[:-1]])
            for path, count in self._present.items()
            if count < self._objects.get(path[:-1], 0)
        ]
        return sorted(found, key=lambda each: each.pointer)


def _check(name: str) -> Callable[[str], bool]:
    if name not in _CHECKS:
        _CHECKS[name] = check_for(name, DIALECT.value)
    return _CHECKS[name]


def _pointer(path: Path) -> str:
    return "".join("/*" if part is ITEM else f"/{escape(part)}" for part in path)
