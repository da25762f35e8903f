"""A live registry server for the CLI commands that talk to one."""

import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

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
def server(app):
    """The test app served over HTTP on a free 127.0.0.1 port, for as long as the test runs."""
    http = serve_in_thread(app)
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture
def remote(server):
    """Options that point a command at the live server with the admin token."""
    return ["--url", server, "--token", ADMIN_TOKEN]
