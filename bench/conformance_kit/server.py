"""Start Eventry exactly as users run it (`eventry serve`, gunicorn) on a throwaway database."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .client import Api

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    """A running `eventry serve`: its URL, admin token, process and scratch folder."""

    url: str
    token: str
    process: subprocess.Popen
    workdir: Path
    dialect: str | None

    def api(self) -> Api:
        """A client that authenticates as the server's admin."""
        return Api(self.url, self.token)

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's output, for a failure message."""
        log = self.workdir / "server.log"
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def eventry_command() -> list[str]:
    """The `eventry` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("eventry")
    if script.exists():
        return [str(script)]
    found = shutil.which("eventry")
    return [found] if found else [sys.executable, "-m", "app"]


def start_server(dialect: str | None = None, workers: int = 2, wait: float = 90) -> Server:
    """Serve a brand-new SQLite database on a free loopback port; return once /readyz answers."""
    workdir = Path(tempfile.mkdtemp(prefix="eventry-conformance-"))
    port, token = free_port(), "evt_conformance-" + secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY_")}
    env.update(
        DATABASE_URL=f"sqlite:///{workdir / 'eventry.db'}",
        EVENTRY_DEMO="0",
        EVENTRY_ADMIN_TOKEN=token,
        # A measurement sends thousands of anonymous checks a minute on purpose.
        EVENTRY_RATE_LIMIT_EXPENSIVE="0",
    )
    if dialect:
        env["EVENTRY_DEFAULT_DIALECT"] = dialect
    command = [*eventry_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with open(workdir / "server.log", "wb") as log:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", token, process, workdir, dialect)
    try:
        _wait_until_ready(server, wait)
    except BaseException:
        stop_server(server)
        raise
    return server


def _wait_until_ready(server: Server, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"eventry serve exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url + "/readyz", timeout=15) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.url}/readyz did not answer within {seconds} s")


def stop_server(server: Server) -> None:
    """Stop the server's process group (only the one started here) and drop its folder."""
    if server.process.poll() is None:
        try:
            os.killpg(server.process.pid, signal.SIGTERM)
            server.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            if server.process.poll() is None:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(timeout=10)
    log = server.workdir / "server.log"
    if b"Traceback" in (log.read_bytes() if log.exists() else b""):
        # Keep the evidence of server errors (the report shows only their 500 answers).
        print(
            f"(the server logged errors: its log and database are kept in {server.workdir})",
            file=sys.stderr,
        )
        return
    shutil.rmtree(server.workdir, ignore_errors=True)


@contextmanager
def running_server(dialect: str | None = None, workers: int = 2) -> Iterator[Server]:
    """A server for the length of a `with` block."""
    server = start_server(dialect, workers)
    try:
        yield server
    finally:
        stop_server(server)
