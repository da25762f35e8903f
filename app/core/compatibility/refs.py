"""Schema documents: draft detection, local `$ref` resolution and a one-pass scan."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

DRAFT4, DRAFT6, DRAFT7, DRAFT2019, DRAFT2020 = 4, 6, 7, 2019, 2020
_DRAFT_MARKERS = (
    ("draft-04", DRAFT4),
    ("draft-06", DRAFT6),
    ("draft-07", DRAFT7),
    ("2019-09", DRAFT2019),
    ("2020-12", DRAFT2020),
)
REF_KEYS = ("$ref", "$recursiveRef", "$dynamicRef")
# Keywords whose values are data, not schemas: never scanned for references.
_VALUE_KEYS = frozenset(("enum", "const", "default", "examples"))


def detect_draft(raw: Any) -> int:
    """Return the draft named by the root `$schema`; draft-07 when absent or unknown."""
    uri = raw.get("$schema") if isinstance(raw, dict) else None
    if isinstance(uri, str):
        for marker, draft in _DRAFT_MARKERS:
            if marker in uri:
                return draft
    return DRAFT7


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_has_bool(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bool(v) for v in value)
    return False


class Document:
    """One schema document: its draft, its nodes (built lazily) and its references."""

    def __init__(self, raw: Any) -> None:
        if not isinstance(raw, (dict, bool)):
            raise ValueError(
                f"A schema must be a JSON object or a boolean, not {type(raw).__name__}."
            )
        self.raw = raw
        self.draft = detect_draft(raw)
        self.nodes: dict[int, Any] = {}
        self._plain: dict[int, bool] = {}
        self._anchors: dict[str, Any] = {}
        root_id = raw.get("$id", raw.get("id")) if isinstance(raw, dict) else None
        self._base = root_id.split("#")[0] if isinstance(root_id, str) else ""
        refs: list[str] = []
        self._scan(raw, refs)
        for ref in refs:
            self.resolve(ref)

    def _scan(self, value: Any, refs: list[str]) -> bool:
        """Collect refs and anchors; return True when the subtree is plain (no refs, no bools)."""
        if isinstance(value, list):
            return all([self._scan(v, refs) for v in value])
        if not isinstance(value, dict):
            return True
        plain = True
        for key, sub in value.items():
            if key in _VALUE_KEYS:
                plain = plain and not _has_bool(sub)
            elif key in REF_KEYS and isinstance(sub, str):
                refs.append(sub)
                plain = False
            elif key == "$anchor" and isinstance(sub, str):
                self._anchors[sub] = value
            elif key in ("$id", "id") and isinstance(sub, str) and sub.startswith("#"):
                self._anchors[sub[1:]] = value
            elif isinstance(sub, (dict, list)):
                plain = self._scan(sub, refs) and plain
        self._plain[id(value)] = plain
        return plain

    def is_plain(self, raw: Any) -> bool:
        """Tell whether raw holds no reference and no boolean literal (safe for == shortcuts)."""
        return isinstance(raw, bool) or self._plain.get(id(raw), False)

    def resolve(self, ref: str) -> Any:
        """Return the raw schema a local reference points to, or raise ValueError."""
        target = ref
        if self._base and target.startswith(self._base):
            target = target[len(self._base) :]
        if not target.startswith("#"):
            raise ValueError(
                f"Cannot resolve $ref {ref!r}: only local references ('#...') are supported; "
                "remote schemas are never fetched."
            )
        fragment = unquote(target[1:])
        if fragment and not fragment.startswith("/"):
            if fragment in self._anchors:
                return self._anchors[fragment]
            raise ValueError(f"Cannot resolve $ref {ref!r}: no schema declares that anchor.")
        return self._walk_pointer(ref, fragment)

    def _walk_pointer(self, ref: str, pointer: str) -> Any:
        current = self.raw
        for part in pointer.split("/")[1:]:
            token = part.replace("~1", "/").replace("~0", "~")
            if isinstance(current, dict) and token in current:
                current = current[token]
            elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
                current = current[int(token)]
            else:
                raise ValueError(f"Cannot resolve $ref {ref!r}: nothing at that location.")
        if not isinstance(current, (dict, bool)):
            raise ValueError(f"Cannot resolve $ref {ref!r}: the target is not a schema.")
        return current
