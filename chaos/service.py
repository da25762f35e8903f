"""`eventry serve` started as users run it (gunicorn, sync workers) on a database URL, and its
worker processes found by pid so that an experiment can kill one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from chaos.client import Client

ROOT = Path(__file__).resolve().parent.parent


def eventry_command() -> list[str]:
    """The `eventry` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("eventry")
    if script.exists():
        return [str(script)]
    found = shutil.which("eventry")
    if found is None:
        raise RuntimeError("the eventry command is not installed (make .venv/.installed-stamp)")
    return [found]


class Service:
    """One `eventry serve` process group: ``start``, ``wait_ready``, ``workers``, ``stop``.

    ``env`` adds to (and overrides) the settings; every other EVENTRY_ variable of the caller's
    environment is left out, so a developer's own settings do not leak into a measurement."""

    def __init__(
        self,
        database_url: str,
        port: int,
        log: Path,
        token: str,
        workers: int = 2,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.token = token
        self.workers_wanted = workers
        self.env = env or {}
        self.process: subprocess.Popen | None = None

    def client(self, token: str | None = "admin", timeout: float = 30) -> Client:
        """A client of this service; by default it acts as the admin."""
        return Client(self.url, self.token if token == "admin" else token, timeout)

    def start(self) -> Service:
        """Start `eventry serve` (it migrates, then becomes gunicorn's master process)."""
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("EVENTRY_", "PROMETHEUS_"))
        }
        environment.update(
            DATABASE_URL=self.database_url,
            EVENTRY_ADMIN_TOKEN=self.token,
            EVENTRY_DEMO="0",
            **self.env,
        )
        command = [*eventry_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [*command, "--workers", str(self.workers_wanted)],
                cwd=ROOT,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() ends it and only it
            )
        return self

    def wait_ready(self, seconds: float = 90) -> Service:
        """Wait until /readyz answers 200 and every worker has booted; raise with the log's
        tail when the process exits or the time runs out."""
        deadline = time.monotonic() + seconds
        client = self.client(None, timeout=5)
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"eventry serve exited:\n{self.log_tail()}")
            try:
                ready = client.call("GET", "/readyz").status == 200
            except OSError:
                ready = False
            if ready and len(self.workers()) >= self.workers_wanted:
                return self
            time.sleep(0.2)
        tail = self.log_tail()
        raise RuntimeError(f"{self.url}/readyz did not answer 200 in {seconds} s:\n{tail}")

    def workers(self) -> set[int]:
        """The pids of gunicorn's live workers (children of the master `serve` became)."""
        if self.process is None:
            return set()
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return set()
        return {int(each) for each in text.split()}

    def booted(self) -> int:
        """How many workers gunicorn booted so far (a replaced worker boots anew)."""
        return self.log_text().count("Booting worker with pid")

    def log_text(self) -> str:
        """What `eventry serve` and gunicorn wrote so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        """The end of the log, for an error message."""
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        """Stop gunicorn gracefully (SIGTERM to its process group), then for good."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass
