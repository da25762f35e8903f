"""Several processes on one database, as several hosts run Eventry: two `eventry serve` (gunicorn,
3 sync workers each) started at the same moment on one empty database, then many concurrent
registrations sent to both, with the compatibility checks on (BACKWARD and FULL_TRANSITIVE).

On PostgreSQL (the production setup) and on a SQLite file (several workers of one host: what
`make run` does). Every answer is a 2xx: versions are numbered 1..n with no gap or duplicate,
identical content gets exactly one version (and one schema id across event types), and the
audit log has exactly one entry per version."""

from __future__ import annotations

import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from chaos.cluster import free_port
from chaos.service import Service

ADMIN = "evt_concurrency-admin"
DOMAIN = "conc"
LEVELS = {"RegisteredBackward": "BACKWARD", "RegisteredFullTransitive": "FULL_TRANSITIVE"}
DISTINCT, COPIES = 10, 3  # contents per event type, and how often each is sent
BASE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"id": {"type": "string"}, "at": {"type": "string", "format": "date-time"}},
    "required": ["id"],
}


def revision(number: int) -> dict:
    """A content compatible both ways with every other revision (only annotations differ), so
    each is accepted whatever order the concurrent requests take."""
    properties = {**BASE["properties"], "id": {"type": "string", "title": f"id, rev {number}"}}
    return {**BASE, "description": f"revision {number}", "properties": properties}


# What one request may wait on the database, raised from its 1 s default as docs/operations.md
# advises for bursts of writers: this test is about numbers and audit under concurrency, and on
# a slow CI host twelve writers queueing for SQLite's one write lock have waited past 1 s (a 503
# `locked` with Retry-After, the documented answer, which the tests of the budget cover).
BURST_DB_TIMEOUT = {"EVENTRY_DB_TIMEOUT_MS": "10000"}


@pytest.fixture
def services(empty_database_url, tmp_path):
    """Two servers started at once on one empty database (both run the first-start steps)."""
    started = [
        Service(
            empty_database_url,
            free_port(),
            tmp_path / f"serve-{n}.log",
            ADMIN,
            workers=3,
            env=BURST_DB_TIMEOUT,
        )
        for n in range(2)
    ]
    try:
        for service in started:
            service.start()
        for service in started:
            service.wait_ready(120)
        yield started
    finally:
        for service in started:
            service.stop()


def test_concurrent_registrations_across_processes_stay_gapless_and_audited(services):
    first, second = (service.client() for service in services)
    _arrange(first)
    jobs = [(name, n) for name in LEVELS for n in range(1, DISTINCT + 1) for _ in range(COPIES)]
    random.Random(11).shuffle(jobs)

    def register(job: tuple[int, tuple[str, int]]):
        index, (name, number) = job
        client = (first, second)[index % 2]
        path = f"/api/v1/events/{DOMAIN}/{name}/versions"
        return name, number, client.call("POST", path, {"schema": revision(number)})

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(register, enumerate(jobs)))

    failed = [(n, a.status, a.body[:200]) for _name, n, a in answers if a.status not in (200, 201)]
    assert not failed, failed[:5]
    by_content: dict[tuple[str, int], list] = defaultdict(list)
    for name, number, answer in answers:
        by_content[name, number].append(answer)
    schema_ids: dict[int, set[int]] = defaultdict(set)
    for (name, number), given in by_content.items():
        assert sorted(a.status for a in given) == [200] * (COPIES - 1) + [201], (name, number)
        assert len({a.json()["version"] for a in given}) == 1, (name, number)
        schema_ids[number] |= {a.json()["schema_id"] for a in given}
    # One content, one schema id: across the two event types too.
    assert all(len(ids) == 1 for ids in schema_ids.values()), schema_ids
    for name in LEVELS:
        _assert_gapless_and_audited(first, name)
    for service in services:  # no worker died or was replaced along the way
        assert len(service.workers()) == 3 and service.booted() == 3, service.log_tail()


def _arrange(client) -> None:
    for path, body in [
        ("/api/v1/teams", {"slug": DOMAIN, "name": "Concurrency"}),
        ("/api/v1/domains", {"slug": DOMAIN, "name": "Concurrency", "owner": DOMAIN}),
        ("/api/v1/buses", {"slug": DOMAIN, "domain": DOMAIN, "router": "kafka"}),
    ]:
        answer = client.call("POST", path, body)
        assert answer.status == 201, answer.body
    for name, level in LEVELS.items():
        event = {"domain": DOMAIN, "name": name, "bus": DOMAIN, "producer": "svc"}
        assert client.call("POST", "/api/v1/events", event).status == 201
        path = f"/api/v1/events/{DOMAIN}/{name}"
        config = client.call("PUT", f"{path}/config", {"compatibility": level})
        assert config.status == 200, config.body
        first = client.call("POST", f"{path}/versions", {"schema": BASE})
        assert first.status == 201, first.body


def _assert_gapless_and_audited(client, name: str) -> None:
    versions = client.pages(f"/api/v1/events/{DOMAIN}/{name}/versions?deleted=true")
    numbers = sorted(v["version"] for v in versions)
    assert numbers == list(range(1, DISTINCT + 2)), numbers
    target = f"event:{DOMAIN}.{name}/versions/"
    audited = client.pages(f"/api/v1/audit?action=version.register&target={target}")
    assert sorted(int(e["target"].rsplit("/", 1)[1]) for e in audited) == numbers
