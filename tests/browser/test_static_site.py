"""The static catalogue (`eventry site`) served by a plain static file server and read in
Chromium: every page loads without an error or a failed request, links navigate, search works
in the browser, and nothing overflows a laptop or a phone screen."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.cli.site import build_site, tree_database
from app.config import DEMO_CATALOG
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.pages import serious_violations

pytestmark = pytest.mark.browser


class QuietFiles(SimpleHTTPRequestHandler):
    """Python's own static file server, without a log line per request."""

    def log_message(self, format, *args) -> None:
        """Stay quiet."""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The demo catalogue's static site, built from its schemas-as-code tree."""
    root = tmp_path_factory.mktemp("static-site")
    with tree_database(DEMO_CATALOG) as url:
        report = build_site(url, root)
    assert report.problems == []
    return root


@pytest.fixture(scope="module")
def site_url(site) -> Iterator[str]:
    """The site served under a path prefix (/catalogue/) by a plain static server."""
    (site.parent / "catalogue").symlink_to(site, target_is_directory=True)
    handler = functools.partial(QuietFiles, directory=str(site.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/catalogue/"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


class Requests:
    """Requests of a page that failed or went to another origin."""

    def __init__(self, page, origin: str) -> None:
        self.bad: list[str] = []
        self.origin = origin
        page.on("requestfailed", self._failed)
        page.on("response", self._answered)
        page.on("request", self._asked)

    def _failed(self, request) -> None:
        # A missing file is a 404 (below); an abort is the browser leaving the page while
        # its icon still loads, which the next page's goto causes.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.bad.append(f"failed {request.url}: {request.failure}")

    def _answered(self, response) -> None:
        if response.status >= 400:
            self.bad.append(f"{response.status} {response.url}")

    def _asked(self, request) -> None:
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin and parts.scheme != "data":
            self.bad.append(f"other origin {request.url}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_every_page_loads_without_errors_or_failed_requests(page, site, site_url):
    requests = Requests(page, _origin(site_url))
    pages = sorted(path.relative_to(site).as_posix() for path in site.rglob("index.html"))
    assert len(pages) > 150
    for name in pages:
        page.goto(site_url + name)
        assert page.title().endswith("· Eventry"), name
        assert page.console.errors == [], name
        assert requests.bad == [], name


def test_links_navigate_from_home_to_an_event_a_version_and_a_diff(page, site_url):
    page.goto(site_url)
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Events").click()
    expect(page).to_have_title("Event types · Eventry")
    page.get_by_role("link", name="OrderPlaced", exact=True).first.click()
    expect(page).to_have_title("orders.OrderPlaced · Eventry")
    page.get_by_role("link", name="changes from v2").click()
    expect(page).to_have_title("orders.OrderPlaced: version 2 → 3 · Eventry")
    page.go_back()
    page.locator("nav.crumbs").get_by_role("link", name="Catalogue").click()
    expect(page).to_have_title("Event catalogue · Eventry")
    assert page.url == site_url + "index.html"
    assert page.console.errors == []


def test_search_finds_events_and_fields_in_the_browser(page, site_url):
    page.goto(site_url + "events/index.html")
    page.locator("#site-q").fill("OrderPlaced")
    page.locator("#site-q").press("Enter")
    expect(page).to_have_title("Search · Eventry")
    results = page.locator("#static-search")
    expect(results.get_by_role("heading", name="Event types (1)")).to_be_visible()
    expect(page.locator("#site-q")).to_have_value("OrderPlaced")
    results.get_by_role("link", name="orders.OrderPlaced").click()
    expect(page).to_have_title("orders.OrderPlaced · Eventry")

    page.goto(site_url + "search/index.html?q=customerId")
    expect(results.get_by_role("link", name="Field customerId")).to_be_visible()
    page.goto(site_url + "search/index.html?q=nothing-has-this-name")
    expect(results).to_contain_text("Nothing matches")
    assert page.console.errors == []


KINDS = [
    "index.html",
    "events/index.html",
    "events/orders/OrderPlaced/index.html",
    "events/orders/OrderPlaced/versions/3/index.html",
    "events/orders/OrderPlaced/diff/index.from-2_to-3.html",
    "buses/orders-events/index.html",
    "findings/index.html",
    "search/index.html?q=order",
]


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_nothing_overflows_the_screen_and_axe_finds_nothing_serious(
    browser, site_url, axe_script, size
):
    # The static search page builds its results with a script: axe runs after it has.
    context = browser.new_context(viewport=size, bypass_csp=True)
    try:
        tab = context.new_page()
        for name in KINDS:
            tab.goto(site_url + name)
            tab.wait_for_load_state("networkidle")
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"{name} is {width} px wide"
            found = serious_violations(tab, axe_script)
            assert found == [], f"{name} at {size['width']} px: {found}"
    finally:
        context.close()
