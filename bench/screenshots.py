"""Screenshots of the catalogue's main pages, on a laptop and a phone-width screen.

Serves the app on a fresh SQLite database with the demo catalogue (a real server in a thread) and
drives Debian's Chromium through Playwright. Run: .venv/bin/python bench/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import Settings  # noqa: E402
from app.services.bootstrap import bootstrap  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {
    "home": "/",
    "domain": "/domains/orders",
    "bus": "/buses/orders-events?events_per_second=50",
    "event": "/events/orders/OrderPlaced",
    "diff": "/events/orders/OrderPlaced/diff?from=1&to=3",
    "search": "/search?q=customerId",
    "team": "/teams/checkout",
    "audit": "/audit",
    "map": "/map",
    "events": "/events",
    "buses": "/buses",
    "findings": "/findings",
    "fields": "/fields",
    "field": "/fields/customerId",
    "service": "/services/order-service",
}
# Long pages shot at the screen's height on a laptop, not whole (they run to many screens).
SCREEN_ONLY = {"audit", "findings", "fields", "events"}
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


class QuietHandler(WSGIRequestHandler):
    """Serves requests without logging each one."""

    def log_request(self, *args, **kwargs) -> None:
        """Stay quiet."""


@contextmanager
def demo_server(folder: Path):
    """Serve the app with the demo catalogue on a free 127.0.0.1 port; yield its base URL."""
    url = f"sqlite:///{folder / 'eventry.db'}"
    bootstrap(Settings(database_url=url, demo=True, admin_token="evt_screenshots"))
    app = create_app({"database_url": url, "demo": False, "admin_token": "evt_screenshots"})
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["eventry"].engine.dispose()


def validate_bad_sample(page, base: str) -> None:
    """Open the validator with an invalid sample and submit it."""
    page.goto(
        f"{base}/events/customers/CustomerRegistered/validate?sample=invalid-bad-email-and-locale"
    )
    page.click("form.validate button[type=submit]")
    page.wait_for_selector("#result")


def shoot(out: Path) -> list[Path]:
    """Take every screenshot into `out`; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with (
        tempfile.TemporaryDirectory() as folder,
        demo_server(Path(folder)) as base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            page = browser.new_page(viewport=viewport)
            for name, path in {**PAGES, "validate": None}.items():
                if path is None:
                    validate_bad_sample(page, base)
                else:
                    page.goto(base + path)
                target = out / f"{name}-{device}.png"
                full = device == "laptop" and name not in SCREEN_ONLY
                page.screenshot(path=str(target), full_page=full)
                written.append(target)
            page.close()
        browser.close()
    return written


if __name__ == "__main__":
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    for file in shoot(destination):
        print(file.relative_to(ROOT) if file.is_relative_to(ROOT) else file)
