"""Delta evidence: change lists, old/new pairs, old/new identifiers, renames and patches.

Forms recognised (each seen in published events, tests/data/real-events):
- change lists and change sets: `changedFields` (Salesforce CDC), `previous_attributes`
  (Stripe), `changes.title.from` (GitHub), `changes.*.previous/current` (GitLab),
  `changelog.items` (Jira), `updatedFrom` (Linear), `updateDescription` (MongoDB change
  streams), `tags_added`/`tags_removed` (Zendesk);
- old/new pairs: `old`/`new`, `previous`/`current`, `previousX`/`currentX`, `oldX`/`newX`,
  and `previousX` beside `X`;
- old/new identifiers: the same pairs holding references (`oldAssigneeId`/`newAssigneeId`):
  the changed value is a relation, still a delta; bare hex tokens (git SHAs in `before`/`after`)
  are versions of the whole subject, not a change set;
- renames: a rename or move verb with a source/destination, from/to or old/new pair;
- patches: JSON Patch (RFC 6902) `[{op, path}]`, `application/merge-patch+json` (RFC 7396),
  and a request made with the `PATCH` verb (Kubernetes audit `verb: patch`).
Pairs of objects with similar keys (Debezium `before`/`after`, DynamoDB `OldImage`/`NewImage`,
Slack `previous_message`/`message`) are complete images: full state, not a delta.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .fields import Field
from .names import is_identifier_name, looks_like_id_value, norm

DELTA_NAMES = {
    "changedfields",
    "updatedfields",
    "modifiedfields",
    "removedfields",
    "changedattributes",
    "changedproperties",
    "updatedproperties",
    "changes",
    "changelog",
    "changeset",
    "previous",
    "previousattributes",
    "previousvalues",
    "previousvalue",
    "updatedfrom",
    "changedfrom",
    "updatedescription",
    "configurationitemdiff",
    "old",
    "oldvalue",
    "oldvalues",
    "olddata",
    "prior",
    "diff",
    "delta",
    "patch",
    "mergepatch",
    "jsonpatch",
    "updatemask",
    "fieldmask",
    "nulledfields",
    "difffields",
    "updateddata",
}
# Pairs that, side by side, hold one value twice: a change, even when the value is an object
# (`previous`/`current` addresses, `previousPrice`/`currentPrice` money).
VALUE_PAIRS = (
    ("old", "new"),
    ("oldvalue", "newvalue"),
    ("previous", "current"),
    ("fromstring", "tostring"),
    ("olddata", "newdata"),
    ("previousvalue", "currentvalue"),
    ("previousvalue", "updatedvalue"),
)
# Pairs naming two states of the record itself: complete images when their keys agree.
IMAGE_PAIRS = (("before", "after"), ("oldimage", "newimage"))
_OLD_PREFIXES = ("previous", "prior", "old", "before")
_NEW_PREFIXES = ("current", "new", "after", "updated")
# Only with a rename or move verb: elsewhere source/destination name a copy or a route.
_RENAME_PAIRS = (("source", "destination"), ("from", "to"), ("old", "new"))
_RENAME_WORDS = ("rename", "move")
_VERB_NAMES = {"api", "action", "operation", "operationtype", "type", "eventtype", "eventname"}
_PATCH_VERB_NAMES = {"verb", "method", "httpmethod", "requestmethod"}
_MERGE_PATCH_TYPE = "application/merge-patch+json"


@dataclass
class Changes:
    """Pointers of each form of change evidence found in one set of fields."""

    markers: list[str] = field(default_factory=list)  # change lists, value pairs, patches
    id_pairs: list[str] = field(default_factory=list)  # old/new identifiers
    renames: list[str] = field(default_factory=list)
    patch_requests: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # complete before/after states


def find_changes(fields: list[Field]) -> Changes:
    """Gather every form of change evidence from flattened schema or sample fields."""
    found = Changes(markers=delta_markers(fields))
    children = _children(fields)
    renaming = any(_says_rename(f) for f in fields)
    for parent, members in children.items():
        for pair in _pairs(members):
            _judge(pair, children, parent or "/", found)
        if renaming:
            found.renames += _rename_pairs(members)
        found.markers += _added_removed(members)
    found.patch_requests = [f.pointer for f in fields if _is_patch_verb(f)]
    return found


def _empty(value: Any) -> bool:
    return value is None or value in ([], {}, "")


def _hex(value: Any) -> bool:
    return (
        isinstance(value, str)
        and len(value) >= 7
        and all(c in "0123456789abcdef" for c in value.lower())
    )


def delta_markers(fields: list[Field]) -> list[str]:
    """Pointers of named change sets (changedFields, previous_attributes, updateMask, …) and
    of JSON Patch or merge-patch documents; empty change lists and version tokens are inert."""
    found = []
    for f in fields:
        inert = f.has_value and (_empty(f.value) or _hex(f.value) or looks_like_id_value(f.value))
        named = norm(f.name) in DELTA_NAMES and not inert
        if named or _is_json_patch(f) or f.node.get("contentMediaType") == _MERGE_PATCH_TYPE:
            found.append(f.pointer)
    return found


def _is_json_patch(f: Field) -> bool:
    if f.has_value:
        value = f.value
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(op, dict) and {"op", "path"} <= op.keys() for op in value)
        )
    items = f.node.get("items") if f.kind == "array" else None
    props = items.get("properties") if isinstance(items, dict) else None
    return isinstance(props, dict) and {"op", "path"} <= props.keys()


def _children(fields: list[Field]) -> dict[str, dict[str, Field]]:
    by_parent: dict[str, dict[str, Field]] = defaultdict(dict)
    for f in fields:
        parent = f.pointer.rsplit("/", 1)[0]
        by_parent[parent][norm(f.name)] = f
    return by_parent


def _pairs(members: dict[str, Field]) -> list[tuple[Field, Field, bool]]:
    """Old/new pairs among one object's members, each with whether it may be two images."""
    out = [(members[o], members[n], False) for o, n in VALUE_PAIRS if {o, n} <= members.keys()]
    out += [(members[o], members[n], True) for o, n in IMAGE_PAIRS if {o, n} <= members.keys()]
    taken = {id(f) for pair in out for f in pair[:2]}
    for key, member in members.items():
        old = next((p for p in _OLD_PREFIXES if key.startswith(p) and len(key) > len(p)), None)
        if old is None or id(member) in taken:
            continue
        suffix = key[len(old) :]
        partner = next((members[n + suffix] for n in _NEW_PREFIXES if n + suffix in members), None)
        if partner is not None:
            out.append((member, partner, False))
        elif suffix in members:
            # `previous_message` beside `message`, `priorAsset` beside `asset`: the bare name is
            # the record itself, so the pair may be two complete images.
            out.append((member, members[suffix], True))
    return out


