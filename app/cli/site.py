"""`eventry site DIR`: the catalogue as a static site (docs/static-site.md).

The pages are the web UI's own: the app is created in-process on the catalogue's database and
each page is rendered through its test client, starting at the home page and following every
link that has a place in the site (app/core/static_site.py decides which, and where it lands).
No second set of templates, and no server while the site is read.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import click

from app import create_app
from app.core import static_site
from app.core.errors import DomainError
from app.core.static_site import SEARCH_FILE, PageKind, Target
from app.core.words import counted
from app.services import database
from app.services.catalog_loader import load_catalog

# The pages a reader finds through the static search page (lists, versions and diffs are
# reached from them).
INDEXED = (
    PageKind.EVENT,
    PageKind.DOMAIN,
    PageKind.BUS,
    PageKind.TEAM,
    PageKind.SERVICE,
    PageKind.FIELD,
)
# The static search page's own parts, added to the rendered /search page.
SEARCH_HEAD = '<script src="../static/search.js" defer></script>\n</head>'
SEARCH_RESULTS = (
    '<section id="static-search" class="found" aria-live="polite" data-index="../{index}">'
    '<p class="dim">Type a name, a field or a word of a description above.</p></section>\n</main>'
)


@dataclass
class SiteReport:
    """What a build wrote, and the links the app could not answer (each a line for the user)."""

    pages: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: '212 pages and 85 JSON documents'."""
        return f"{counted(self.pages, 'page')} and {counted(self.documents, 'other file')}"


class SiteBuilder:
    """Renders the site into a folder through an app's test client (one build per object)."""

    def __init__(self, client, root: Path) -> None:
        self.client, self.root = client, root
        self.report = SiteReport()
        self.index: list[dict[str, str]] = []

    def build(self) -> SiteReport:
        """Render every reachable page and file, then the search page and its index."""
        start = Target("/", "index.html", True)
        queue, seen = deque([start]), {start.file}
        while queue:
            target = queue.popleft()
            # Sorted: the order pages are visited in never depends on a set's order.
            for found in sorted(self._visit(target)):
                if found.file not in seen and found.file != SEARCH_FILE:
                    seen.add(found.file)
                    queue.append(found)
        self._search_page()
        self.index.sort(key=lambda entry: (entry["kind"], entry["title"], entry["file"]))
        body = json.dumps({"entries": self.index}, ensure_ascii=False, sort_keys=True, indent=0)
        self._write(static_site.SEARCH_INDEX_FILE, body.encode())
        self._copy(Target("/static/ui/search.js", "static/search.js", False))
        return self.report

    def _visit(self, target: Target) -> set[Target]:
        if not target.page:
            self._copy(target)
            return set()
        body = self._fetch(target.url)
        if body is None:
            return set()
        page, targets = static_site.rewrite(body.decode(), target.url, target.file)
        self._write(target.file, page.encode())
        self.report.pages += 1
        path, _, query = target.url.partition("?")
        kind = static_site.page_kind(path)
        if kind in INDEXED and not query:
            self.index.append(static_site.index_entry(page, kind, target.file))
        return targets

    def _search_page(self) -> None:
        """The UI's empty search page, whose script searches the index in the browser."""
        body = self._fetch("/search")
        if body is None:
            return
        page, _ = static_site.rewrite(body.decode(), "/search", SEARCH_FILE)
        results = SEARCH_RESULTS.format(index=static_site.SEARCH_INDEX_FILE)
        page = page.replace("</head>", SEARCH_HEAD, 1).replace("</main>", results, 1)
        self._write(SEARCH_FILE, page.encode())
        self.report.pages += 1

    def _copy(self, target: Target) -> None:
        body = self._fetch(target.url)
        if body is not None:
            self._write(target.file, body)
            self.report.documents += 1

    def _fetch(self, url: str) -> bytes | None:
        response = self.client.get(url)
        try:
            if response.status_code != 200:
                self.report.problems.append(f"{url}: {response.status}")
                return None
            return response.get_data()
        finally:
            response.close()

    def _write(self, file: str, body: bytes) -> None:
        path = self.root / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)


def build_site(database_url: str, root: Path) -> SiteReport:
    """Write the static site of the catalogue in ``database_url`` into ``root`` (which exists
    and is empty). The app reads with read access open and no rate limits: the operator reads
    their own database, as every other command of this CLI does."""
    app = create_app(
        {"database_url": database_url, "read_auth": "open", "demo": False, "webhooks": False}
        | {"rate_limit_expensive": 0, "rate_limit_writes": 0, "database_read_url": None}
    )
    # One JSON line per rendered page would drown the command's own output.
    logger = logging.getLogger("app")
    level, _ = logger.level, logger.setLevel(logging.WARNING)
    try:
        return SiteBuilder(app.test_client(), root).build()
    finally:
        logger.setLevel(level)
        app.extensions["eventry"].engine.dispose()


@contextmanager
def tree_database(tree: Path) -> Iterator[str]:
    """A temporary SQLite database holding a schemas-as-code tree; removed afterwards."""
    from app.cli.main import CLI_ACTOR

    with tempfile.TemporaryDirectory(prefix="eventry-site-") as folder:
        url = f"sqlite:///{Path(folder) / 'catalogue.db'}"
        database.upgrade(url)
        with database.session_for(url) as session:
            load_catalog(session, tree, CLI_ACTOR)
        yield url


def _prepare(root: Path, clean: bool) -> None:
    """Refuse a folder that has files unless --clean says to empty it first."""
    if root.exists() and not root.is_dir():
        raise click.UsageError(f"{root} is a file, not a folder")
    if root.exists() and any(root.iterdir()):
        if not clean:
            raise click.UsageError(f"{root} is not empty: choose an empty folder or add --clean")
        for child in sorted(root.iterdir()):
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    root.mkdir(parents=True, exist_ok=True)


def _require_migrated(url: str) -> None:
    missing = database.missing_file(url)
    if missing is not None:
        raise click.UsageError(f"there is no database at {missing}")
    engine = database.open_engine(url)
    try:
        migrated = database.is_migrated(engine)
    finally:
        engine.dispose()
    if not migrated:
        raise click.UsageError("the database is not migrated: run eventry db upgrade first")


@click.command("site")
@click.argument("directory", type=click.Path(file_okay=True, path_type=Path))
@click.option(
    "--database-url",
    help="The registry's database (default $DATABASE_URL, else the default SQLite file).",
)
@click.option(
    "--tree",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Build from a schemas-as-code tree instead, loaded into a temporary SQLite database.",
)
@click.option("--clean", is_flag=True, help="Empty DIRECTORY first when it has files.")
def site_command(directory: Path, database_url: str | None, tree: Path | None, clean: bool) -> None:
    """Write the catalogue as a static site into DIRECTORY: the web UI's pages as HTML, the
    schemas and versions as JSON, a client-side search; for a pages host or object storage
    (docs/static-site.md). DIRECTORY must be missing or empty unless --clean."""
    from app.cli.main import _fail, settings_or_exit

    if tree is not None and database_url:
        raise click.UsageError("give --tree or --database-url, not both")
    url = None if tree is not None else database_url or settings_or_exit().database_url
    if url is not None:
        _require_migrated(url)  # before DIRECTORY is made: a refusal leaves nothing behind
    _prepare(directory, clean)
    try:
        if url is None:
            with tree_database(tree) as tree_url:
                report = build_site(tree_url, directory)
        else:
            report = build_site(url, directory)
    except DomainError as error:
        _fail(error)
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"Wrote {report.summary()} to {directory}")
    if report.problems:
        sys.exit(1)
