"""A real local HTTP receiver for webhooks, and apps with the delivery worker on or off."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app import create_app
from app.notifier import EXTENSION
from tests.conftest import ADMIN_TOKEN

BOUND_S = 60  # generous: the machine is shared; no test asserts how fast anything is


@dataclass
class Received:
    """One POST the receiver got: its headers, exact body and parsed CloudEvent."""

    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next status of ``plan`` (then 200), keeping every request."""

    url: str
    plan: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            self.received.append(Received(headers, body))
            return self.plan.pop(0) if self.plan else 200

    def events(self, kind: str | None = None) -> list[Received]:
        with self.lock:
            got = list(self.received)
        return [r for r in got if kind is None or r.event["type"] == f"dev.eventry.{kind}"]

    def wait_for(self, test: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + BOUND_S
        while not test():
            assert time.monotonic() < deadline, f"never happened: {what}"
            time.sleep(0.05)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 (a thread of this process)."""
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = box[0].take(dict(self.headers.items()), body)
            self.send_response(status)
            if 300 <= status < 400:  # a redirect towards somewhere the sender must not go
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.append(Receiver(f"http://127.0.0.1:{server.server_address[1]}/hooks/eventry"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box[0]
    server.shutdown()
    server.server_close()


FAST = {
    "webhooks_allow_private": True,
    "webhooks_poll_ms": 20,
    "webhooks_retry_ms": 20,
    "webhooks_retry_max_ms": 100,
    "webhooks_timeout_ms": 5000,
}


@pytest.fixture
def make_app(database_url):
    """Apps on one database (a restart is a second app); the worker on when ``worker``."""
    made = []

    def make(worker: bool, **settings):
        config = {"database_url": database_url, "admin_token": ADMIN_TOKEN, "demo": False}
        application = create_app(
            {**config, **FAST, "webhooks": worker, **settings, "TESTING": True}
        )
        made.append(application)
        return application

    yield make
    for application in made:
        stop(application)
        application.extensions["eventry"].engine.dispose()


def stop(application) -> None:
    """Stop an app's delivery worker, if it has one (a service shutting down)."""
    notifier = application.extensions.pop(EXTENSION, None)
    if notifier is not None:
        notifier.stop()
