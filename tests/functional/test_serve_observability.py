"""Against a real `eventry serve` (gunicorn, 2 sync workers): metrics add up across workers,
logs are JSON lines carrying the request id, and no hostile request kills a worker."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest, multiprocess
from prometheus_client.parser import text_string_to_metric_families

from tests.functional.test_serve import free_port, wait_until_ready

EVENTRY = str(Path(sys.executable).with_name("eventry"))
ADMIN_TOKEN = "evt_serve-observability-admin"
HEALTHZ = {"method": "GET", "route": "/healthz", "status": "200"}
HOSTILE = "/api/v1/events/hostile/Attacked"
COMPARE, ANALYSIS = "/api/v1/compatibility", "/api/v1/analysis"


class Server:
    """`eventry serve` on a free port, its stderr in a file."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr_path = folder / "stderr.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY_")}
        environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
        environment.update(
            DATABASE_URL=f"sqlite:///{folder / 'eventry.db'}",
            PORT=str(self.port),
            WORKERS="2",
            EVENTRY_DEMO="0",
            EVENTRY_ADMIN_TOKEN=ADMIN_TOKEN,
        )
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [EVENTRY, "serve"],
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        wait_until_ready(f"{self.url}/readyz", self.process)

    def request(self, method, path, body=None, headers=None, timeout=60):
        """(status, headers, body bytes) of one request; HTTP errors are answers too."""
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})}
        call = urllib.request.Request(self.url + path, data=data, headers=sent, method=method)
        try:
            with urllib.request.urlopen(call, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def workers(self) -> set[int]:
        """The pids of gunicorn's workers (the master is the process `serve` became)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def metrics_folder(self) -> Path:
        environ = Path(f"/proc/{self.process.pid}/environ").read_bytes().split(b"\0")
        variables = dict(item.decode().partition("=")[::2] for item in environ if b"=" in item)
        return Path(variables["PROMETHEUS_MULTIPROC_DIR"])

    def stop(self) -> list[str]:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        return self.stderr_path.read_text().splitlines()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("serve"))
    yield running
    running.stop()


def counted(text: str, name: str, labels: dict) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def per_worker(folder: Path, tmp_path: Path) -> dict[int, float]:
    """/healthz answers counted in each worker's own file, read with prometheus-client."""
    counts = {}
    for path in folder.glob("counter_*.db"):
        alone = tmp_path / path.stem
        alone.mkdir(parents=True)
        shutil.copy(path, alone)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(alone))
        text = generate_latest(registry).decode()
        counts[int(path.stem.split("_")[1])] = counted(text, "eventry_http_requests_total", HEALTHZ)
    return counts


def test_metrics_add_up_across_both_workers(server, tmp_path):
    def scrape() -> str:
        status, _, body = server.request("GET", "/metrics")
        assert status == 200
        return body.decode()

    before = counted(scrape(), "eventry_http_requests_total", HEALTHZ)
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        # Concurrent requests keep both sync workers busy; a few rounds make sure of it.
        for _ in range(10):
            statuses = list(pool.map(lambda _: server.request("GET", "/healthz")[0], range(40)))
            assert statuses == [200] * 40
            sent += 40
            busy = [
                pid
                for pid, n in per_worker(server.metrics_folder(), tmp_path / str(sent)).items()
                if n
            ]
            if len(busy) == 2:
                break
    assert sorted(busy) == sorted(server.workers())
    # Whichever worker answers the scrape, it reports the sum of both.
    for _ in range(6):
        assert counted(scrape(), "eventry_http_requests_total", HEALTHZ) == before + sent
    text = scrape()
    assert counted(text, "eventry_up", {}) == 1
    assert counted(text, "eventry_catalogue_items", {"kind": "teams"}) == 0
    assert "eventry_http_request_duration_seconds_bucket" in text


