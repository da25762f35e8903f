"""`eventry import-confluent`: copy a Confluent Schema Registry's JSON Schema subjects into an
Eventry server through its Confluent-compatible API (``/ccompat``), keeping global ids, version
numbers, references, soft-deleted state and compatibility levels, as Confluent's and Redpanda's
importers do. docs/confluent-import.md is the user's guide.

The source is a Confluent-compatible REST API (``--from-url``) or a dump of the ``_schemas``
topic (``--from-file``, read by ``read_dump``). The work is three steps: read the source, read
what the target has of it, and make a plan (``make_plan``, pure); then run the plan with the
target in IMPORT mode, putting the mode back even when a step fails.
"""

from __future__ import annotations

import base64
import heapq
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from app.core.vocabulary import is_digits
from app.core.words import counted, plural

JSON_TYPE = "JSON"
# Confluent leaves out schemaType for Avro, its first and default type.
DEFAULT_TYPE = "AVRO"
MAX_RETRY_AFTER = 60
ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, " + (
    "application/json"
)
# The keytypes of the _schemas topic that say nothing this import copies.
IGNORED_KEYTYPES = {"NOOP", "MODE", "CONTEXT", "DELETE_CONTEXT"}

Key = tuple[str, int]


# --- talking to a registry ----------------------------------------------------------------