def _judge(pair: tuple[Field, Field, bool], children: dict, parent: str, found: Changes) -> None:
    old, new, images = pair
    if images and (old.pointer in children or new.pointer in children):
        _judge_images(old, new, children, parent, found)  # a null side: a create or a delete
    elif _hex(old.value) and _hex(new.value):
        return  # git SHAs and similar: versions of the whole subject, not a change set
    elif _reference(old) and _reference(new):
        found.id_pairs.append(old.pointer)
    else:
        found.markers.append(old.pointer)


def _reference(f: Field) -> bool:
    return is_identifier_name(f.name) or looks_like_id_value(f.value)


def _judge_images(old: Field, new: Field, children: dict, parent: str, found: Changes) -> None:
    keysets = [set(children[f.pointer]) for f in (old, new) if f.pointer in children]
    if not keysets:
        return
    if len(keysets) == 2 and not _similar(*keysets):
        found.markers.append(old.pointer)  # partial images: only what changed
    elif max(len(k) for k in keysets) >= 2:
        found.images.append(parent)


def _similar(a: set[str], b: set[str]) -> bool:
    union = a | b
    return not union or len(a & b) / len(union) >= 0.6


def _says_rename(f: Field) -> bool:
    if not (f.has_value and isinstance(f.value, str)):
        return False
    value = f.value.lower()
    return norm(f.name) in _VERB_NAMES and any(word in value for word in _RENAME_WORDS)


def _rename_pairs(members: dict[str, Field]) -> list[str]:
    found = []
    for old, new in _RENAME_PAIRS:
        for key, member in members.items():
            suffix = key[len(old) :] if key.startswith(old) else None
            if suffix is not None and new + suffix in members and not _empty(member.value):
                found.append(member.pointer)
    return found


def _added_removed(members: dict[str, Field]) -> list[str]:
    """`tags_added`/`tags_removed`, `addedLabels`/`removedLabels`: a change list in two parts
    (both parts must be there: `addedAt` alone is a time, not a change list)."""
    found = []
    for key, member in members.items():
        stems = {key.removeprefix("added"), key.removesuffix("added")} - {key, ""}
        for stem in stems:
            partners = [members[k] for k in ("removed" + stem, stem + "removed") if k in members]
            if partners and not all(f.has_value and _empty(f.value) for f in [member, *partners]):
                found.append(member.pointer)
    return found


def _is_patch_verb(f: Field) -> bool:
    return (
        norm(f.name) in _PATCH_VERB_NAMES
        and isinstance(f.value, str)
        and f.value.upper() == "PATCH"
    )
