"""Fixtures of the fault tests: a private PostgreSQL cluster to stop and start, and the app
served by a real `gunicorn wsgi:app` process on a free loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chaos.client import Answer, Client
from chaos.cluster import PrivateCluster, free_port, pg_bin
from tests.legs import in_ci

ROOT = Path(__file__).resolve().parents[3]
ADMIN_TOKEN = "evt_faults-admin"


@pytest.fixture(scope="session")
def postgres_binaries() -> Path:
    """The folder of PostgreSQL's server binaries; skip without them (fail in CI)."""
    bin_dir = pg_bin()
    if bin_dir is None:
        reason = (
            "the database fault tests need PostgreSQL's server binaries (initdb, pg_ctl): "
            "apt-get install -y postgresql, or set EVENTRY_PG_BIN"
        )
        if in_ci():
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    return bin_dir


@pytest.fixture(scope="session")
def private_postgres(postgres_binaries) -> Iterator[PrivateCluster]:
    """A PostgreSQL cluster of the session's own, which the tests stop and start at will."""
    cluster = PrivateCluster(postgres_binaries)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


class Server:
    """A `gunicorn wsgi:app` process (2 sync workers) and a small HTTP client for it."""

    def __init__(self, database_url: str, log: Path, **settings: str) -> None:
        self.port = free_port()
        self.log = log
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EVENTRY_", "PROMETHEUS"))}
        env.update(DATABASE_URL=database_url, EVENTRY_ADMIN_TOKEN=ADMIN_TOKEN, EVENTRY_DEMO="0")
        env.update(settings)  # more variables, e.g. DATABASE_READ_URL
        command = [sys.executable, "-m", "gunicorn", "--workers", "2", "--timeout", "30"]
        command += ["--bind", f"127.0.0.1:{self.port}", "wsgi:app"]
        with log.open("wb") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def call(self, method: str, path: str, body=None, token: str | None = ADMIN_TOKEN) -> Answer:
        """Send one request on a new connection; a connection error fails the test."""
        return Client(f"http://127.0.0.1:{self.port}", token).call(method, path, body)

    def wait_until(self, path: str, status: int, seconds: float = 30) -> Answer:
        """Poll ``path`` until it answers ``status``; fail with the server's log otherwise."""
        deadline = time.monotonic() + seconds
        last: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.output()}")
            try:
                last = self.call("GET", path)
                if last.status == status:
                    return last
            except OSError as error:
                last = error
            time.sleep(0.1)
        pytest.fail(f"{path} did not answer {status} within {seconds} s (last: {last})")

    def workers_booted(self) -> int:
        """How many workers gunicorn has booted so far (a replaced worker boots anew)."""
        return self.output().count("Booting worker with pid")

    def output(self) -> str:
        """What gunicorn and the app logged so far."""
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """Stop gunicorn gracefully."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serve(tmp_path) -> Iterator:
    """Start `gunicorn wsgi:app` on a database URL (and more settings by variable name); every
    server is stopped after the test."""
    servers: list[Server] = []

    def start(database_url: str, **settings: str) -> Server:
        server = Server(database_url, tmp_path / f"gunicorn-{len(servers)}.log", **settings)
        servers.append(server)
        server.wait_until("/healthz", 200)
        return server

    yield start
    for server in servers:
        server.stop()
