"""Which consumers a schema change touches: each difference of a compatibility check or a
version diff, against the fields its event's consumers declare that they read.

A difference is about a place in the schema (a JSON pointer such as
``/properties/totals/properties/amount/type``); the payload field it changes is read off the
keywords along it (``properties``/``patternProperties`` name a member, as does ``required``
in the paths the compatibility check gives, ``/required/name``; ``items`` and
``additionalItems`` any element, written ``/0`` as in app.core.analysis.fields, ``prefixItems``
and ``items`` arrays the element at that index; ``allOf``/``anyOf``/``oneOf`` branches and
references are crossed without a step). A consumer's field is touched when it is that field,
lies inside it (a removed object takes its members along) or holds it (reading ``/totals``
reads ``/totals/amount``). A difference at the root touches every consumer that reads anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.pointers import escape, split_pointer

_MEMBER = frozenset({"properties", "patternProperties", "required"})
_ANY_ITEM = frozenset({"items", "additionalItems", "unevaluatedItems", "contains"})
_BRANCHES = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else"})
_NAMED = frozenset({"$defs", "definitions", "dependentSchemas", "dependencies"})
NOBODY = "no declared consumer reads this"


@dataclass(frozen=True)
class Reader:
    """A consumer of the event: its name, owning team and the payload fields it reads."""

    name: str
    team: str | None
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Affected:
    """A consumer a difference touches, and which of its fields."""

    name: str
    team: str | None
    fields: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """{name, team, fields}."""
        return {"name": self.name, "team": self.team, "fields": list(self.fields)}

    def describe(self) -> str:
        """'name (team team)'."""
        return f"{self.name} (team {self.team})" if self.team else self.name


@dataclass(frozen=True)
class Impact:
    """One difference (its ``type`` and schema ``pointer``), the payload ``field`` it changes
    (None when it changes no place a payload has, e.g. a definition no property uses by that
    path) and the consumers it touches."""

    type: str
    pointer: str
    field: str | None
    consumers: tuple[Affected, ...]

    @property
    def summary(self) -> str:
        """'read by a (team t), b' or 'no declared consumer reads this'."""
        if not self.consumers:
            return NOBODY
        return "read by " + ", ".join(c.describe() for c in self.consumers)

    def to_dict(self) -> dict[str, Any]:
        """{type, pointer, field, consumers: [{name, team, fields}], summary}."""
        return {
            "type": self.type,
            "pointer": self.pointer,
            "field": self.field,
            "consumers": [c.to_dict() for c in self.consumers],
            "summary": self.summary,
        }


def payload_field(pointer: str) -> str | None:
    """The payload pointer a schema pointer lies in ('' for the root; None inside a definition
    reached by its name, or for a pointer that is not one)."""
    try:
        tokens = split_pointer(pointer)
    except ValueError:
        return None
    parts: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in _MEMBER and following is not None:
            parts.append(escape(following))
            index += 2
        elif token == "prefixItems" and following is not None:
            parts.append(following)
            index += 2
        elif token in _ANY_ITEM:
            skip = following is not None and following.isdigit() and token == "items"
            parts.append(following if skip else "0")
            index += 2 if skip else 1
        elif token in _NAMED:
            return None
        else:  # a branch and its index, a reference, or a keyword of the schema at this place
            index += 1
    return "".join(f"/{part}" for part in parts)


def touches(changed: str, read: str) -> bool:
    """Whether reading ``read`` is touched by a change at ``changed`` (both payload pointers)."""
    if changed == "" or changed == read:
        return True
    return read.startswith(changed + "/") or changed.startswith(read + "/")


def impact(differences: Iterable[tuple[str, str]], readers: list[Reader]) -> list[Impact]:
    """For each (type, schema pointer) difference, in order, the consumers it touches."""
    found = []
    for kind, pointer in differences:
        field = payload_field(pointer)
        affected = []
        if field is not None:
            for reader in readers:
                hit = tuple(f for f in reader.fields if touches(field, f))
                if hit:
                    affected.append(Affected(reader.name, reader.team, hit))
        found.append(Impact(kind, pointer, field, tuple(affected)))
    return found
