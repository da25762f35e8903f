"""The JSON Schema organisation's test suite through registration and batch validation."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from pathlib import Path
from typing import Any

from .catalog import Catalog, pascal
from .tally import Tally
from .vectors import DRAFTS, Group, suite_groups, with_dialect

FORMAT_NOTE = "format.json expects format as an annotation only; Eventry asserts formats"


class _ProbeFailed(Exception):
    """The server answered a probe with something else than a verdict."""


def server_dialect(catalog: Catalog, domain: str) -> str:
    """Which draft the server applies to a schema without `$schema`, found by its behaviour
    through registration and validation (the path the suite takes); 'unknown' on a failure."""
    path = catalog.event_type(domain, "DialectProbe", "NONE")

    def version(schema: Any) -> int | None:
        reply = catalog.register(path, schema, "dialect probe")
        if reply.status >= 500:
            raise _ProbeFailed(reply.brief())
        return reply.body["version"] if reply.ok else None

    def valid(schema: Any, event: Any) -> bool:
        number = version(schema)
        answer = catalog.validate(path, [event], number) if number else None
        if number is None or not answer.ok:
            raise _ProbeFailed(answer.brief() if answer else "probe schema refused")
        return bool(answer.body["results"][0]["valid"])

    try:
        if version({"maximum": 1, "exclusiveMaximum": True}):  # boolean: draft-04 only
            return "draft-04"
        if not version({"items": [{}]}):  # array items: refused by 2020-12 only
            return "2020-12"
        if valid({"if": True, "then": False}, 1):  # if/then ignored before draft-07
            return "draft-06"
        if valid({"dependentRequired": {"a": ["b"]}}, {"a": 1}):  # a 2019-09 keyword
            return "draft-07"
        return "2019-09"
    except _ProbeFailed as error:
        return f"unknown ({error})"


def run_draft(
    catalog: Catalog, base: Path, draft: str, files: list[str] | None, jobs: int
) -> tuple[list[Tally], dict[str, Any]]:
    """Measure one draft; return (its tally, its format.json tally) and how it was run."""
    wanted = DRAFTS[draft][0]
    domain = catalog.domain("suite-" + draft)
    detected = server_dialect(catalog, domain)
    insert = detected != wanted
    kept, remote = suite_groups(base, draft, files)
    main = Tally(f"suite/{draft}", _note(wanted, detected, insert, len(remote)))
    formats = Tally(f"suite/{draft} format.json", FORMAT_NOTE)
    by_file = [list(groups) for _, groups in groupby(kept, key=lambda g: g.file)]

    def one(groups: list[Group]) -> tuple[Tally, list[Group]]:
        tally = Tally(groups[0].file)
        path = catalog.event_type(domain, pascal(groups[0].file.removesuffix(".json")), "NONE")
        for group in groups:
            run_group(catalog, path, group, insert, tally)
        return tally, groups

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for tally, groups in pool.map(one, by_file):
            target = formats if groups[0].file == "format.json" else main
            target.absorb(tally)
            target.misses.extend(tally.misses)
    info = {
        "requested_dialect": wanted,
        "server_dialect": detected,
        "inserted_schema": insert,
        "remote_groups_left_out": len(remote),
        "groups": len(kept),
    }
    return [main, formats], info


def _note(wanted: str, detected: str, insert: bool, remote: int) -> str:
    how = (
        f"EVENTRY_DEFAULT_DIALECT={wanted} not honoured (server applies {detected}): "
        f"$schema inserted into object roots lacking one"
        if insert
        else f"server default dialect {detected}, schemas sent as the suite has them"
    )
    return f"{how}; {remote} group(s) needing the remote server left out"


def run_group(catalog: Catalog, path: str, group: Group, insert: bool, tally: Tally) -> None:
    """Register one group's schema, validate its tests in one batch, score each test."""
    where = f"{group.file} / {group.description}"
    schema = with_dialect(group.schema, group.draft) if insert else group.schema
    reply = catalog.register(path, schema, group.description)
    tally.score("schemas", reply.ok)
    if not reply.ok:
        for _ in group.tests:
            tally.score("tests", False)
        tally.miss("schema refused", where, f"{len(group.tests)} test(s) not run; {reply.brief()}")
        return
    version = reply.body["version"]
    results = _validate(catalog, path, [t["data"] for t in group.tests], version)
    for test, result in zip(group.tests, results, strict=True):
        _score_test(tally, where, test, result)


def _validate(catalog: Catalog, path: str, events: list[Any], version: int) -> list[Any]:
    """Each event's result dict, or a failure string; one batch, else one call per event."""
    reply = catalog.validate(path, events, version)
    if reply.ok:
        return reply.body["results"]
    results = []
    for event in events:
        single = catalog.validate(path, [event], version)
        results.append(single.body["results"][0] if single.ok else single.brief())
    return results


def _score_test(tally: Tally, where: str, test: dict, result: Any) -> None:
    case = f"{where} / {test['description']}"
    if isinstance(result, str):
        tally.score("tests", False)
        tally.miss("validation failure", case, result)
        return
    agree = result["valid"] == test["valid"]
    tally.score("tests", agree)
    if agree:
        return
    if result["valid"]:
        tally.miss("accepted an invalid instance", case, f"data={_short(test['data'])}")
        return
    first = result["errors"][0]["message"] if result["errors"] else "no error given"
    tally.miss("rejected a valid instance", case, f"data={_short(test['data'])}; {first}")


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "…"
