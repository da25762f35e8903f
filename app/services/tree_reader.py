"""Read a schemas-as-code folder into a CatalogSpec, collecting every problem with its file."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.config import SCHEMAS
from app.core.analysis import validate_rules
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.schema import InvalidSchema, SchemaDocument
from app.core.tree import (
    BusSpec,
    CatalogSpec,
    ConsumerSpec,
    DomainSpec,
    EventSpec,
    Problem,
    SampleSpec,
    TeamSpec,
    VersionSpec,
    cross_check,
)
from app.core.validation import validate_event
from app.core.vocabulary import is_event_name, is_sample_name, is_slug, sample_expects_valid

FORMAT_SCHEMAS = SCHEMAS / "catalog"
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.json$")


@cache
def format_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema of a metadata file kind: registry, domain, event or consumers."""
    return json.loads((FORMAT_SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def format_document(name: str) -> SchemaDocument:
    """The metadata file format's schema as a document (Eventry's own: trusted, built once)."""
    return SchemaDocument.trusted(format_schema(name))


def read_tree(root: Path) -> tuple[CatalogSpec, list[Problem]]:
    """Read a whole tree; the catalogue is only usable when the problem list is empty."""
    catalog = CatalogSpec()
    if not root.is_dir():
        return catalog, [Problem(str(root), "is not a folder")]
    reader = _Reader(root)
    reader.read_registry(catalog)
    for folder in _subfolders(root):
        reader.read_domain(folder, catalog)
    reader.read_consumers(catalog)
    reader.read_rules(catalog)
    problems = reader.problems
    if not problems:
        problems.extend(cross_check(catalog))
    return catalog, problems


def _subfolders(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


class _Reader:
    """Reads files relative to a root and records their problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def problem(self, path: Path, message: str, pointer: str = "") -> None:
        self.problems.append(Problem(self.rel(path), message, pointer))

    def metadata(self, path: Path, kind: str, required: bool) -> dict[str, Any] | None:
        """Load a YAML metadata file and check it against its format schema."""
        if not path.is_file():
            if required:
                self.problem(path, f"missing: every {path.parent.name!r} folder needs one")
            return None
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.problem(path, f"not valid YAML: {_yaml_message(error)}")
            return None
        data = {} if data is None else data
        errors = validate_event(format_document(kind), data)
        for error in errors:
            self.problem(path, error.message, error.path)
        return None if errors else data

    def json_file(self, path: Path) -> tuple[bool, Any]:
        """Load a JSON file strictly; report and return (False, None) when it is not JSON."""
        try:
            return True, parse_json(path.read_bytes())
        except json.JSONDecodeError as error:
            self.problem(path, f"not valid JSON: {error}")
        except (CanonicalJSONError, UnicodeDecodeError) as error:
            self.problem(path, f"not valid JSON: {error}")
        return False, None

    def read_registry(self, catalog: CatalogSpec) -> None:
        data = self.metadata(self.root / "registry.yaml", "registry", required=False) or {}
        catalog.compatibility = data.get("compatibility")
        catalog.policy = data.get("policy")
        catalog.teams = [
            TeamSpec(t["slug"], t["name"], t.get("description", "")) for t in data.get("teams", [])
        ]

    def read_domain(self, folder: Path, catalog: CatalogSpec) -> None:
        if not is_slug(folder.name):
            self.problem(folder, "a domain folder's name is its slug: lowercase letters, digits, -")
            return
        data = self.metadata(folder / "domain.yaml", "domain", required=True)
        if data is not None:
            catalog.domains.append(
                DomainSpec(
                    folder.name,
                    data["name"],
                    data["owner"],
                    data.get("description", ""),
                    self.rel(folder / "domain.yaml"),
                )
            )
            catalog.buses.extend(
                BusSpec(b["slug"], folder.name, b["router"], b.get("description", ""))
                for b in data.get("buses", [])
            )
        for event_folder in _subfolders(folder):
            event = self.read_event(folder.name, event_folder)
            if event is not None:
                catalog.events.append(event)

    def read_event(self, domain: str, folder: Path) -> EventSpec | None:
        if not is_event_name(folder.name):
            self.problem(folder, "an event folder's name is the event's PascalCase name")
            return None
        data = self.metadata(folder / "event.yaml", "event", required=True)
        versions = self.read_versions(folder, data or {})
        samples = self.read_samples(folder / "samples")
        if data is None:
            return None
        return EventSpec(
            domain=domain,
            name=folder.name,
            path=self.rel(folder),
            bus=data.get("bus"),
            producer=data.get("producer", ""),
            aggregate=data.get("aggregate", ""),
            command=data.get("command", ""),
            description=data.get("description", ""),
            compatibility=data.get("compatibility"),
            policy=data.get("policy"),
            deprecated=data.get("deprecated", False),
            versions=versions,
            samples=samples,
        )

    def read_versions(self, folder: Path, data: dict[str, Any]) -> tuple[VersionSpec, ...]:
        files = {}
        for path in folder.glob("v*.json"):
            match = _VERSION_FILE.match(path.name)
            if match is None:
                self.problem(path, "version files are named v1.json, v2.json, …")
            else:
                files[int(match.group(1))] = path
        missing = [n for n in range(1, max(files, default=0) + 1) if n not in files]
        if missing:
            names = ", ".join(f"v{n}.json" for n in missing)
            self.problem(
                folder, f"versions must be numbered from v1.json without gaps; missing {names}"
            )
        notes = {entry["version"]: entry for entry in data.get("versions", [])}
        for number in sorted(set(notes) - set(files)):
            self.problem(
                folder / "event.yaml",
                f"notes for version {number}, but v{number}.json does not exist",
                "/versions",
            )
        versions = []
        for number in sorted(files):
            ok, schema = self.json_file(files[number])
            if not ok:
                continue
            document = None
            try:
                document = SchemaDocument.checked(schema)
            except InvalidSchema as error:
                for schema_problem in error.problems:
                    self.problem(files[number], schema_problem.message, schema_problem.pointer)
            note = notes.get(number, {})
            versions.append(
                VersionSpec(
                    number,
                    schema,
                    self.rel(files[number]),
                    note.get("note", ""),
                    note.get("author", ""),
                    document,
                )
            )
        return tuple(versions)

    def read_samples(self, folder: Path) -> tuple[SampleSpec, ...]:
        if not folder.is_dir():
            return ()
        samples = []
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.suffix != ".json":
                self.problem(path, "samples are .json files")
                continue
            ok, payload = self.json_file(path)
            if ok:
                if not is_sample_name(path.stem):
                    self.problem(path, "a sample's file name is letters, digits, '.', '_', '-'")
                    continue
                expect_valid = sample_expects_valid(path.stem)
                samples.append(SampleSpec(path.stem, payload, expect_valid, self.rel(path)))
        return tuple(samples)

    def read_rules(self, catalog: CatalogSpec) -> None:
        _read_rules(self, catalog)

    def read_consumers(self, catalog: CatalogSpec) -> None:
        path = self.root / "consumers.yaml"
        data = self.metadata(path, "consumers", required=False) or {}
        for index, item in enumerate(data.get("consumers", [])):
            catalog.consumers.append(
                ConsumerSpec(
                    name=item["name"],
                    bus=item["bus"],
                    path=self.rel(path),
                    pointer=f"/consumers/{index}",
                    team=item.get("team"),
                    event=item.get("event"),
                    pattern=item.get("pattern"),
                    fields=tuple(item.get("fields", [])),
                    calls_back=item.get("calls_back", False),
                    description=item.get("description", ""),
                )
            )


def _read_rules(reader: _Reader, catalog: CatalogSpec) -> None:
    path = reader.root / "rules.yaml"
    data = reader.metadata(path, "rules", required=False)
    if data is None:
        return
    problems = validate_rules(data["rules"])
    for problem in problems:
        reader.problem(path, problem, "/rules")
    if not problems:
        catalog.rules = data["rules"]


def _yaml_message(error: Exception) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is not None:
        return f"{problem} (line {mark.line + 1}, column {mark.column + 1})"
    return problem
