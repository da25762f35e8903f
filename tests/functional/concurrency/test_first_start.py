"""Processes that start at the same moment on one empty database (a deploy rolling out to
several hosts at once) take turns at the first-start steps: one migrates, creates the admin
token and loads the demo; the others find it done and serve. Concurrent `eventry db upgrade`
runs queue the same way."""

from __future__ import annotations

import subprocess

from sqlalchemy import create_engine, text

from tests.functional.test_serve import EVENTRY, free_port, serve, stop, wait_until_ready

STARTS = 3


def test_first_starts_at_once_migrate_once_make_one_token_and_load_the_demo_once(
    empty_database_url,
):
    ports = [free_port() for _ in range(STARTS)]
    processes = [serve(empty_database_url, port, EVENTRY_DEMO="1") for port in ports]
    outputs = []
    try:
        for port, process in zip(ports, processes, strict=True):
            assert wait_until_ready(f"http://127.0.0.1:{port}/readyz", process, 120) == 200
    finally:
        outputs = [stop(process) for process in processes]
    assert sum("Admin token (shown only now" in out for out in outputs) == 1, outputs
    assert sum("Loaded the demo catalogue" in out for out in outputs) == 1, outputs
    assert not any("Traceback" in out for out in outputs), outputs
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            admins = connection.execute(text("SELECT count(*) FROM api_tokens WHERE is_admin"))
            assert admins.scalar() == 1
    finally:
        engine.dispose()


def test_concurrent_db_upgrades_all_succeed(empty_database_url):
    env = {"DATABASE_URL": empty_database_url, "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.Popen(
            [EVENTRY, "db", "upgrade"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(STARTS)
    ]
    outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0] * STARTS, outputs