class Failure(Exception):
    """A request the registry refused (``status`` and Confluent's ``code``), or could not be
    sent (status 0)."""

    def __init__(self, method: str, path: str, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.method, self.path, self.status, self.code = method, path, status, code
        self.message = message

    def __str__(self) -> str:
        where = f"{self.method} {self.path}: "
        return (
            f"{where}{self.status} ({self.code}) {self.message}"
            if self.status
            else (where + self.message)
        )

    @property
    def fatal(self) -> bool:
        """Whether no later request can fare better: unreachable, or not allowed."""
        return self.status in (0, 401, 403)


class Endpoint:
    """A Confluent-compatible REST API at ``base``, with an Authorization header or none."""

    def __init__(self, base: str, authorization: str | None = None, timeout: float = 30) -> None:
        self.base = base.rstrip("/")
        self.authorization = authorization
        self.timeout = timeout

    def call(self, method: str, path: str, body: Any = None, retries: int = 3) -> Any:
        """Send one request and return its parsed JSON answer; raise Failure otherwise. A 429
        is sent again after its Retry-After, up to ``retries`` times."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", ACCEPT)
        if data is not None:
            request.add_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        if self.authorization:
            request.add_header("Authorization", self.authorization)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            wait = error.headers.get("Retry-After", "") if error.code == 429 else ""
            if is_digits(wait) and int(wait) <= MAX_RETRY_AFTER and retries > 0:
                time.sleep(int(wait))
                return self.call(method, path, body, retries - 1)
            code, message = _error_of(error)
            raise Failure(method, path, error.code, code, message) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise Failure(method, path, 0, 0, f"cannot reach {self.base}: {reason}") from None
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise Failure(method, path, 0, 0, "the answer is not JSON") from None

    def find(self, path: str) -> Any:
        """GET a document, or None when the registry answers 404 (no such subject, version or
        subject-level setting)."""
        try:
            return self.call("GET", path)
        except Failure as failure:
            if failure.status == 404:
                return None
            raise


def _error_of(error: urllib.error.HTTPError) -> tuple[int, str]:
    # Confluent's {"error_code", "message"}, or an RFC 9457 problem, or the bare reason.
    try:
        found = json.loads(error.read() or b"{}")
    except ValueError:
        found = {}
    if not isinstance(found, dict):
        found = {}
    code = found.get("error_code") if isinstance(found.get("error_code"), int) else error.code
    message = found.get("message") or found.get("detail") or str(error.reason)
    return code, str(message)


def _path(*parts: str | int) -> str:
    return "/" + "/".join(urllib.parse.quote(str(part), safe="") for part in parts)


def basic(user: str, password: str) -> str:
    """An HTTP Basic Authorization header."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --- the source -------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One version of a subject, as the source registry has it."""

    subject: str
    version: int
    id: int
    schema: str
    schema_type: str = JSON_TYPE
    references: tuple[dict[str, Any], ...] = ()
    metadata: Any = None
    rule_set: Any = None
    deleted: bool = False

    @property
    def key(self) -> Key:
        return (self.subject, self.version)

    def label(self) -> str:
        return f"{self.subject} version {self.version} (id {self.id})"

    def registration(self) -> dict[str, Any]:
        """The body of ``POST /subjects/{s}/versions`` in IMPORT mode."""
        body: dict[str, Any] = {"schema": self.schema, "schemaType": JSON_TYPE}
        body["references"] = [dict(each) for each in self.references]
        if self.metadata is not None:
            body["metadata"] = self.metadata
        if self.rule_set is not None:
            body["ruleSet"] = self.rule_set
        return {**body, "id": self.id, "version": self.version}


@dataclass
class Source:
    """What a registry holds: its versions, and its levels (by subject; None: the global one)."""

    versions: dict[Key, Version] = field(default_factory=dict)
    levels: dict[str | None, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class DumpError(ValueError):
    """A line of a ``_schemas`` dump that cannot be read."""


def read_dump(lines: Iterable[str], name: str = "dump") -> Source:
    """Replay a dump of the ``_schemas`` topic, one record a line, later records overriding
    earlier ones of the same key (as the topic's compaction does). Each line is either
    ``{"key": K, "value": V}`` (``payload`` is taken for ``value``, as kcat -J writes it; K and
    V are JSON objects or their JSON text, V null for a tombstone), or kafka-console-consumer's
    ``K<TAB>V`` (``--property print.key=true``; fields before K, such as a timestamp, are
    ignored). Blank lines and lines starting with ``#`` are skipped.

    Keys and values are Confluent's: SCHEMA (a version; a tombstone deletes it for good),
    CONFIG (a level; subject null for the global one), DELETE_SUBJECT (soft-deletes the
    subject's versions up to the value's version), CLEAR_SUBJECT (drops its soft-deleted
    versions); NOOP, MODE and CONTEXT records are ignored. Raises DumpError."""
    schemas: dict[Key, Version] = {}
    levels: dict[str | None, str] = {}
    ignored: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        text = line.strip().lstrip("\ufeff")
        if not text or text.startswith("#"):
            continue
        where = f"{name} line {number}"
        key, value = _record(text, where)
        kind = key.get("keytype")
        if kind == "SCHEMA":
            subject, version = _subject(key, where), _number(key.get("version"), "version", where)
            if value is None:
                schemas.pop((subject, version), None)
            else:
                schemas[(subject, version)] = _version(subject, version, value, where)
        elif kind == "CONFIG":
            subject = key.get("subject")
            if subject is not None and not isinstance(subject, str):
                raise DumpError(f"{where}: the key's subject must be a string or null")
            level = value.get("compatibilityLevel") if value is not None else None
            if level is None:
                levels.pop(subject, None)
            else:
                levels[subject] = str(level)
        elif kind == "DELETE_SUBJECT":
            if value is not None:
                subject = value.get("subject") or _subject(key, where)
                upto = _number(value.get("version"), "version", where)
                for (each, version), found in schemas.items():
                    if each == subject and version <= upto:
                        schemas[(each, version)] = replace(found, deleted=True)
        elif kind == "CLEAR_SUBJECT":
            if value is not None:
                subject = value.get("subject") or _subject(key, where)
                for each in [k for k, v in schemas.items() if k[0] == subject and v.deleted]:
                    del schemas[each]
        else:
            ignored[str(kind)] = ignored.get(str(kind), 0) + 1
    source = Source(versions=schemas, levels=levels)
    for kind, count in sorted(ignored.items()):
        if kind not in IGNORED_KEYTYPES:
            source.notes.append(f"ignored {counted(count, 'record')} of keytype {kind}")
        elif kind == "MODE":
            source.notes.append(f"ignored {counted(count, 'MODE record')}: modes are not copied")
    return source


def _record(text: str, where: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, dict) and "key" in whole:
        value = whole["value"] if "value" in whole else whole.get("payload")
        return _key(whole["key"], where), _value(value, where)
    fields = text.split("\t")
    if len(fields) < 2:
        raise DumpError(
            f'{where}: neither {{"key": …, "value": …}} nor a key and a value separated by a tab'
        )
    return _key(fields[-2], where), _value(fields[-1], where)


def _key(found: Any, where: str) -> dict[str, Any]:
    if isinstance(found, str):
        found = _parsed(found, "key", where)
    if not isinstance(found, dict):
        raise DumpError(f"{where}: the key must be a JSON object")
    return found


def _value(found: Any, where: str) -> dict[str, Any] | None:
    if isinstance(found, str):
        found = _parsed(found, "value", where)
    if found is not None and not isinstance(found, dict):
        raise DumpError(f"{where}: the value must be a JSON object or null")
    return found


def _parsed(text: str, what: str, where: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise DumpError(f"{where}: the {what} is not JSON ({error})") from None


def _subject(key: dict[str, Any], where: str) -> str:
    subject = key.get("subject")
    if not isinstance(subject, str) or not subject:
        raise DumpError(f"{where}: the key has no subject")
    return subject


def _number(found: Any, what: str, where: str) -> int:
    if isinstance(found, bool) or not isinstance(found, int):
        raise DumpError(f"{where}: {what} must be a whole number (got {found!r})")
    return found


def _version(subject: str, version: int, value: dict[str, Any], where: str) -> Version:
    """A version from a SCHEMA record's value or a ``GET /subjects/{s}/versions/{v}`` answer."""
    schema = value.get("schema")
    if schema is None:
        raise DumpError(f"{where}: no schema")
    references = value.get("references") or []
    if not isinstance(references, list) or not all(isinstance(r, dict) for r in references):
        raise DumpError(f"{where}: references must be a list of objects")
    return Version(
        subject=subject,
        version=version,
        id=_number(value.get("id"), "id", where),
        schema=schema if isinstance(schema, str) else json.dumps(schema),
        schema_type=str(value.get("schemaType") or DEFAULT_TYPE),
        references=tuple(references),
        metadata=value.get("metadata"),
        rule_set=value.get("ruleSet"),
        deleted=bool(value.get("deleted")),
    )


def read_registry(source: Endpoint) -> Source:
    """Read every subject (soft-deleted ones too), version and level of a Confluent-compatible
    registry. Raises Failure, DumpError (an answer without an id or schema)."""
    found = Source()
    for subject in source.call("GET", "/subjects?deleted=true") or []:
        every = source.find(_path("subjects", subject, "versions") + "?deleted=true") or []
        live = set(source.find(_path("subjects", subject, "versions")) or [])
        for number in every:
            body = source.call(
                "GET", _path("subjects", subject, "versions", number) + "?deleted=true"
            )
            where = f"{source.base} {subject} version {number}"
            version = _version(subject, number, body if isinstance(body, dict) else {}, where)
            found.versions[(subject, number)] = replace(version, deleted=number not in live)
        level = source.find(_path("config", subject) + "?defaultToGlobal=false")
        if level and level.get("compatibilityLevel"):
            found.levels[subject] = level["compatibilityLevel"]
    level = source.call("GET", "/config") or {}
    if level.get("compatibilityLevel"):
        found.levels[None] = level["compatibilityLevel"]
    return found


# --- the target -------------------------------------------------------------------------


@dataclass
class Target:
    """What the target has of the source's subjects: every version number of each, the (id,
    deleted) of those the source has too, and the levels (None: none of its own)."""

    listed: dict[str, set[int]] = field(default_factory=dict)
    versions: dict[str, dict[int, tuple[int, bool]]] = field(default_factory=dict)
    levels: dict[str | None, str | None] = field(default_factory=dict)


def read_target(target: Endpoint, wanted: dict[str, set[int]]) -> Target:
    """Read what the target has of these subjects and versions, and its levels."""
    found = Target()
    for subject, numbers in sorted(wanted.items()):
        every = target.find(_path("subjects", subject, "versions") + "?deleted=true") or []
        live = set(target.find(_path("subjects", subject, "versions")) or [])
        held = {}
        for number in sorted(numbers & set(every)):
            body = target.call(
                "GET", _path("subjects", subject, "versions", number) + "?deleted=true"
            )
            held[number] = (body["id"], number not in live)
        found.versions[subject] = held
        found.listed[subject] = set(every)
        level = target.find(_path("config", subject) + "?defaultToGlobal=false") if every else None
        found.levels[subject] = level.get("compatibilityLevel") if level else None
    found.levels[None] = (target.call("GET", "/config") or {}).get("compatibilityLevel")
    return found


# --- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelChange:
    """A compatibility level to set: a subject's, or (subject None) the global one."""

    subject: str | None
    level: str
    was: str | None

    def describe(self) -> str:
        what = "global level" if self.subject is None else f"level of {self.subject}"
        return f"~ {what}: {self.level} (was {self.was or 'none'})"


@dataclass
class Plan:
    """What an import does, in order: registrations (dependencies first), soft deletes,
    levels; and what it found already there, skipped, or cannot do."""

    registrations: list[Version] = field(default_factory=list)
    deletions: list[Version] = field(default_factory=list)
    levels: list[LevelChange] = field(default_factory=list)
    # (subject, version) -> the keys it needs registered first
    needs: dict[Key, set[Key]] = field(default_factory=dict)
    # the source's version numbers of the subjects the target has no version of yet
    new_subjects: dict[str, set[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    subjects: int = 0
    present: int = 0
    skipped: list[str] = field(default_factory=list)
    skipped_subjects: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.registrations or self.deletions or self.levels)

    @property
    def written_subjects(self) -> list[str]:
        """The subjects whose versions the import writes, sorted."""
        return sorted({each.subject for each in self.registrations + self.deletions})


def wanted_subjects(source: Source) -> dict[str, set[int]]:
    """The JSON Schema subjects of the source, with their version numbers."""
    found: dict[str, set[int]] = {}
    for each in source.versions.values():
        if each.schema_type == JSON_TYPE:
            found.setdefault(each.subject, set()).add(each.version)
    return found


def make_plan(source: Source, target: Target) -> Plan:
    """Compare the source with what the target has of it, and order what is missing."""
    plan = Plan()
    json_versions = {k: v for k, v in source.versions.items() if v.schema_type == JSON_TYPE}
    _skip_other_types(source, plan)
    plan.subjects = len({subject for subject, _ in json_versions})
    register: dict[Key, Version] = {}
    for key, version in sorted(json_versions.items()):
        held = target.versions.get(version.subject, {}).get(version.version)
        if held is None:
            register[key] = version
            if version.deleted:
                plan.deletions.append(version)
            continue
        held_id, held_deleted = held
        if held_id != version.id:
            plan.errors.append(
                f"{version.label()}: the target has this version with id {held_id}; "
                "it is left as it is"
            )
        elif version.deleted and not held_deleted:
            plan.deletions.append(version)
        elif held_deleted and not version.deleted:
            plan.errors.append(
                f"{version.label()}: soft-deleted on the target but live in the source; "
                "a deleted version cannot be brought back"
            )
        else:
            plan.present += 1
    _order(plan, register, source)
    _plan_levels(plan, source, target, {subject for subject, _ in json_versions})
    for subject, numbers in sorted(wanted_subjects(source).items()):
        extra = sorted(target.listed.get(subject, set()) - numbers)
        if not target.listed.get(subject):
            plan.new_subjects[subject] = numbers
        elif extra:
            plan.notes.append(
                f"note: {subject} has {plural('version', len(extra))} {_numbers(extra)} on the "
                "target that the source has not; they are left as they are"
            )
    return plan


def _numbers(numbers: Iterable[int]) -> str:
    return ", ".join(str(each) for each in numbers)


def _skip_other_types(source: Source, plan: Plan) -> None:
    kinds: dict[str, dict[str, int]] = {}
    for each in source.versions.values():
        if each.schema_type != JSON_TYPE:
            counts = kinds.setdefault(each.subject, {})
            counts[each.schema_type] = counts.get(each.schema_type, 0) + 1
    for subject, counts in sorted(kinds.items()):
        types = ", ".join(f"{kind} ({counted(n, 'version')})" for kind, n in sorted(counts.items()))
        plan.skipped.append(
            f"skipped {subject}: schemaType {types}; Eventry keeps JSON Schema only"
        )
        if all(each.subject != subject for each in source.versions.values() if _is_json(each)):
            plan.skipped_subjects += 1


def _is_json(version: Version) -> bool:
    return version.schema_type == JSON_TYPE


def _order(plan: Plan, register: dict[Key, Version], source: Source) -> None:
    """Registrations in dependency order: each version after the subject's older versions and
    after the versions its references name; among those free to go, the lowest id first."""
    needs: dict[Key, set[Key]] = {key: set() for key in register}
    previous: dict[str, Key] = {}
    blocked: dict[Key, str] = {}
    for key in sorted(register):
        subject = key[0]
        if subject in previous:
            needs[key].add(previous[subject])
        previous[subject] = key
        for at, reference in enumerate(register[key].references):
            named = _referenced(reference, source)
            if named is None:
                continue
            found = source.versions.get(named)
            if found is not None and not _is_json(found):
                blocked[key] = (
                    f"references/{at} names {named[0]} version {named[1]}, a "
                    f"{found.schema_type} schema, which is not imported"
                )
            elif named in register:
                needs[key].add(named)
    waiting = {key: set(found) for key, found in needs.items()}
    dependents: dict[Key, list[Key]] = {}
    for key, found in needs.items():
        for each in found:
            dependents.setdefault(each, []).append(key)
    ready = [(register[k].id, k) for k, found in waiting.items() if not found]
    heapq.heapify(ready)
    while ready:
        _, key = heapq.heappop(ready)
        plan.registrations.append(register[key])
        for dependent in dependents.get(key, []):
            waiting[dependent].discard(key)
            if not waiting[dependent]:
                heapq.heappush(ready, (register[dependent].id, dependent))
    placed = {each.key for each in plan.registrations}
    for key in sorted(set(register) - placed):
        plan.errors.append(f"{register[key].label()}: its references form a cycle")
    plan.needs = needs
    # A version whose reference cannot be imported fails, and so do the versions after it.
    for key, why in sorted(blocked.items()):
        plan.errors.append(f"{register[key].label()}: {why}")
    failed = _dependents_of(set(blocked), dependents)
    plan.registrations = [each for each in plan.registrations if each.key not in failed]
    plan.deletions = [each for each in plan.deletions if each.key not in failed]
    for key in sorted(failed - set(blocked)):
        plan.errors.append(f"{register[key].label()}: not imported, it needs a version above")


def _dependents_of(keys: set[Key], dependents: dict[Key, list[Key]]) -> set[Key]:
    found, todo = set(keys), list(keys)
    while todo:
        for each in dependents.get(todo.pop(), []):
            if each not in found:
                found.add(each)
                todo.append(each)
    return found


def _referenced(reference: dict[str, Any], source: Source) -> Key | None:
    """The (subject, version) a reference names in the source; version -1 is the latest."""
    subject, number = reference.get("subject"), reference.get("version")
    if not isinstance(subject, str) or isinstance(number, bool) or not isinstance(number, int):
        return None
    if number > 0:
        return (subject, number)
    numbers = [v for (s, v), each in source.versions.items() if s == subject and not each.deleted]
    return (subject, max(numbers)) if numbers else None


def _plan_levels(plan: Plan, source: Source, target: Target, json_subjects: set[str]) -> None:
    for subject, level in sorted(source.levels.items(), key=lambda item: item[0] or ""):
        if subject is None:
            continue
        if subject not in json_subjects:
            if all(each.subject != subject for each in source.versions.values()):
                plan.skipped.append(
                    f"skipped the level of {subject} ({level}): the subject has no versions"
                )
            continue
        if target.levels.get(subject) != level:
            plan.levels.append(LevelChange(subject, level, target.levels.get(subject)))
    level = source.levels.get(None)
    if level is not None and target.levels.get(None) != level:
        plan.levels.append(LevelChange(None, level, target.levels.get(None)))


# --- running it -------------------------------------------------------------------------


class ImportMode:
    """Puts the target (or each written subject) into IMPORT mode, and back as it was."""

    def __init__(self, target: Endpoint, subjects: list[str] | None, force: bool) -> None:
        self.target = target
        self.subjects = subjects  # None: the registry-wide mode
        self.query = "?force=true" if force else ""
        self.restore_steps: list[tuple[str, str, Any]] = []

    def enter(self) -> list[str]:
        """Switch; return what was switched, for the output. Raises Failure."""
        if self.subjects is None:
            before = (self.target.call("GET", "/mode") or {}).get("mode")
            if before == "IMPORT":
                return []
            self._put("/mode", before, "the target registry has subjects already")
            self.restore_steps.append(("PUT", "/mode", {"mode": before}))
            return [f"~ target registry mode: IMPORT (was {before})"]
        switched = []
        for subject in self.subjects:
            path = _path("mode", subject)
            own = self.target.find(path + "?defaultToGlobal=false")
            before = own.get("mode") if own else None
            if before == "IMPORT":
                continue
            self._put(path, before, f"{subject} has versions on the target already")
            undo = ("DELETE", path, None) if before is None else ("PUT", path, {"mode": before})
            self.restore_steps.append(undo)
            switched.append(f"~ mode of {subject}: IMPORT (was {before or 'none'})")
        return switched

    def _put(self, path: str, before: str | None, why_force: str) -> None:
        try:
            self.target.call("PUT", path + self.query, {"mode": "IMPORT"})
        except Failure as failure:
            if failure.code == 42205 and not self.query:
                failure.message += f" ({why_force}: pass --force to import beside them)"
            raise

    def restore(self, echo: Callable[[str], None]) -> list[str]:
        """Put every mode back, the last switched first; return the failures."""
        problems = []
        for method, path, body in reversed(self.restore_steps):
            try:
                self.target.call(method, path, body)
            except Failure as failure:
                problems.append(f"could not restore the mode: {failure}")
                continue
            subject = urllib.parse.unquote(path.removeprefix("/mode").lstrip("/"))
            what = f"mode of {subject}" if subject else "target registry mode"
            echo(f"~ {what}: {body['mode'] if body else 'none'} again")
        self.restore_steps = []
        return problems


@dataclass
class Tally:
    """What a run did."""

    registered: int = 0
    deleted: int = 0
    levels: int = 0
    errors: list[str] = field(default_factory=list)


def run(
    plan: Plan,
    target: Endpoint,
    mode: ImportMode,
    echo: Callable[[str], None],
) -> Tally:
    """Perform the plan: registrations, soft deletes, levels; the mode is restored however the
    run ends. A refused version fails the versions that need it; an unreachable target or a
    refused token stops the run."""
    tally = Tally()
    failed: set[Key] = set()
    try:
        if plan.registrations or plan.deletions:
            for line in mode.enter():
                echo(line)
        for version in plan.registrations:
            missing = plan.needs.get(version.key, set()) & failed
            if missing:
                first = sorted(missing)[0]
                failed.add(version.key)
                tally.errors.append(
                    f"{version.label()}: not imported, it needs {first[0]} version {first[1]}"
                )
                continue
            try:
                answer = target.call(
                    "POST", _path("subjects", version.subject, "versions"), version.registration()
                )
            except Failure as failure:
                if failure.fatal:
                    raise
                failed.add(version.key)
                tally.errors.append(f"{version.label()}: {failure}")
                continue
            answer = answer if isinstance(answer, dict) else {}
            if answer.get("id") != version.id or answer.get("version", version.version) != (
                version.version
            ):
                failed.add(version.key)
                got = f"id {answer.get('id')}, version {answer.get('version')}"
                tally.errors.append(f"{version.label()}: the target registered it as {got}")
                continue
            tally.registered += 1
            echo(f"+ {version.label()}")
        for version in plan.deletions:
            if version.key in failed:
                continue
            try:
                target.call(
                    "DELETE", _path("subjects", version.subject, "versions", version.version)
                )
            except Failure as failure:
                if failure.fatal:
                    raise
                tally.errors.append(f"{version.label()}: soft delete refused: {failure}")
                continue
            tally.deleted += 1
            echo(f"- {version.label()}: soft-deleted")
        subjects_failed = {subject for subject, _ in failed}
        for change in plan.levels:
            if change.subject in subjects_failed:
                tally.errors.append(f"{change.describe()[2:]}: not set, the subject failed")
                continue
            where = "/config" if change.subject is None else _path("config", change.subject)
            try:
                target.call("PUT", where, {"compatibility": change.level})
            except Failure as failure:
                if failure.fatal:
                    raise
                tally.errors.append(f"{change.describe()[2:]}: {failure}")
                continue
            tally.levels += 1
            echo(change.describe())
    except Failure as failure:
        tally.errors.append(f"stopped: {failure}")
    finally:
        tally.errors += mode.restore(echo)
    return tally


def merged_subjects(plan: Plan, target: Endpoint) -> list[str]:
    """The new subjects that show versions the source never gave them: Eventry put them into
    the event type of another subject (one schema title, one event type), so they now share
    its versions. Returns one error each."""
    problems = []
    for subject, numbers in sorted(plan.new_subjects.items()):
        listed = target.find(_path("subjects", subject, "versions") + "?deleted=true") or []
        extra = sorted(set(listed) - numbers)
        if extra:
            problems.append(
                f"{subject} now shows {plural('version', len(extra))} {_numbers(extra)} that the "
                "source has not: the target put it into the event type of another subject (their "
                "schemas share a title); see docs/confluent-import.md"
            )
    return problems


# --- the command ------------------------------------------------------------------------


@click.command("import-confluent")
@click.option(
    "--from-url",
    "from_url",
    metavar="URL",
    help="A Confluent-compatible Schema Registry to copy from, e.g. http://registry:8081.",
)
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A dump of the _schemas topic, one record a line (see docs/confluent-import.md).",
)
@click.option("--source-user", envvar="EVENTRY_SOURCE_USER", help="Basic auth user of --from-url.")
@click.option(
    "--source-password",
    envvar="EVENTRY_SOURCE_PASSWORD",
    help="Basic auth password of --from-url (or $EVENTRY_SOURCE_PASSWORD).",
)
@click.option(
    "--source-token",
    envvar="EVENTRY_SOURCE_TOKEN",
    help="A Bearer token for --from-url (or $EVENTRY_SOURCE_TOKEN).",
)
@click.option(
    "--url",
    envvar="EVENTRY_URL",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="The Eventry server to import into (or $EVENTRY_URL).",
)
@click.option("--token", envvar="EVENTRY_TOKEN", help="An admin token (or $EVENTRY_TOKEN).")
@click.option(
    "--per-subject",
    is_flag=True,
    help="Put each written subject into IMPORT mode instead of the whole registry.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Enter IMPORT mode although the target (or the subject) has versions already.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
def import_confluent(
    from_url: str | None,
    from_file: Path | None,
    source_user: str | None,
    source_password: str | None,
    source_token: str | None,
    url: str,
    token: str | None,
    per_subject: bool,
    force: bool,
    dry_run: bool,
) -> None:
    """Copy a Confluent Schema Registry's JSON Schema subjects into Eventry, keeping global ids,
    version numbers, references, soft-deleted versions and compatibility levels. Avro and
    Protobuf subjects are skipped. Safe to run again: what the target has is not sent twice."""
    if (from_url is None) == (from_file is None):
        raise click.UsageError("give one source: --from-url URL or --from-file FILE")
    if source_token and (source_user or source_password):
        raise click.UsageError("give --source-token or --source-user/--source-password, not both")
    base = url.rstrip("/")
    base = base if base.endswith("/ccompat") else base + "/ccompat"
    target = Endpoint(base, f"Bearer {token}" if token else None)
    try:
        source = _read_source(from_url, from_file, source_user, source_password, source_token)
        plan = make_plan(source, read_target(target, wanted_subjects(source)))
    except (Failure, DumpError, OSError, UnicodeDecodeError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    for line in source.notes + plan.skipped + plan.notes:
        click.echo(line)
    for line in plan.errors:
        click.echo(f"error: {line}", err=True)
    if dry_run:
        _show_plan(plan, per_subject)
        _summary(plan, Tally(errors=list(plan.errors)), dry_run=True)
        sys.exit(1 if plan.errors else 0)
    if plan.empty:
        click.echo("Nothing to import: the target has every version and level already.")
        tally = Tally(errors=[])
    else:
        mode = ImportMode(target, plan.written_subjects if per_subject else None, force)
        tally = run(plan, target, mode, click.echo)
        try:
            tally.errors += merged_subjects(plan, target)
        except Failure as failure:
            tally.errors.append(f"could not check the subjects: {failure}")
        for line in tally.errors:
            click.echo(f"error: {line}", err=True)
    tally.errors = plan.errors + tally.errors
    _summary(plan, tally, dry_run=False)
    sys.exit(1 if tally.errors else 0)


def _read_source(
    from_url: str | None,
    from_file: Path | None,
    user: str | None,
    password: str | None,
    token: str | None,
) -> Source:
    if from_file is not None:
        with from_file.open(encoding="utf-8") as lines:
            return read_dump(lines, str(from_file))
    authorization = None
    if token:
        authorization = f"Bearer {token}"
    elif user or password:
        authorization = basic(user or "", password or "")
    return read_registry(Endpoint(str(from_url), authorization))


def _show_plan(plan: Plan, per_subject: bool) -> None:
    click.echo("Dry run: nothing is changed.")
    if plan.registrations or plan.deletions:
        where = "each subject written" if per_subject else "the target registry"
        click.echo(f"~ {where} in IMPORT mode for the import, then back to its mode")
    deleted = {each.key for each in plan.deletions}
    for version in plan.registrations:
        then = ", then soft-deleted" if version.key in deleted else ""
        click.echo(f"+ {version.label()}{then}")
    registered = {each.key for each in plan.registrations}
    for version in plan.deletions:
        if version.key not in registered:
            click.echo(f"- {version.label()}: soft-deleted")
    for change in plan.levels:
        click.echo(change.describe())


def _summary(plan: Plan, tally: Tally, dry_run: bool) -> None:
    if dry_run:
        registered, deleted, levels = len(plan.registrations), len(plan.deletions), len(plan.levels)
        head = "Would import"
    else:
        registered, deleted, levels = tally.registered, tally.deleted, tally.levels
        head = "Imported"
    click.echo(
        f"{head}: {counted(plan.subjects, 'subject')}, {counted(registered, 'version')} "
        f"registered, {deleted} soft-deleted, {counted(levels, 'level')} set; "
        f"{counted(plan.present, 'version')} already there; "
        f"{counted(plan.skipped_subjects, 'subject')} skipped; "
        f"{counted(len(tally.errors), 'error')}."
    )
