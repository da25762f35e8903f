"""`eventry serve` (what `make run` calls) in a real gunicorn process."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EVENTRY = str(Path(sys.executable).with_name("eventry"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(url: str, process: subprocess.Popen, seconds: float = 60) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"eventry serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {seconds} s")


def serve(database_url: str, port: int, **env: str) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY_")}
    environment.update(DATABASE_URL=database_url, PORT=str(port), WORKERS="2", **env)
    return subprocess.Popen(
        [EVENTRY, "serve"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return output


def test_serve_migrates_seeds_prints_the_token_once_and_answers(empty_database_url):
    port = free_port()
    first = serve(empty_database_url, port, EVENTRY_DEMO="1")
    try:
        assert wait_until_ready(f"http://127.0.0.1:{port}/readyz", first) == 200
    finally:
        first_output = stop(first)
    assert f"Eventry is serving on http://127.0.0.1:{port}" in first_output
    assert "Admin token (shown only now" in first_output
    assert "Loaded the demo catalogue" in first_output

    second = serve(empty_database_url, port, EVENTRY_DEMO="1")
    try:
        assert wait_until_ready(f"http://127.0.0.1:{port}/healthz", second) == 200
    finally:
        second_output = stop(second)
    assert "Admin token" not in second_output
    assert "Loaded the demo catalogue" not in second_output


def test_eventry_prints_its_version():
    result = subprocess.run([EVENTRY, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("eventry ") and result.stdout.strip()[-1].isdigit()


def test_two_instances_on_one_host_share_no_control_socket(tmp_path):
    # Both would default to the same $XDG_RUNTIME_DIR/gunicorn.ctl: each must run without one.
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    shared = {"XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    ports = [free_port(), free_port()]
    processes = [
        serve(f"sqlite:///{tmp_path / f'eventry-{port}.db'}", port, EVENTRY_DEMO="0", **shared)
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            assert wait_until_ready(f"http://127.0.0.1:{port}/readyz", process) == 200
        # While both serve: gunicorn would hold its socket there (and remove it on exit).
        assert list(runtime.iterdir()) == []
        assert not (tmp_path / ".gunicorn").exists()
    finally:
        outputs = [stop(process) for process in processes]
    assert all("control socket" not in output.lower() for output in outputs), outputs
