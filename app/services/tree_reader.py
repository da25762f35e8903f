"""Read a schemas-as-code folder into a CatalogSpec, collecting every problem with its file."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.config import SCHEMAS
from app.core.analysis import validate_rules
from app.core.canonical import CanonicalJSONError, parse_json
from app.core.routing.model import stated_scope
from app.core.schema import Dialect, InvalidSchema, Reference, SchemaDocument
from app.core.times import normal_time
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
from app.core.tree_references import referenced_event
from app.core.validation import validate_event
from app.core.vocabulary import is_event_name, is_sample_name, is_slug, sample_expects_valid

FORMAT_SCHEMAS = SCHEMAS / "catalog"
_VERSION_FILE = re.compile(r"^v([1-9][0-9]*)\.json$")


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that leaves times as the text they are written in: the format schemas
    check them as RFC 3339 strings, quoted (as exports write them) or not."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    _References(reader, catalog).check()
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
            # _Loader is a SafeLoader: no Python objects are ever built from the file.
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
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
        catalog.mode = data.get("mode")
        catalog.compatibility_group = data.get("compatibility_group")
        catalog.subject_settings = list(data.get("subject_settings", []))
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
                BusSpec(
                    b["slug"],
                    folder.name,
                    b["router"],
                    b.get("description", ""),
                    # As the registry stores it (each once, sorted), so a plan compares equal.
                    tuple(sorted(set(b.get("publishers", [])))),
                )
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
        versions, purged = self.read_versions(folder, data or {})
        samples = self.read_samples(folder / "samples", (data or {}).get("samples", []))
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
            lifecycle=data.get("lifecycle"),
            versions=versions,
            samples=samples,
            purged=purged,
            subjects=tuple(data.get("subjects", [])),
            mode=data.get("mode"),
            compatibility_group=data.get("compatibility_group"),
        )

    def read_versions(
        self, folder: Path, data: dict[str, Any]
    ) -> tuple[tuple[VersionSpec, ...], tuple[int, ...]]:
        """The version files with their history from event.yaml, and the purged numbers."""
        files = self._version_files(folder)
        entries: dict[int, dict[str, Any]] = {}
        for entry in data.get("versions", []):
            if entry["version"] in entries:
                message = f"version {entry['version']} is listed twice"
                self.problem(folder / "event.yaml", message, "/versions")
            entries[entry["version"]] = entry
        purged = tuple(sorted(n for n, entry in entries.items() if entry.get("purged")))
        self._check_numbers(folder, files, entries, purged)
        versions = []
        for number in sorted(files):
            version = self._version(files[number], number, entries.get(number, {}))
            if version is not None:
                versions.append(version)
        return tuple(versions), tuple(n for n in purged if n not in files)

    def _version_files(self, folder: Path) -> dict[int, Path]:
        files = {}
        for path in folder.glob("v*.json"):
            match = _VERSION_FILE.match(path.name)
            if match is None:
                self.problem(path, "version files are named v1.json, v2.json, …")
            else:
                files[int(match.group(1))] = path
        return files

    def _check_numbers(
        self, folder: Path, files: dict[int, Path], entries: dict[int, Any], purged: tuple[int, ...]
    ) -> None:
        """Every number from 1 to the last is a file or a purged entry (a gap is a lost file)."""
        numbers = set(files) | set(purged)
        missing = [n for n in range(1, max(numbers, default=0) + 1) if n not in numbers]
        if missing:
            names = ", ".join(f"v{n}.json" for n in missing)
            self.problem(
                folder,
                f"versions must be numbered from v1.json without gaps; missing {names} (a number "
                "deleted permanently is listed in event.yaml's versions with purged: true)",
            )
        for number in sorted(set(purged) & set(files)):
            message = f"version {number} is listed as purged, but v{number}.json exists"
            self.problem(folder / "event.yaml", message, "/versions")
        for number in sorted(set(entries) - set(files) - set(purged)):
            self.problem(
                folder / "event.yaml",
                f"notes for version {number}, but v{number}.json does not exist",
                "/versions",
            )

    def _version(self, path: Path, number: int, entry: dict[str, Any]) -> VersionSpec | None:
        ok, schema = self.json_file(path)
        if not ok:
            return None
        dialect = entry.get("dialect")
        references = tuple(entry.get("references", []))
        document = None
        try:
            # One with references is checked once the versions they name are read.
            if not references:
                document = SchemaDocument.checked(schema, Dialect(dialect) if dialect else None)
        except InvalidSchema as error:
            for schema_problem in error.problems:
                self.problem(path, schema_problem.message, schema_problem.pointer)
        yaml_path = path.parent / "event.yaml"
        return VersionSpec(
            number,
            schema,
            self.rel(path),
            entry.get("note", ""),
            entry.get("author", ""),
            document,
            created_at=self.time(yaml_path, entry.get("created_at"), "/versions"),
            deleted_at=self.time(yaml_path, entry.get("deleted_at"), "/versions"),
            dialect=dialect,
            guid=entry.get("guid"),
            references=references,
            metadata=entry.get("metadata"),
            rule_set=entry.get("rule_set"),
            lifecycle=entry.get("lifecycle"),
        )

    def time(self, path: Path, text: str | None, pointer: str) -> str | None:
        """An RFC 3339 time in its one UTC spelling; None (and a problem) when it is not one."""
        if text is None:
            return None
        try:
            return normal_time(text)
        except ValueError as error:
            self.problem(path, f"not an RFC 3339 time with a zone: {error}", pointer)
            return None

    def read_samples(self, folder: Path, entries: list[dict[str, Any]]) -> tuple[SampleSpec, ...]:
        times = {entry["name"]: entry["created_at"] for entry in entries}
        samples = self._sample_files(folder, times) if folder.is_dir() else ()
        for name in sorted(set(times) - {sample.name for sample in samples}):
            message = f"sample {name!r} is listed, but samples/{name}.json does not exist"
            self.problem(folder.parent / "event.yaml", message, "/samples")
        return samples

    def _sample_files(self, folder: Path, times: dict[str, str]) -> tuple[SampleSpec, ...]:
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
                created = self.time(folder.parent / "event.yaml", times.get(path.stem), "/samples")
                samples.append(
                    SampleSpec(path.stem, payload, expect_valid, self.rel(path), created)
                )
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
                    scope=stated_scope(item.get("scope")),
                    fields=tuple(item.get("fields", [])),
                    version=item.get("version"),
                    calls_back=item.get("calls_back", False),
                    description=item.get("description", ""),
                    created_at=self.time(path, item.get("created_at"), f"/consumers/{index}"),
                )
            )


class _References:
    """Checks the versions that have references, each with the documents of the versions of
    the tree its references name (checked first, transitively), and puts the documents in."""

    def __init__(self, reader: _Reader, catalog: CatalogSpec) -> None:
        self.reader = reader
        self.catalog = catalog
        self.documents: dict[tuple[str, int], SchemaDocument | None] = {}
        self.open: set[tuple[str, int]] = set()

    def check(self) -> None:
        for event in self.catalog.events:
            for version in event.versions:
                self.document(event, version)
        self.catalog.events = [
            replace(
                event,
                versions=tuple(
                    replace(version, document=self.documents[(event.ref, version.number)])
                    if version.references
                    else version
                    for version in event.versions
                ),
            )
            for event in self.catalog.events
        ]

    def document(self, event: EventSpec, version: VersionSpec) -> SchemaDocument | None:
        """The version's checked document; None when it (or a version it uses) has problems."""
        if not version.references:
            return version.document
        key = (event.ref, version.number)
        if key in self.documents:
            return self.documents[key]
        where = f"{event.path}/event.yaml"
        if key in self.open:
            message = f"version {version.number}'s references lead back to it"
            self.reader.problems.append(Problem(where, message, "/versions"))
            return None
        self.open.add(key)
        found = [self.reference(event, version, each) for each in version.references]
        document = None
        if all(each is not None for each in found):
            dialect = Dialect(version.dialect) if version.dialect else None
            try:
                document = SchemaDocument.checked(version.schema, dialect, found)
            except InvalidSchema as error:
                for problem in error.problems:
                    self.reader.problems.append(
                        Problem(version.path, problem.message, problem.pointer)
                    )
        self.open.discard(key)
        self.documents[key] = document
        return document

    def reference(self, event: EventSpec, version: VersionSpec, named: dict) -> Reference | None:
        target = self.target(named["subject"])
        used = None
        if target is not None:
            used = next((each for each in target.versions if each.number == named["version"]), None)
        if used is None:
            self.reader.problems.append(
                Problem(
                    f"{event.path}/event.yaml",
                    f"version {version.number}: the reference {named['name']!r} names "
                    f"{named['subject']} version {named['version']}, which is not in the tree",
                    "/versions",
                )
            )
            return None
        document = self.document(target, used)
        if document is None:
            return None
        return Reference(named["name"], named["subject"], named["version"], document)

    def target(self, subject: str) -> EventSpec | None:
        """The event a subject names: one that binds it, else ``<domain>.<EventName>``."""
        return referenced_event(subject, self.catalog.events)


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
