"""A live registry server for the CLI commands that talk to one."""

import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.config import DEMO_CATALOG
from app.db import migrate
from tests.conftest import ADMIN_TOKEN


class QuietHandler(WSGIRequestHandler):
    """Keeps the request log out of the test output."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def serve_in_thread(app):
    """Serve a WSGI app on a free 127.0.0.1 port in a daemon thread; return the server."""
    http = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    return http


@pytest.fixture
def cli():
    """Runs eventry's commands in-process (click's runner)."""
    return CliRunner()


@pytest.fixture
def demo_tree(tmp_path) -> Path:
    """A copy of the demo catalogue tree that a test may change."""
    return Path(shutil.copytree(DEMO_CATALOG, tmp_path / "catalog"))


@pytest.fixture
def server(app):
    """The test app served over HTTP on a free 127.0.0.1 port, for as long as the test runs."""
    http = serve_in_thread(app)
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture
def remote(server):
    """Options that point a command at the live server with the admin token."""
    return ["--url", server, "--token", ADMIN_TOKEN]


@pytest.fixture
def second_server(database_url, tmp_path, postgres):
    """Another registry with an empty, migrated database of the same kind."""
    url = (
        f"sqlite:///{tmp_path / 'second.db'}"
        if database_url.startswith("sqlite")
        else postgres.create()
    )
    migrate.upgrade(url)
    app = create_app({"database_url": url, "admin_token": ADMIN_TOKEN, "demo": False})
    http = serve_in_thread(app)
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    app.extensions["eventry"].engine.dispose()
    if not database_url.startswith("sqlite"):
        postgres.drop(url)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under root by its relative path, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
