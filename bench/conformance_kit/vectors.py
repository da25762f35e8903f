"""Reading the third-party vectors in place (never copied): Confluent, Karapace, the JSON Schema
test suite."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

CONFLUENT_FILES = (
    "diff-schema-examples.json",
    "diff-schema-examples-2020-12.json",
    "diff-combined-schema-examples.json",
    "diff-combined-schema-examples-2020-12.json",
    "derived-jsonschematest-policy-cases.json",
)
DRAFTS = {
    # folder: (EVENTRY_DEFAULT_DIALECT value, the draft's meta-schema URI)
    "draft4": ("draft-04", "http://json-schema.org/draft-04/schema#"),
    "draft6": ("draft-06", "http://json-schema.org/draft-06/schema#"),
    "draft7": ("draft-07", "http://json-schema.org/draft-07/schema#"),
    "draft2019-09": ("2019-09", "https://json-schema.org/draft/2019-09/schema"),
    "draft2020-12": ("2020-12", "https://json-schema.org/draft/2020-12/schema"),
}
REMOTE = "http://localhost:1234/"
DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})


@dataclass(frozen=True)
class Pair:
    """One compatibility question: is `new` BACKWARD compatible with `old`?"""

    source: str
    label: str
    old: Any
    new: Any
    strict: bool
    lenient: bool | None = None  # None: the source has no lenient expectation
    changes: tuple[str, ...] | None = None  # Confluent's difference type names


@dataclass(frozen=True)
class Group:
    """One group of the JSON Schema test suite."""

    draft: str
    file: str
    description: str
    schema: Any
    tests: list[dict]


def load_json(path: Path) -> Any:
    """Parse a vector file, tolerating the trailing commas of the 2020-12 Confluent file."""
    text = path.read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def confluent_pairs(base: Path, limit: int | None = None) -> list[Pair]:
    """Every Confluent case of the five files, then the recursive schema against itself."""
    pairs = []
    for name in CONFLUENT_FILES:
        data = load_json(base / "confluent" / name)
        cases = data["cases"] if isinstance(data, dict) else data
        for case in cases[:limit]:
            pairs.append(
                Pair(
                    source="confluent/" + name,
                    label=case["description"],
                    old=case["original_schema"],
                    new=case["update_schema"],
                    strict=case["compatible"],
                    lenient=case.get("compatible_lenient", case["compatible"]),
                    changes=_names(case),
                )
            )
    recursive = load_json(base / "confluent" / "other" / "recursive-schema.json")
    pairs.append(
        Pair(
            "confluent/other/recursive-schema.json",
            "recursive schema vs itself",
            recursive,
            recursive,
            strict=True,
            lenient=True,
            changes=(),
        )
    )
    return pairs


def _names(case: dict) -> tuple[str, ...] | None:
    """The difference type names of a case's `changes` ("TYPE #/path"); None when it has none."""
    if "changes" not in case:
        return None
    return tuple(change.split(" ")[0] for change in case["changes"])


KARAPACE_SCORED = "karapace (scored)"
KARAPACE_EXCLUDED = "karapace (excluded 68)"


def karapace_excluded(case: dict) -> bool:
    """The README's 68: Karapace says incompatible although the reader accepts everything
    (`true`/`{}`) or the writer accepts nothing (`false`)."""
    accepts_all = case["reader"] is True or case["reader"] == {}
    return (accepts_all or case["writer"] is False) and not case["expected_compatible"]


def karapace_pairs(base: Path, limit: int | None = None) -> list[Pair]:
    """Karapace's cases: writer = old, reader = new; the excluded 68 under their own source."""
    cases = load_json(base / "karapace" / "cases.json")[:limit]
    return [
        Pair(
            KARAPACE_EXCLUDED if karapace_excluded(case) else KARAPACE_SCORED,
            case["name"],
            case["writer"],
            case["reader"],
            strict=case["expected_compatible"],
        )
        for case in cases
    ]


def suite_groups(
    base: Path, draft: str, files: list[str] | None = None
) -> tuple[list[Group], list[Group]]:
    """A draft's required groups, split into (kept, left out because they need the remote)."""
    folder = base / "json-schema-test-suite" / draft
    kept, remote = [], []
    for path in sorted(folder.glob("*.json")):
        if files and path.name not in files:
            continue
        for raw in load_json(path):
            group = Group(draft, path.name, raw["description"], raw["schema"], raw["tests"])
            needs = path.name == "refRemote.json" or needs_remote(raw["schema"], draft)
            (remote if needs else kept).append(group)
    return kept, remote


def needs_remote(schema: Any, draft: str) -> bool:
    """Whether the schema refers to a localhost:1234 resource that it does not define itself."""
    defined: set[str] = set()
    wanted: set[str] = set()
    _walk(schema, "", "id" if draft == "draft4" else "$id", defined, wanted)
    return any(uri.startswith(REMOTE) and uri not in defined for uri in wanted)


def _walk(node: Any, base: str, id_key: str, defined: set[str], wanted: set[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, base, id_key, defined, wanted)
        return
    if not isinstance(node, dict):
        return
    if isinstance(node.get(id_key), str):
        base = urljoin(base, node[id_key])
        defined.add(urldefrag(base).url)
    for key in ("$ref", "$dynamicRef", "$recursiveRef", "$schema"):
        if isinstance(node.get(key), str):
            wanted.add(urldefrag(urljoin(base, node[key])).url)
    for key, value in node.items():
        if key not in DATA_KEYWORDS:
            _walk(value, base, id_key, defined, wanted)


def with_dialect(schema: Any, draft: str) -> Any:
    """The schema with its draft's `$schema` added at an object root that has none."""
    if isinstance(schema, dict) and "$schema" not in schema:
        return {"$schema": DRAFTS[draft][1], **schema}
    return schema
