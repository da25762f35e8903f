"""A real server with the demo catalogue, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.config import Settings
from app.core.access import Actor
from app.services.bootstrap import bootstrap
from app.services.tokens import create_token
from tests.legs import in_ci

CHROMIUM = Path("/usr/bin/chromium")
# axe-core from the npm registry, installed by `make test` (npm ci in tests/browser/node).
AXE = Path(__file__).parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


class QuietHandler(WSGIRequestHandler):
    """Serves requests without logging each one."""

    def log_request(self, *args, **kwargs) -> None:
        """Stay quiet."""


def closing(app):
    """The app, its answers closed however the server stops writing them. werkzeug's
    development server leaves an answer's iterable open when the client drops the connection
    mid-answer (Chromium leaving a page while its favicon.svg downloads): the static file was
    then closed by the garbage collector, whose ResourceWarning failed whichever test ran."""

    def answer(environ, start_response):
        iterable = app(environ, start_response)
        try:
            yield from iterable
        finally:  # also when the server drops this generator after a write failed
            getattr(iterable, "close", lambda: None)()

    return answer


@pytest.fixture(scope="session")
def base_url(tmp_path_factory) -> Iterator[str]:
    """The URL of the app served from a thread on a free port, on a fresh demo database."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'eventry.db'}"
    bootstrap(Settings(database_url=url, demo=True, admin_token="evt_browser-tests"))
    app = create_app({"database_url": url, "demo": False, "admin_token": "evt_browser-tests"})
    server = make_server("127.0.0.1", 0, closing(app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    app.extensions["eventry"].engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """Chromium, headless, launched once for the session."""
    if not CHROMIUM.exists():
        reason = "browser tests need Debian's chromium: apt-get install -y chromium"
        if in_ci():  # CI must not pass by skipping what it exists to run
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The path of axe-core's script, to inject into pages; missing, tests skip (fail in CI)."""
    if not AXE.exists():
        reason = "accessibility tests need axe-core: make browser-tools (tests/browser/node)"
        if in_ci():  # as for Chromium: CI must not pass by skipping what it exists to run
            pytest.fail(f"CI=true: {reason}", pytrace=False)
        pytest.skip(reason)
    return AXE


class Console:
    """The console errors and uncaught exceptions of a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def message(self, message) -> None:
        """Keep console messages of type error."""
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def exception(self, error) -> None:
        """Keep uncaught exceptions."""
        self.errors.append(f"uncaught: {error}")


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    console = Console()
    page.on("console", console.message)
    page.on("pageerror", console.exception)
    page.console = console
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    """A fresh laptop-sized page; page.console collects its errors."""
    context, tab = _page(browser, LAPTOP)
    yield tab
    context.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-width page."""
    context, tab = _page(browser, PHONE)
    yield tab
    context.close()


@dataclass(frozen=True)
class Protected:
    """A served registry whose reads need a token (EVENTRY_READ_AUTH=token), and the secret of
    a token of the checkout team, which owns the orders domain."""

    url: str
    token: str


@pytest.fixture(scope="session")
def protected(tmp_path_factory) -> Iterator[Protected]:
    """A second server, on its own demo database, with reads behind a token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('protected') / 'eventry.db'}"
    bootstrap(Settings(database_url=url, demo=True, admin_token="evt_browser-tests"))
    app = create_app(
        {
            "database_url": url,
            "demo": False,
            "admin_token": "evt_browser-tests",
            "read_auth": "token",
        }
    )
    with app.extensions["eventry"].sessions() as session:
        token = create_token(session, Actor.system("tests"), "ann at checkout", "checkout")
    server = make_server("127.0.0.1", 0, closing(app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Protected(f"http://127.0.0.1:{server.server_port}", token.secret)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    app.extensions["eventry"].engine.dispose()
