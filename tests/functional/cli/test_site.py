"""`eventry site DIR`: the demo catalogue as a static site, checked file by file, link by link."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from app.cli.main import main
from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.services.catalog_loader import load_catalog

ROOT = Path(__file__).resolve().parents[3]


class Links(HTMLParser):
    """Every href, src and form action of a page, and its forms' actions."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)
            if tag == "form" and name == "action":
                self.forms.append(value or "")


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def files_of(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def demo_site(runner, session, tmp_path) -> Path:
    """The demo catalogue, stored in the test database, built as a site into a new folder."""
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))
    site = tmp_path / "site"
    result = runner.invoke(main, ["site", str(site)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"Wrote \d+ pages and \d+ other files to .*\n", result.output)
    return site


def test_the_demo_site_has_every_page_and_every_link_resolves(demo_site, runner, client):
    files = files_of(demo_site)
    for page in ("index.html", "search/index.html", "search-index.json", "static/search.js"):
        assert page in files
    for listed in ("events", "buses", "domains", "consumers", "services", "teams", "fields"):
        assert f"{listed}/index.html" in files
    assert "findings/index.html" in files
    # Every event type, each of its live versions with its JSON, and a diff of each pair.
    events = client.get("/api/v1/events?limit=100").get_json()["items"]
    assert len(events) == 27
    for event in events:
        folder = f"events/{event['domain']}/{event['name']}"
        assert f"{folder}/index.html" in files
        numbers = [v["version"] for v in client.get(f"/api/v1/{folder}/versions").json["items"]]
        for number in numbers:
            assert f"{folder}/versions/{number}/index.html" in files
            stored = json.loads(
                (demo_site / f"{folder}/versions/{number}/version.json").read_text()
            )
            assert stored["version"] == number
            schema = json.loads((demo_site / f"schemas/{stored['schema_id']}.json").read_text())
            assert schema == stored["schema"]
        for old, new in pairwise(numbers):
            assert f"{folder}/diff/index.from-{old}_to-{new}.html" in files
    # Nothing a server is needed for: no validate page, no audit, no API reference.
    assert not any("validate" in name or name.startswith(("audit", "api")) for name in files)

    for name in sorted(files):
        path = demo_site / name
        if name.endswith(".json"):
            json.loads(path.read_text(encoding="utf-8"))
        if not name.endswith(".html"):
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(href|src|action)=["']/""", text), name  # nothing site-absolute
        # Nothing is loaded from another host: no script, style, image or frame (a lint's
        # hyperlink to the CloudEvents spec stays a hyperlink).
        assert not re.search(r"""(src|action)=["']https?:""", text), name
        assert not re.search(r"""<link[^>]*href=["']https?:""", text), name
        page = links_of(path)
        # The only forms left are the search boxes, which go to the static search page.
        search = (demo_site / "search" / "index.html").resolve()
        assert all((path.parent / action).resolve() == search for action in page.forms), name
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or not parts.path:
                continue  # a hyperlink to another site, or a fragment of the page itself
            target = (path.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{name} links to {link}, which is not in the site"
            assert target.is_relative_to(demo_site.resolve())

    _the_search_index_names_the_pages_a_reader_looks_for(demo_site)


def _the_search_index_names_the_pages_a_reader_looks_for(demo_site):
    entries = json.loads((demo_site / "search-index.json").read_text())["entries"]
    kinds = {entry["kind"] for entry in entries}
    assert kinds == {"event", "field", "domain", "bus", "service", "team"}
    placed = next(entry for entry in entries if entry["title"] == "orders.OrderPlaced")
    assert placed["kind"] == "event"
    assert placed["file"] == "events/orders/OrderPlaced/index.html"
    assert all((demo_site / entry["file"]).is_file() for entry in entries)


def test_a_folder_with_files_is_refused_unless_clean(runner, database_url, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("mine")
    refused = runner.invoke(main, ["site", str(site)])
    assert refused.exit_code == 2 and "is not empty" in refused.output
    assert (site / "keep.txt").read_text() == "mine"
    done = runner.invoke(main, ["site", str(site), "--clean"])
    assert done.exit_code == 0, done.output
    assert not (site / "keep.txt").exists() and (site / "index.html").is_file()


def test_tree_and_database_are_not_given_together(runner, tmp_path):
    both = runner.invoke(
        main, ["site", str(tmp_path / "s"), "--tree", str(DEMO_CATALOG), "--database-url", "x"]
    )
    assert both.exit_code == 2 and "not both" in both.output


def test_an_unmigrated_database_is_refused(runner, tmp_path):
    (tmp_path / "empty.db").touch()
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    refused = runner.invoke(main, ["site", str(tmp_path / "s"), "--database-url", url])
    assert refused.exit_code == 2 and "not migrated" in refused.output
    assert not (tmp_path / "s").exists()  # a refusal leaves nothing behind


def test_a_missing_database_file_is_refused_and_not_created(runner, tmp_path):
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    refused = runner.invoke(main, ["site", str(tmp_path / "s"), "--database-url", url])
    assert refused.exit_code == 2 and "there is no database at" in refused.output
    assert not (tmp_path / "typo.db").exists() and not (tmp_path / "s").exists()


def _build(database_url: str, folder: Path, seed: str) -> None:
    # Separate processes with separate string hashing: a set's order must not show anywhere.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "app", "site", str(folder), "--database-url", database_url]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)


def test_the_same_catalogue_gives_byte_identical_sites(database_url, session, tmp_path):
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))
    _build(database_url, tmp_path / "one", "1")
    _build(database_url, tmp_path / "two", "2")
    files = files_of(tmp_path / "one")
    assert files == files_of(tmp_path / "two")
    differing = [
        name
        for name in sorted(files)
        if (tmp_path / "one" / name).read_bytes() != (tmp_path / "two" / name).read_bytes()
    ]
    assert differing == []
