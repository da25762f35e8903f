"""The chaos experiments of `make chaos` (chaos/), smaller: each fault for a couple of seconds,
against the `eventry serve` and private PostgreSQL cluster that chaos starts itself, and against
a SQLite service given by --url. Each must hold its hypothesis; the stop button (a stop file,
Ctrl-C) must end a fault early and leave the database serving."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from chaos.cluster import free_port
from chaos.run import main
from chaos.service import ROOT, Service

# Latency is reported, not judged: speed targets live in `make chaos` and bench/, not in tests.
SMALL = ["--phase", "1.5", "--fault", "2", "--threads", "3", "--rate", "30", "--latency", "report"]


def results(path) -> dict[str, dict]:
    return {each["name"]: each for each in json.loads(path.read_text())}


def failed_checks(result: dict) -> list[str]:
    return [c["check"] for c in result["checks"] if not c["ok"]]


def test_every_experiment_holds_its_hypothesis(postgres_binaries, tmp_path, capsys):
    out = tmp_path / "chaos.json"
    status = main([*SMALL, "--stop-file", str(tmp_path / "stop"), "--json", str(out)])
    printed = capsys.readouterr().out
    found = results(out)
    assert list(found) == ["stop-db", "frozen-db", "kill-worker", "hostile", "slow-db"]
    for name, result in found.items():
        assert result["held"] is True, (name, failed_checks(result), printed[-3000:])
    assert status == 0
    # The faults bit: requests met a stopped and a locked database, and killed workers.
    assert found["stop-db"]["phases"]["during"]["unavailable"] > 0
    assert found["frozen-db"]["phases"]["during"]["unavailable"] > 0
    assert found["slow-db"]["phases"]["during"]["unavailable"] > 0
    assert "hypothesis held" in printed and "did NOT hold" not in printed


def test_against_a_sqlite_service_by_url_the_http_experiments_run(tmp_path, capsys):
    token = "evt_chaos-sqlite"
    service = Service(f"sqlite:///{tmp_path / 'eventry.db'}", free_port(), tmp_path / "log", token)
    service.start()
    try:
        service.wait_ready()
        out = tmp_path / "chaos.json"
        given = ["--url", service.url, "--token", token, "--stop-file", str(tmp_path / "stop")]
        status = main([*given, *SMALL, "--json", str(out)])
        workers = service.workers()
    finally:
        service.stop()
    found = results(out)
    assert found["hostile"]["held"] is True, failed_checks(found["hostile"])
    for name in ("stop-db", "kill-worker", "slow-db"):
        assert found[name]["held"] is None and "run it without --url" in found[name]["note"]
    assert status == 0 and len(workers) == 2
    assert "skipped: needs" in capsys.readouterr().out


@pytest.mark.parametrize("button", ["stop file", "Ctrl-C"])
def test_the_stop_button_ends_a_fault_at_once_and_the_database_serves_again(
    postgres_binaries, tmp_path, button
):
    stop_file, out = tmp_path / "stop", tmp_path / "chaos.json"
    command = [sys.executable, "-m", "chaos", "--experiments", "stop-db,hostile"]
    # A fault of 120 s that must not run to its end.
    command += ["--phase", "1", "--fault", "120", "--stop-file", str(stop_file)]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY_")}
    run = subprocess.Popen(
        [*command, "--json", str(out)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output = _read_until(run, "fault on", 90)
        pressed = time.monotonic()
        if button == "stop file":
            stop_file.touch()
        else:
            run.send_signal(signal.SIGINT)
        rest, _ = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    output += rest.decode(errors="replace")
    assert run.returncode == 3, output
    assert time.monotonic() - pressed < 45, output
    [result] = json.loads(out.read_text())  # the next experiment did not start
    assert result["stopped"] is True and result["held"] is None
    assert "fault removed, ready again" in result["note"], output
    assert "STOPPED (stop button)" in output


def _read_until(run: subprocess.Popen, marker: str, seconds: float) -> str:
    seen, deadline = "", time.monotonic() + seconds
    while marker not in seen:
        if time.monotonic() > deadline or run.poll() is not None:
            pytest.fail(f"chaos never printed {marker!r}:\n{seen}")
        seen += run.stdout.readline().decode(errors="replace")
    return seen
