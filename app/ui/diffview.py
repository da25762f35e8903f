"""Two versions' field tables side by side, each field marked added, removed or changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.schema import SchemaDocument
from app.ui.fields import FieldRow, field_rows

LEVELS = ("BACKWARD", "FORWARD", "FULL")


@dataclass
class DiffRow:
    """A field in either version, what happened to it, and the differences found there."""

    old: FieldRow | None
    new: FieldRow | None
    differences: list[dict[str, Any]] = field(default_factory=list)

    @property
    def row(self) -> FieldRow:
        """The field as the newer version has it (the older one if it was removed)."""
        return self.new or self.old  # type: ignore[return-value]

    @property
    def status(self) -> str:
        """added, removed, changed or unchanged."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.differences or self.old.signature() != self.new.signature():
            return "changed"
        return "unchanged"

    @property
    def verdicts(self) -> dict[str, bool] | None:
        """Per level, whether every difference at this field is compatible (None: none found)."""
        if not self.differences:
            return None
        return {
            level: all(d["verdicts"].get(level, True) for d in self.differences) for level in LEVELS
        }


def compare_fields(
    old_document: SchemaDocument,
    new_document: SchemaDocument,
    differences: list[dict[str, Any]],
    most: int | None = None,
) -> tuple[list[DiffRow], list[dict[str, Any]]]:
    """The merged field rows of both versions (the first ``most`` of each), and the differences
    no single field explains (a difference belongs to the field whose schema path, or whose
    definition's real place in the text, contains its path)."""
    old_rows = {row.schema_path: row for row in field_rows(old_document, most)}
    new_rows = {row.schema_path: row for row in field_rows(new_document, most)}
    order = _merged_order(list(old_rows), list(new_rows))
    rows = [DiffRow(old_rows.get(path), new_rows.get(path)) for path in order]
    unplaced = []
    for difference in differences:
        owners = _owners(rows, difference["path"])
        for row in owners:
            row.differences.append(difference)
        if not owners:
            unplaced.append(difference)
    return rows, unplaced


def _merged_order(old: list[str], new: list[str]) -> list[str]:
    """The new order, each removed field placed after the field it followed in the old version."""
    order = list(new)
    present = set(new)
    previous = None
    for path in old:
        if path not in present:
            at = order.index(previous) + 1 if previous in present else _first_child(order, path)
            order.insert(at, path)
            present.add(path)
        previous = path
    return order


def _first_child(order: list[str], path: str) -> int:
    parent = path.rsplit("/properties/", 1)[0]
    for index, candidate in enumerate(order):
        if candidate.startswith(parent + "/"):
            return index
    return len(order)


def _owners(rows: list[DiffRow], path: str) -> list[DiffRow]:
    """The rows of the deepest field (schema path or definition) that contains the path."""
    best, owners = -1, []
    for row in rows:
        for side in (row.old, row.new):
            if side is None:
                continue
            for prefix in (side.schema_path, side.origin):
                if prefix and (path == prefix or path.startswith(prefix + "/")):
                    if len(prefix) > best:
                        best, owners = len(prefix), [row]
                    elif len(prefix) == best and row not in owners:
                        owners.append(row)
    return owners