def test_logs_are_json_lines_carrying_the_request_id(server):
    status, headers, _ = server.request("GET", "/api/v1/domains", headers={"X-Request-ID": "ci-77"})
    assert status == 200 and headers["X-Request-ID"] == "ci-77"
    status, headers, _ = server.request("GET", "/api/v1/no-such-thing")
    generated = headers["X-Request-ID"]
    assert status == 404 and len(generated) == 32
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        entries = [json.loads(line) for line in server.stderr_path.read_text().splitlines()]
        mine = [entry for entry in entries if entry.get("request_id") in {"ci-77", generated}]
        if len(mine) == 2:
            break
        time.sleep(0.1)
    assert {entry["request_id"] for entry in mine} == {"ci-77", generated}
    for entry in mine:
        assert set(entry) >= {"time", "level", "message", "method", "path", "status", "duration_ms"}
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)


def deep_array(depth: int, leaf="x") -> str:
    return "[" * depth + json.dumps(leaf) + "]" * depth


def deep_schema(depth: int) -> str:
    return '{"properties": {"a": ' * depth + '{"type": "string"}' + "}}" * depth


def raw(server, path, text, headers=None):
    call = urllib.request.Request(
        server.url + path,
        data=text.encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def comparing(old: str, new: str) -> str:
    return f'{{"old": {old}, "new": {new}}}'


def hostile_requests():
    """(what, path, raw JSON body, headers): the inputs of issue #11 that answered 500 or hung
    a worker. Their status is for the input limits to decide; here only survival counts."""
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    validate, register = f"{HOSTILE}/validate", f"{HOSTILE}/versions"
    evil, evil_key = "a" * 34 + "!", "b" * 34 + "!"
    pattern = {"type": "string", "pattern": "^(a+)+$", "examples": [evil]}
    huge = "9" * 5000
    return [
        ("event 1,000 deep", validate, f'{{"event": {deep_array(1000)}}}', {}),
        ("event 100,000 deep", validate, f'{{"event": {deep_array(100_000)}}}', {}),
        ("integer of 5,000 digits", validate, f'{{"event": {{"n": {huge}}}}}', {}),
        ("catastrophic pattern", validate, json.dumps({"event": {"code": evil}}), {}),
        ("catastrophic pattern property", validate, json.dumps({"event": {evil_key: 1}}), {}),
        ("schemas 400 deep", COMPARE, comparing(deep_schema(400), deep_schema(400)), {}),
        ("schema 20,000 deep", COMPARE, comparing(deep_schema(20_000), "{}"), {}),
        ("pattern, stateless", COMPARE, comparing('{"type": "string"}', json.dumps(pattern)), {}),
        ("samples 10,000 deep", ANALYSIS, f'{{"samples": [{deep_array(10_000)}]}}', {}),
        ("registration 400 deep", register, f'{{"schema": {deep_schema(400)}}}', admin),
        ("schema integer of 5,000 digits", register, f'{{"schema": {{"maximum": {huge}}}}}', admin),
    ]


def arrange_hostile_event(server):
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    schema = {
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": "^(a+)+$"}},
        "patternProperties": {"^(b+)+$": {"type": "integer"}},
    }
    arrange = [
        ("/api/v1/teams", {"slug": "red", "name": "Red team"}),
        ("/api/v1/domains", {"slug": "hostile", "name": "Hostile", "owner": "red"}),
        ("/api/v1/events", {"domain": "hostile", "name": "Attacked"}),
        (f"{HOSTILE}/versions", {"schema": schema}),
    ]
    for path, body in arrange:
        assert server.request("POST", path, body, admin)[0] == 201, path


def test_no_hostile_request_kills_a_worker(server):
    arrange_hostile_event(server)
    workers = server.workers()
    assert len(workers) == 2
    for what, path, body, headers in hostile_requests():
        started = time.monotonic()
        try:
            status = raw(server, path, body, headers)  # any status: the worker lived to answer
        except OSError as error:
            pytest.fail(f"{what}: no answer ({error})")
        took = time.monotonic() - started
        assert server.request("GET", "/healthz", timeout=10)[0] == 200, what
        assert server.workers() == workers, f"{what}: a worker died ({took:.1f} s, {status})"
