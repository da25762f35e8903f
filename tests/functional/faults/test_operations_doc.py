"""The commands of docs/operations.md run as they are written: each bash block marked
`<!-- tested: NAME -->` is run here with `bash -euo pipefail`, against a seeded registry on a
private PostgreSQL cluster or a SQLite file, and what it claims is checked: a restored backup holds
every row of every table; a rotated token is refused and its successor works."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

from app.config import Settings
from app.services.bootstrap import bootstrap
from chaos.client import Client
from chaos.cluster import free_port
from chaos.service import Service
from tests.legs import in_ci

DOC = Path(__file__).resolve().parents[3] / "docs" / "operations.md"
BIN = Path(sys.executable).parent  # the venv's eventry beside the interpreter
ADMIN = "evt_operations-doc-admin"


def block(name: str) -> str:
    """The bash block that follows `<!-- tested: name -->` in docs/operations.md."""
    found = re.search(
        rf"<!-- tested: {re.escape(name)} -->\n```bash\n(.*?)```", DOC.read_text(), re.S
    )
    assert found, f"docs/operations.md has no block marked {name}"
    return found.group(1)


@pytest.fixture(scope="module")
def shell_tools() -> None:
    missing = [tool for tool in ("curl", "jq", "pg_dump") if shutil.which(tool) is None]
    if missing:
        reason = f"the documented commands need {', '.join(missing)} (apt-get install them)"
        if in_ci():
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)


def run(name: str, cwd: Path, **env: str) -> str:
    """Run a documented block; fail with its output when it fails. Returns its stdout."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY_")}
    environment["PATH"] = f"{BIN}{os.pathsep}{environment.get('PATH', '')}"
    environment.update(env)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block(name)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{name} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def seeded(database_url: str) -> None:
    """The demo catalogue, its audit log, and a stored admin token."""
    bootstrap(Settings(database_url=database_url, demo=True))


def every_row(database_url: str) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version included), in a stable order."""
    engine = create_engine(database_url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                table.name: sorted(
                    (tuple(map(repr, row)) for row in connection.execute(select(table))),
                )
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_the_documented_postgres_backup_restores_every_row(private_postgres, shell_tools, tmp_path):
    url = private_postgres.create_database()
    seeded(url)
    libpq = url.replace("postgresql+psycopg://", "postgresql://", 1)
    restored = libpq.rsplit("/", 1)[0] + "/eventry_restored"
    run("backup-postgres", tmp_path, PG_URL=libpq)
    run("restore-postgres", tmp_path, PG_URL=libpq, RESTORE_URL=restored)
    before = every_row(url)
    assert before["schema_versions"] and before["audit_entries"] and before["api_tokens"]
    assert every_row(restored.replace("postgresql://", "postgresql+psycopg://", 1)) == before


def test_the_documented_sqlite_backup_restores_every_row(shell_tools, tmp_path):
    (tmp_path / "instance").mkdir()
    url = f"sqlite:///{tmp_path / 'instance' / 'eventry.db'}"
    seeded(url)
    before = every_row(url)
    run("backup-sqlite", tmp_path)
    # After the backup, the file is damaged beyond use.
    (tmp_path / "instance" / "eventry.db").write_bytes(b"not a database any more")
    run("restore-sqlite", tmp_path)
    assert every_row(url) == before


@pytest.fixture
def served(tmp_path):
    url = f"sqlite:///{tmp_path / 'eventry.db'}"
    service = Service(url, free_port(), tmp_path / "serve.log", ADMIN).start()
    try:
        service.wait_ready()
        yield service
    finally:
        service.stop()


def test_the_documented_team_token_rotation(served, shell_tools, tmp_path):
    admin = served.client()
    assert (
        admin.call("POST", "/api/v1/teams", {"slug": "checkout", "name": "Checkout"}).status == 201
    )
    old = admin.call("POST", "/api/v1/teams/checkout/tokens", {"name": "checkout CI"}).json()
    env = {"EVENTRY": served.url, "ADMIN": ADMIN, "OLD_ID": str(old["id"])}
    listed = run("rotate-team-token", tmp_path, **env)
    # The list printed in step 2 names the old token by id and prefix, and its successor.
    assert f"{old['id']} {old['prefix']} checkout CI null" in listed
    assert len([line for line in listed.splitlines() if "checkout CI 2027" in line]) == 1
    domain = {"slug": "carts", "name": "Carts", "owner": "checkout"}
    assert Client(served.url, old["secret"]).call("POST", "/api/v1/domains", domain).status == 401
    tokens = admin.pages("/api/v1/teams/checkout/tokens")
    live = [t for t in tokens if t["revoked_at"] is None]
    assert [t["name"] for t in live] == ["checkout CI 2027"]
    fresh = [line.split()[1] for line in listed.splitlines() if "2027" in line]
    assert fresh == [live[0]["prefix"]]


def test_the_documented_admin_token_rotation(served, shell_tools, tmp_path):
    created = subprocess.run(
        [str(BIN / "eventry"), "token", "create", "--admin", "--name", "operations 2026"],
        env={"DATABASE_URL": served.database_url, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    )
    old_secret = created.stdout.strip()
    [entry] = served.client().pages("/api/v1/audit?action=token.create")
    env = {"EVENTRY": served.url, "DATABASE_URL": served.database_url}
    listed = run("rotate-admin-token", tmp_path, OLD_ID=str(entry["after"]["id"]), **env)
    assert f"{entry['after']['id']} {entry['after']['prefix']} operations 2026" in listed
    team = {"slug": "late", "name": "Late"}
    assert Client(served.url, old_secret).call("POST", "/api/v1/teams", team).status == 401
    admins = [e["after"] for e in served.client().pages("/api/v1/audit?action=token.create")]
    assert sorted(a["name"] for a in admins) == ["operations 2026", "operations 2027"]
