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
reads ``/totals/amount``). A difference at the root touches every consumer that reads anything,
but for a change of the root's annotations (its title or description: ``ANNOTATIONS``).

A consumer that declares the version it consumes (pinned to version k) is judged by what
changes from k to the new version, not by the compared pair: when k is not the compared old
version, its entry (``Pinned``) names the differences between k and the new version that touch
what it reads, and it is left out of the compared pair's entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.core.compatibility.types import ANNOTATIONS
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
    # The version of the event it was written against (None: it follows the latest).
    version: int | None = None


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


@dataclass(frozen=True)
class Pinned:
    """A consumer pinned to ``version``, other than the compared old one: the differences from
    its version to the new one (``to``, None for a candidate) that touch what it reads, or
    ``impacts`` None when its version's schema is gone (purged) and cannot be compared."""

    name: str
    team: str | None
    version: int
    to: int | None
    impacts: tuple[Impact, ...] | None

    @property
    def summary(self) -> str:
        """'billing (team t) consumes version 2: from version 2 to the new one, …'."""
        who = Affected(self.name, self.team, ()).describe()
        span = f"from version {self.version} to " + (
            f"version {self.to}" if self.to is not None else "the new one"
        )
        if self.impacts is None:
            return f"{who} consumes version {self.version}, which is purged: cannot compare"
        if not self.impacts:
            return f"{who} consumes version {self.version}: {span}, nothing it reads changes"
        changed = ", ".join(f"{i.field or '/'} ({i.type})" for i in self.impacts)
        return f"{who} consumes version {self.version}: {span}, it is affected by {changed}"

    def to_dict(self) -> dict[str, Any]:
        """{name, team, version, to, differences: [{type, pointer, field, consumers,
        summary}] or None, summary}."""
        impacts = self.impacts
        return {
            "name": self.name,
            "team": self.team,
            "version": self.version,
            "to": self.to,
            "differences": None if impacts is None else [i.to_dict() for i in impacts],
            "summary": self.summary,
        }


def pinned_elsewhere(reader: Reader, old: int | None, new: int | None) -> bool:
    """Whether a change from ``old`` to ``new`` (None: a candidate after every version) is
    judged for the reader by its own version rather than by the compared pair: it declares a
    version other than ``old`` and older than ``new`` (a consumer of ``new`` or later is not
    affected by the change at all: see ``concerned``)."""
    return reader.version is not None and reader.version != old and concerned(reader, new)


def concerned(reader: Reader, new: int | None) -> bool:
    """Whether a change that ends at version ``new`` can reach the reader: it follows the
    latest, or it consumes a version older than ``new``."""
    return reader.version is None or new is None or reader.version < new


def pinned(
    reader: Reader, differences: Iterable[tuple[str, str]] | None, new: int | None
) -> Pinned:
    """The reader's entry from the differences between its version and ``new`` (None: the
    version's schema is gone). Raises ValueError for a reader that declares no version."""
    if reader.version is None:
        raise ValueError(f"{reader.name} declares no version")
    if differences is None:
        return Pinned(reader.name, reader.team, reader.version, new, None)
    touched = tuple(i for i in impact(differences, [reader]) if i.consumers)
    return Pinned(reader.name, reader.team, reader.version, new, touched)


def impact(differences: Iterable[tuple[str, str]], readers: list[Reader]) -> list[Impact]:
    """For each (type, schema pointer) difference, in order, the consumers it touches."""
    found = []
    for kind, pointer in differences:
        field = payload_field(pointer)
        affected = []
        # The root's annotations (its title, description) describe no field a consumer reads.
        if field is not None and not (field == "" and kind in ANNOTATIONS):
            for reader in readers:
                hit = tuple(f for f in reader.fields if touches(field, f))
                if hit:
                    affected.append(Affected(reader.name, reader.team, hit))
        found.append(Impact(kind, pointer, field, tuple(affected)))
    return found
